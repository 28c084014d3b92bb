"""Snapshots of a program's content and the differences between two of them.

A snapshot is the program bundle (``authoring.bundles.program``) as plain JSON data: the
structure exactly as ``program.yaml`` holds it (modules, steps, blocks, option values,
conditions) and every language's texts keyed by a stable segment id::

    title | summary                                   the program
    urge_guidance | urge_exercise | urge_line         the program's "Urge now" texts
    <module>/title | <module>/summary                  a module
    <module>/<step>/title                              a step
    <module>/<step>/<block>/body                       a block's text or prompt (Markdown)
    <module>/<step>/<block>/scale_min_label | ..._max  a scale's end labels
    <module>/<step>/<block>/option/<value>             a choice's option label

Published revisions store one (``Revision.snapshot``); the review pages compare the draft's
with the live program's; the translation exchange files use the same ids behind the
program's slug. Nothing here touches the database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from authoring.bundles.format import ConditionSpec
from authoring.bundles.program import BlockSpec, Bundle, LanguageTexts, ModuleSpec, StepSpec, StepTexts
from modules.models import CHOICE_KINDS, FALLBACK_LANGUAGE, PROGRAM_TEXTS, BlockKind

SNAPSHOT_FORMAT = 1
Snapshot = dict[str, Any]


@dataclass(frozen=True)
class Segment:
    """One translatable text of the structure: its id, what it is, and where it belongs."""

    id: str
    kind: str  # "program", "module", "step", "block", "option"
    field: str
    module: str = ""
    step: str = ""
    block: str = ""


def structure_segments(modules: list[dict[str, Any]]) -> Iterator[Segment]:
    """Every segment the structure has room for, in reading order."""
    for name in PROGRAM_TEXTS:
        yield Segment(name, "program", name)
    for module in modules:
        m = module["slug"]
        yield Segment(f"{m}/title", "module", "title", m)
        yield Segment(f"{m}/summary", "module", "summary", m)
        for step in module["steps"]:
            s = step["slug"]
            yield Segment(f"{m}/{s}/title", "step", "title", m, s)
            for block in step["blocks"]:
                b = block["slug"]
                yield Segment(f"{m}/{s}/{b}/body", "block", "body", m, s, b)
                if block["kind"] == BlockKind.SCALE:
                    yield Segment(f"{m}/{s}/{b}/scale_min_label", "block", "scale_min_label", m, s, b)
                    yield Segment(f"{m}/{s}/{b}/scale_max_label", "block", "scale_max_label", m, s, b)
                if block["kind"] in CHOICE_KINDS:
                    for value in block["options"]:
                        yield Segment(f"{m}/{s}/{b}/option/{value}", "option", "label", m, s, b)


def segment_value(segment_id: str) -> str:
    """The option value of an option segment (its last part)."""
    return segment_id.rsplit("/", 1)[-1]


# --- Bundle <-> snapshot ------------------------------------------------------------------


def _module_data(module: ModuleSpec) -> dict[str, Any]:
    return {
        "slug": module.slug,
        "steps": [
            {
                "slug": step.slug,
                "minutes": step.minutes,
                "show_if": step.show_if.as_data() if step.show_if else None,
                "blocks": [{"slug": b.slug, "kind": b.kind, "options": list(b.options)} for b in step.blocks],
            }
            for step in module.steps
        ],
    }


def _texts_data(texts: LanguageTexts, modules: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for segment in structure_segments(modules):
        if segment.kind == "program":
            text = _program_text(texts, segment.field)
        elif segment.kind == "module":
            text = texts.modules.get(segment.module, {}).get(segment.field, "")
        else:
            step = texts.steps.get((segment.module, segment.step)) or StepTexts()
            if segment.kind == "step":
                text = step.title
            elif segment.kind == "option":
                text = step.options.get(segment.block, {}).get(segment_value(segment.id), "")
            elif segment.field == "body":
                text = step.bodies.get(segment.block, "")
            else:
                text = step.scales.get(segment.block, {}).get(segment.field.split("_")[1], "")
        if text:
            found[segment.id] = text
    return found


def _program_text(texts: LanguageTexts, name: str) -> str:
    if name == "title":
        return texts.title
    return texts.summary if name == "summary" else texts.urge.get(name, "")


def snapshot_of(bundle: Bundle, *, slug: str | None = None) -> Snapshot:
    """``bundle``'s program content (not its helplines or questionnaires) as a snapshot."""
    modules = [_module_data(module) for module in bundle.modules]
    return {
        "format": SNAPSHOT_FORMAT,
        "slug": slug or bundle.slug,
        "is_sample": bundle.is_sample,
        "modules": modules,
        "urge_now": {"words": list(bundle.urge_words), "setback_step": bundle.setback_step},
        "texts": {language: _texts_data(texts, modules) for language, texts in bundle.texts.items()},
    }


def bundle_of(snapshot: Snapshot, *, slug: str | None = None) -> Bundle:
    """The bundle a snapshot was made from (without helplines or questionnaires)."""
    modules = snapshot["modules"]
    texts: dict[str, LanguageTexts] = {}
    for language, values in snapshot["texts"].items():
        language_texts = LanguageTexts(
            title=values.get("title", ""),
            summary=values.get("summary", ""),
            urge={name: values[name] for name in PROGRAM_TEXTS[2:] if values.get(name)},
        )
        for segment in structure_segments(modules):
            text = values.get(segment.id, "")
            if segment.kind == "module":
                language_texts.modules.setdefault(segment.module, {"title": "", "summary": ""})[segment.field] = text
            elif segment.kind != "program":
                step = language_texts.steps.setdefault((segment.module, segment.step), StepTexts())
                if segment.kind == "step":
                    step.title = text
                elif not text:
                    continue
                elif segment.kind == "option":
                    step.options.setdefault(segment.block, {})[segment_value(segment.id)] = text
                elif segment.field == "body":
                    step.bodies[segment.block] = text
                else:
                    step.scales.setdefault(segment.block, {})[segment.field.split("_")[1]] = text
        texts[language] = language_texts
    return Bundle(
        slug=slug or snapshot["slug"],
        is_sample=snapshot["is_sample"],
        modules=[
            ModuleSpec(
                slug=module["slug"],
                steps=[
                    StepSpec(
                        slug=step["slug"],
                        minutes=step["minutes"],
                        show_if=ConditionSpec(step["show_if"]["exercise"], list(step["show_if"]["any_of"]))
                        if step["show_if"]
                        else None,
                        blocks=[BlockSpec(b["slug"], b["kind"], list(b["options"])) for b in step["blocks"]],
                    )
                    for step in module["steps"]
                ],
            )
            for module in modules
        ],
        helplines=[],
        texts=texts,
        urge_words=list(snapshot.get("urge_now", {}).get("words", [])),
        setback_step=snapshot.get("urge_now", {}).get("setback_step", ""),
    )


def texts_in(snapshot: Snapshot, language: str) -> dict[str, str]:
    return dict(snapshot["texts"].get(language, {}))


def missing_in(snapshot: Snapshot, language: str) -> list[str]:
    """Segment ids that have source text but no ``language`` text, in reading order."""
    source, target = texts_in(snapshot, FALLBACK_LANGUAGE), texts_in(snapshot, language)
    return [s.id for s in structure_segments(snapshot["modules"]) if source.get(s.id) and not target.get(s.id)]


# --- Differences --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextChange:
    """One segment's text in one language, before and after, with a word-level rendering."""

    segment: str
    language: str
    kind: str  # "added", "removed" or "changed"
    before: str
    after: str

    @property
    def html(self) -> SafeString:
        return word_diff(self.before, self.after)


@dataclass(frozen=True)
class Difference:
    structure: list[str]
    texts: list[TextChange]

    def __bool__(self) -> bool:
        return bool(self.structure or self.texts)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> SafeString:
    """``before`` turned into ``after``, word by word: removals in ``<del>``, additions in
    ``<ins>`` (everything escaped)."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _steps(snapshot: Snapshot) -> dict[str, dict[str, Any]]:
    return {f"{m['slug']}/{s['slug']}": s for m in snapshot["modules"] for s in m["steps"]}


def _structure_changes(before: Snapshot, after: Snapshot) -> list[str]:
    changes: list[str] = []
    old_modules = [m["slug"] for m in before["modules"]]
    new_modules = [m["slug"] for m in after["modules"]]
    changes += [f"module {m} added" for m in new_modules if m not in old_modules]
    changes += [
        f"module {m} removed (retired: kept for help-seekers' history)" for m in old_modules if m not in new_modules
    ]
    if [m for m in old_modules if m in new_modules] != [m for m in new_modules if m in old_modules]:
        changes.append("modules reordered")
    old_steps, new_steps = _steps(before), _steps(after)
    changes += [f"step {s} added" for s in new_steps if s not in old_steps]
    changes += [f"step {s} removed (retired: kept for help-seekers' history)" for s in old_steps if s not in new_steps]
    kept = [s for s in new_steps if s in old_steps]
    if kept != [s for s in old_steps if s in new_steps]:
        changes.append("steps reordered")
    for key in kept:
        old, new = old_steps[key], new_steps[key]
        if old["minutes"] != new["minutes"]:
            changes.append(f"step {key}: minutes {old['minutes']} → {new['minutes']}")
        if old["show_if"] != new["show_if"]:
            changes.append(f"step {key}: condition {old['show_if'] or 'none'} → {new['show_if'] or 'none'}")
        old_blocks = {b["slug"]: b for b in old["blocks"]}
        new_blocks = {b["slug"]: b for b in new["blocks"]}
        changes += [f"block {key}/{b} added" for b in new_blocks if b not in old_blocks]
        changes += [f"block {key}/{b} removed (retired)" for b in old_blocks if b not in new_blocks]
        if [b for b in old_blocks if b in new_blocks] != [b for b in new_blocks if b in old_blocks]:
            changes.append(f"blocks of step {key} reordered")
        for slug in new_blocks.keys() & old_blocks.keys():
            if old_blocks[slug]["kind"] != new_blocks[slug]["kind"]:
                changes.append(f"block {key}/{slug}: kind {old_blocks[slug]['kind']} → {new_blocks[slug]['kind']}")
            if old_blocks[slug]["options"] != new_blocks[slug]["options"]:
                changes.append(
                    f"block {key}/{slug}: options {', '.join(old_blocks[slug]['options'])} → "
                    f"{', '.join(new_blocks[slug]['options'])}"
                )
    if before.get("is_sample") != after.get("is_sample"):
        changes.append(f"sample content: {before.get('is_sample')} → {after.get('is_sample')}")
    return changes


def snapshot_diff(before: Snapshot | None, after: Snapshot, languages: list[str] | None = None) -> Difference:
    """What changed from ``before`` (None: nothing yet) to ``after``: the structure, and each
    text in ``languages`` (default: every language either has), in reading order."""
    empty: Snapshot = {"modules": [], "texts": {}, "is_sample": after.get("is_sample")}
    before = before or empty
    chosen = languages or sorted(set(before["texts"]) | set(after["texts"]), key=lambda c: (c != FALLBACK_LANGUAGE, c))
    order = [s.id for s in structure_segments(after["modules"])]  # what was removed is a structure change
    texts: list[TextChange] = []
    for language in chosen:
        old, new = texts_in(before, language), texts_in(after, language)
        for segment in order:
            was, now = old.get(segment, ""), new.get(segment, "")
            if was != now:
                kind = "added" if not was else "removed" if not now else "changed"
                texts.append(TextChange(segment, language, kind, was, now))
    return Difference(_structure_changes(before, after), texts)
