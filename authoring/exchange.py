"""Translation files for translators' tools: one language of a program's draft as a PO file
(polib) or an XLIFF 1.2 file, and importing either back.

Every unit is one translatable field of the draft, identified by ``<program>/<segment id>``
(``authoring.revisions``: ``course/first/why/title``, ``course/first/why/intro/body``, …), with
the draft's English as the source, a note saying what the field is and its size limit, and
the outdated flag as *fuzzy* (PO) or ``state="needs-review-translation"`` (XLIFF).

Import checks the whole file before it changes anything, and reports every problem with its
id: a file for another language or program, unknown or repeated ids, placeholders that differ
from the source, Markdown whose structure differs from the source, text over the limit, raw
HTML. Only a file with no problem is applied, in one transaction, into the draft; its
translations (unless fuzzy) are recorded as made from the current English, and the language
is recorded as changed by the importer, who then submits it for review.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET  # writing only: files are read with defusedxml

import polib
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from markdown_it import MarkdownIt

from authoring import audit, translations, workflow
from authoring.models import StaffEvent
from authoring.revisions import structure_segments, texts_in
from modules.models import (
    CHOICE_KINDS,
    FALLBACK_LANGUAGE,
    PROGRAM_TEXTS,
    Block,
    BlockKind,
    BlockOption,
    Module,
    Program,
    Step,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_MARKDOWN = 20_000
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FUZZY_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation"}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%[sd]")
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
ET.register_namespace("", XLIFF_NS)  # written files use XLIFF as their default namespace

NOTES = {
    ("program", "title"): "Program title",
    ("program", "summary"): "Program summary",
    ("program", "urge_guidance"): "“Urge now” page: what to do right now, in Markdown",
    ("program", "urge_exercise"): "“Urge now” page: a breathing or grounding exercise, in Markdown",
    ("program", "urge_line"): "“Urge now” page: the line not to cross, in Markdown",
    ("module", "title"): "Module title",
    ("module", "summary"): "Module summary",
    ("step", "title"): "Step title",
    ("block", "body"): "Text or exercise prompt, in Markdown: keep the same paragraphs, lists, headings and links",
    ("block", "scale_min_label"): "Label of the scale's lowest point (0)",
    ("block", "scale_max_label"): "Label of the scale's highest point (10)",
    ("option", "label"): "An answer option",
}


@dataclass(frozen=True)
class Unit:
    """One translatable field of a program's draft, in one language."""

    id: str
    source: str
    target: str
    note: str
    fuzzy: bool
    max_length: int
    markdown: bool


@dataclass
class ImportReport:
    """What an import did (``applied`` fields) or, when anything was wrong, every problem as
    (id, message) and nothing applied."""

    applied: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


def _rows(draft: Program) -> dict[str, tuple[Model, str]]:
    """Each segment id of the draft's content in use, with its row and field (four queries)."""
    rows: dict[str, tuple[Model, str]] = {name: (draft, name) for name in PROGRAM_TEXTS}
    for module in Module.objects.active().filter(program=draft):
        rows[f"{module.slug}/title"] = (module, "title")
        rows[f"{module.slug}/summary"] = (module, "summary")
    for step in Step.objects.active().filter(module__program=draft).select_related("module"):
        rows[f"{step.module.slug}/{step.slug}/title"] = (step, "title")
    blocks = Block.objects.active().filter(step__module__program=draft).select_related("step__module")
    for block in blocks:
        prefix = f"{block.step.module.slug}/{block.step.slug}/{block.slug}"
        rows[f"{prefix}/body"] = (block, "body")
        if block.kind == BlockKind.SCALE:
            rows[f"{prefix}/scale_min_label"] = (block, "scale_min_label")
            rows[f"{prefix}/scale_max_label"] = (block, "scale_max_label")
    options = BlockOption.objects.filter(retired_on__isnull=True, block__in=blocks, block__kind__in=CHOICE_KINDS)
    for option in options.select_related("block__step__module"):
        block = option.block
        rows[f"{block.step.module.slug}/{block.step.slug}/{block.slug}/option/{option.value}"] = (option, "label")
    return rows


def _limit(row: Model, name: str) -> int:
    max_length = getattr(type(row)._meta.get_field(f"{name}_{FALLBACK_LANGUAGE}"), "max_length", None)
    return int(max_length) if max_length else MAX_MARKDOWN


def program_units(*, program: Program, language: str) -> list[Unit]:
    """Every field of ``program``'s draft that has English text, in reading order, with its
    ``language`` translation and whether that is outdated."""
    draft = workflow.program_draft(program=program)
    return _units(program, draft, _rows(draft), language)


def _units(program: Program, draft: Program, rows: dict[str, tuple[Model, str]], language: str) -> list[Unit]:
    snapshot = workflow.program_snapshot(draft)
    source, target = texts_in(snapshot, FALLBACK_LANGUAGE), texts_in(snapshot, language)
    outdated = translations.program_outdated_keys(program=draft, language=language)
    units = []
    for segment in structure_segments(snapshot["modules"]):
        if not source.get(segment.id) or segment.id not in rows:
            continue
        row, name = rows[segment.id]
        limit = _limit(row, name)
        units.append(
            Unit(
                id=f"{program.slug}/{segment.id}",
                source=source[segment.id],
                target=target.get(segment.id, ""),
                note=f"{NOTES[(segment.kind, segment.field)]}. At most {limit} characters.",
                fuzzy=((row._meta.model_name or ""), str(row.pk), name) in outdated,
                max_length=limit,
                markdown=name == "body" or name.startswith("urge_"),
            )
        )
    return units


# --- Export -------------------------------------------------------------------------------


def export_po(*, program: Program, language: str) -> bytes:
    """The language as a PO file: msgctxt is the unit's id."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": program.slug,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Program": program.slug,
        "X-Source-Language": FALLBACK_LANGUAGE,
    }
    for unit in program_units(program=program, language=language):
        po.append(
            polib.POEntry(
                msgctxt=unit.id,
                msgid=unit.source,
                msgstr=unit.target,
                comment=unit.note,
                flags=["fuzzy"] if unit.fuzzy else [],
            )
        )
    return str(po).encode("utf-8")


def export_xliff(*, program: Program, language: str) -> bytes:
    """The language as an XLIFF 1.2 file: a trans-unit per unit, its id the unit's id."""
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", {"version": "1.2"})
    file = ET.SubElement(
        root,
        f"{{{XLIFF_NS}}}file",
        {
            "original": program.slug,
            "source-language": FALLBACK_LANGUAGE,
            "target-language": language,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(file, f"{{{XLIFF_NS}}}body")
    for unit in program_units(program=program, language=language):
        element = ET.SubElement(
            body,
            f"{{{XLIFF_NS}}}trans-unit",
            {"id": unit.id, "resname": unit.id, "maxwidth": str(unit.max_length), "size-unit": "char"},
        )
        ET.SubElement(element, f"{{{XLIFF_NS}}}source", {XML_LANG: FALLBACK_LANGUAGE}).text = unit.source
        state = "needs-review-translation" if unit.fuzzy else "translated" if unit.target else "new"
        target = ET.SubElement(element, f"{{{XLIFF_NS}}}target", {XML_LANG: language, "state": state})
        target.text = unit.target
        ET.SubElement(element, f"{{{XLIFF_NS}}}note").text = unit.note
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


# --- Import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    id: str
    text: str
    fuzzy: bool
    markup: bool = False  # an XLIFF target with inline elements


class _Unreadable(Exception):
    pass


def _read_po(text: str) -> tuple[str, str, list[_Entry]]:
    if "\n" not in text:  # polib would take a single line for a file name
        raise _Unreadable("not a PO file")
    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as error:
        raise _Unreadable(f"not a PO file ({error})") from error
    entries = [_Entry(e.msgctxt or "", e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete]
    return po.metadata.get("Language", ""), po.metadata.get("X-Program", ""), entries


def _read_xliff(data: bytes) -> tuple[str, str, list[_Entry]]:
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as error:
        raise _Unreadable(f"not an XLIFF file ({error})") from error
    files = root.findall(f"{{{XLIFF_NS}}}file")
    if root.tag != f"{{{XLIFF_NS}}}xliff" or root.get("version") != "1.2" or len(files) != 1:
        raise _Unreadable("not an XLIFF 1.2 file with one <file>")
    file = files[0]
    entries = []
    for unit in file.iter(f"{{{XLIFF_NS}}}trans-unit"):
        target = unit.find(f"{{{XLIFF_NS}}}target")
        text = "".join(target.itertext()) if target is not None else ""
        state = target.get("state", "translated") if target is not None else "new"
        markup = target is not None and len(target) > 0
        entries.append(_Entry(unit.get("id", ""), text, state in FUZZY_STATES, markup))
    return file.get("target-language", ""), file.get("original", ""), entries


def _structure(text: str) -> Counter[str]:
    """What makes up a Markdown text's structure: its blocks, list items, headings and links."""
    found: Counter[str] = Counter()
    for token in _markdown.parse(text):
        if token.type.endswith("_open") or token.type in {"fence", "code_block", "hr"}:
            found[token.tag if token.type == "heading_open" else token.type] += 1
        for child in token.children or []:
            if child.type == "link_open":
                found["link"] += 1
    return found


def _problems(unit: Unit, entry: _Entry) -> list[str]:
    found = []
    if len(entry.text) > unit.max_length:
        found.append(f"{len(entry.text)} characters; at most {unit.max_length}")
    if RAW_HTML.search(entry.text) or entry.markup:
        found.append("raw HTML is not allowed (write Markdown)")
    if Counter(PLACEHOLDER.findall(entry.text)) != Counter(PLACEHOLDER.findall(unit.source)):
        found.append("placeholders differ from the source")
    if unit.markdown and _structure(entry.text) != _structure(unit.source):
        found.append("Markdown structure differs from the source (paragraphs, lists, headings or links)")
    return found


def translations_import(*, program: Program, language: str, data: bytes, user: Any) -> ImportReport:
    """Check ``data`` (a PO or XLIFF file of ``language`` of ``program``) and, only if it has no
    problem at all, write its translations into the draft (see the module doc)."""
    report = ImportReport()
    if language == FALLBACK_LANGUAGE or language not in dict(settings.LANGUAGES):
        report.problems.append(("", f"'{language}' is not a language to translate into"))
        return report
    if len(data) > MAX_FILE_BYTES:
        report.problems.append(("", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"))
        return report
    try:
        if data.lstrip().startswith(b"<"):
            file_language, file_program, entries = _read_xliff(data)
        else:
            file_language, file_program, entries = _read_po(data.decode("utf-8"))
    except (_Unreadable, UnicodeDecodeError) as error:
        report.problems.append(("", str(error)))
        return report
    if file_language.replace("_", "-").split("-")[0].lower() != language:
        report.problems.append(("", f"the file is for language '{file_language}', not '{language}'"))
    if file_program and file_program != program.slug:
        report.problems.append(("", f"the file is for program '{file_program}', not '{program.slug}'"))
    if report.problems:
        return report

    draft = workflow.program_draft(program=program)
    rows = _rows(draft)
    units = {unit.id: unit for unit in _units(program, draft, rows, language)}
    seen: set[str] = set()
    wanted: list[tuple[Unit, _Entry]] = []
    for entry in entries:
        if entry.id in seen:
            report.problems.append((entry.id, "appears more than once"))
            continue
        seen.add(entry.id)
        unit = units.get(entry.id)
        if unit is None:
            elsewhere = not entry.id.startswith(f"{program.slug}/")
            report.problems.append((entry.id, "belongs to another program" if elsewhere else "unknown id"))
            continue
        if not entry.text:
            continue  # not translated in the file: left as it is
        report.problems += [(entry.id, problem) for problem in _problems(unit, entry)]
        if entry.text != unit.target or (unit.fuzzy and not entry.fuzzy):
            wanted.append((unit, entry))
    if report.problems:
        return report
    _apply(program, draft, rows, language, wanted, user)
    report.applied = len(wanted)
    return report


@transaction.atomic
def _apply(
    program: Program,
    draft: Program,
    rows: dict[str, tuple[Model, str]],
    language: str,
    wanted: list[tuple[Unit, _Entry]],
    user: Any,
) -> None:
    prefix = len(program.slug) + 1
    for unit, entry in wanted:
        row, name = rows[unit.id[prefix:]]
        setattr(row, f"{name}_{language}", entry.text)
        row.save(update_fields=[f"{name}_{language}"])
        if not entry.fuzzy:
            translations.record(row, [(name, language)])
    if wanted:
        workflow.draft_edited(draft=draft, user=user, languages=[language])
    audit.record(StaffEvent.IMPORT, actor=user, detail=f"{program.slug}: {language}: {len(wanted)} field(s)")
