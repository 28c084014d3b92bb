"""A whole program bundle: its structure, languages, modules, steps and helplines.

A bundle is a folder::

    program.yaml                    structure: slugs, order, kinds, option values, helplines,
                                    and ``urge_now`` (the exercises whose answers the
                                    "Urge now" page shows, the step with the setback plan)
    <lang>/program.yaml             that language's program, module and helpline texts, and
                                    ``urge_now``: the "Urge now" page's guidance, exercise
                                    and line not to cross (Markdown)
    <lang>/<module>/<step>.md       that language's step: YAML front matter (title, option
                                    and scale labels), then one Markdown section per block,
                                    each opened by a line ``<!-- block: <slug> -->``

plus the questionnaire part (``authoring.bundles.questionnaires``). This module reads and
writes the whole format and validates it, reporting the file, the key and the reason for the
first problem. It knows nothing of the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from authoring.bundles import questionnaires as questionnaire_format
from authoring.bundles.format import (
    FALLBACK_LANGUAGE,
    FORMAT_VERSION,
    MAX_TITLE,
    STRUCTURE_FILE,
    BundleError,
    ConditionSpec,
    as_condition,
    as_list,
    as_mapping,
    as_slug,
    as_text,
    as_url,
    dump_yaml,
    load_yaml,
    require_unique,
    without_empty,
)
from modules.models import CHOICE_KINDS, EXERCISE_KINDS, URGE_WORD_KINDS, BlockKind

SECTION_MARKER = re.compile(r"^<!-- block: ([a-z0-9-]+) -->$", re.MULTILINE)
MAX_SCALE_LABEL = 80


@dataclass
class BlockSpec:
    slug: str
    kind: str
    options: list[str] = field(default_factory=list)


@dataclass
class StepSpec:
    slug: str
    minutes: int
    blocks: list[BlockSpec]
    show_if: ConditionSpec | None = None


@dataclass
class ModuleSpec:
    slug: str
    steps: list[StepSpec]


@dataclass
class HelplineSpec:
    slug: str
    country: str
    languages: list[str]
    website: str
    onion_url: str
    phone: str
    is_sample: bool
    kind: str = "service"
    chat: str = ""
    email: str = ""


@dataclass
class StepTexts:
    title: str = ""
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # block -> value -> label
    scales: dict[str, dict[str, str]] = field(default_factory=dict)  # block -> {"min", "max"}
    bodies: dict[str, str] = field(default_factory=dict)  # block -> Markdown


URGE_TEXTS = {"guidance": "urge_guidance", "exercise": "urge_exercise", "line": "urge_line"}  # bundle key -> field


@dataclass
class LanguageTexts:
    title: str = ""
    summary: str = ""
    urge: dict[str, str] = field(default_factory=dict)  # "Urge now" texts by model field (URGE_TEXTS)
    modules: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> {title, summary}
    helplines: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> {name, ...}
    steps: dict[tuple[str, str], StepTexts] = field(default_factory=dict)
    questionnaires: dict[str, questionnaire_format.InstrumentTexts] = field(default_factory=dict)  # by instrument slug


@dataclass
class Bundle:
    """A whole program as its bundle holds it: structure, then texts by language."""

    slug: str
    is_sample: bool
    modules: list[ModuleSpec]
    helplines: list[HelplineSpec]
    texts: dict[str, LanguageTexts]
    questionnaires: list[questionnaire_format.InstrumentSpec] = field(default_factory=list)
    occasions: list[questionnaire_format.OccasionSpec] = field(default_factory=list)
    urge_words: list[str] = field(default_factory=list)  # "module/step/block" of text exercises
    setback_step: str = ""  # "module/step"

    @property
    def languages(self) -> list[str]:
        return list(self.texts)


# --- Reading ----------------------------------------------------------------------------


def _structure(data: Any) -> tuple[str, bool, list[str], list[ModuleSpec], list[HelplineSpec], dict[str, Any]]:
    file = STRUCTURE_FILE
    data = as_mapping(data, file, "")
    if data.get("format") != FORMAT_VERSION:
        raise BundleError(file, "format", f"must be {FORMAT_VERSION}")
    slug = as_slug(data.get("slug"), file, "slug")
    if slug.startswith("draft-"):
        raise BundleError(file, "slug", "'draft-' begins the names of staff drafts; choose another slug")
    is_sample = bool(data.get("is_sample", False))
    configured = {code for code, _name in settings.LANGUAGES}
    languages = [str(code) for code in as_list(data.get("languages"), file, "languages")]
    if languages[0] != FALLBACK_LANGUAGE:
        raise BundleError(file, "languages", f"must start with '{FALLBACK_LANGUAGE}', the fallback language")
    for code in languages:
        if code not in configured:
            raise BundleError(file, "languages", f"'{code}' is not a configured language")
    require_unique(languages, file, "languages")

    modules: list[ModuleSpec] = []
    # Choice exercises met so far, by path: a step may depend only on one that comes before it.
    exercises: dict[str, list[str]] = {}
    for m_index, raw_module in enumerate(as_list(data.get("modules"), file, "modules")):
        m_key = f"modules[{m_index}]"
        raw_module = as_mapping(raw_module, file, m_key)
        steps: list[StepSpec] = []
        for s_index, raw_step in enumerate(as_list(raw_module.get("steps"), file, f"{m_key}.steps")):
            s_key = f"{m_key}.steps[{s_index}]"
            raw_step = as_mapping(raw_step, file, s_key)
            minutes = raw_step.get("minutes", 5)
            if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
                raise BundleError(file, f"{s_key}.minutes", "must be a whole number from 1 to 60")
            blocks: list[BlockSpec] = []
            for b_index, raw_block in enumerate(as_list(raw_step.get("blocks"), file, f"{s_key}.blocks")):
                b_key = f"{s_key}.blocks[{b_index}]"
                raw_block = as_mapping(raw_block, file, b_key)
                kind = raw_block.get("kind")
                if kind not in BlockKind.values:
                    raise BundleError(file, f"{b_key}.kind", f"'{kind}' is not one of {', '.join(BlockKind.values)}")
                options = [
                    as_slug(v, file, f"{b_key}.options")
                    for v in as_list(raw_block.get("options"), file, f"{b_key}.options", required=kind in CHOICE_KINDS)
                ]
                if kind in CHOICE_KINDS and len(options) < 2:
                    raise BundleError(file, f"{b_key}.options", "a choice exercise needs at least two options")
                if kind not in CHOICE_KINDS and options:
                    raise BundleError(file, f"{b_key}.options", f"a {kind} block has no options")
                require_unique(options, file, f"{b_key}.options")
                blocks.append(BlockSpec(as_slug(raw_block.get("slug"), file, f"{b_key}.slug"), kind, options))
            require_unique([b.slug for b in blocks], file, f"{s_key}.blocks")
            step_slug = as_slug(raw_step.get("slug"), file, f"{s_key}.slug")
            show_if = as_condition(raw_step.get("show_if"), file, f"{s_key}.show_if", exercises)
            steps.append(StepSpec(step_slug, minutes, blocks, show_if))
            module_slug = as_slug(raw_module.get("slug"), file, f"{m_key}.slug")
            exercises.update(
                {f"{module_slug}/{step_slug}/{b.slug}": b.options for b in blocks if b.kind in CHOICE_KINDS}
            )
        require_unique([s.slug for s in steps], file, f"{m_key}.steps")
        modules.append(ModuleSpec(as_slug(raw_module.get("slug"), file, f"{m_key}.slug"), steps))
    require_unique([m.slug for m in modules], file, "modules")

    helplines: list[HelplineSpec] = []
    for h_index, raw in enumerate(as_list(data.get("helplines"), file, "helplines", required=False)):
        h_key = f"helplines[{h_index}]"
        raw = as_mapping(raw, file, h_key)
        country = as_text(raw.get("country"), file, f"{h_key}.country")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise BundleError(file, f"{h_key}.country", "must be a two-letter ISO code in capitals, or empty")
        served = [str(code) for code in as_list(raw.get("languages"), file, f"{h_key}.languages", required=False)]
        helplines.append(
            HelplineSpec(
                slug=as_slug(raw.get("slug"), file, f"{h_key}.slug"),
                country=country,
                languages=served,
                website=as_url(raw.get("website"), file, f"{h_key}.website"),
                onion_url=as_url(raw.get("onion_url"), file, f"{h_key}.onion_url"),
                phone=as_text(raw.get("phone"), file, f"{h_key}.phone", max_length=40),
                kind=_helpline_kind(raw.get("kind"), file, f"{h_key}.kind"),
                chat=as_url(raw.get("chat"), file, f"{h_key}.chat"),
                email=_email(raw.get("email"), file, f"{h_key}.email"),
                is_sample=bool(raw.get("is_sample", False)),
            )
        )
    require_unique([h.slug for h in helplines], file, "helplines")
    return slug, is_sample, languages, modules, helplines, data


def _urge_now(data: dict[str, Any], modules: list[ModuleSpec]) -> tuple[list[str], str]:
    """``urge_now`` of the structure: the text exercises whose answers the "Urge now" page
    shows (in order) and the step with the plan for setbacks, each checked to exist."""
    file, key = STRUCTURE_FILE, "urge_now"
    raw = as_mapping(data.get(key), file, key)
    for name in raw:
        if name not in ("words", "setback_step"):
            raise BundleError(file, f"{key}.{name}", "is not one of words, setback_step")
    text_exercises = {
        f"{module.slug}/{step.slug}/{block.slug}"
        for module in modules
        for step in module.steps
        for block in step.blocks
        if block.kind in URGE_WORD_KINDS
    }
    words = [str(path) for path in as_list(raw.get("words"), file, f"{key}.words", required=False)]
    for index, path in enumerate(words):
        if path not in text_exercises:
            raise BundleError(
                file, f"{key}.words[{index}]", f"'{path}' is not a free-text or plan-item exercise of the program"
            )
    require_unique(words, file, f"{key}.words")
    setback = as_text(raw.get("setback_step"), file, f"{key}.setback_step")
    steps = {f"{module.slug}/{step.slug}" for module in modules for step in module.steps}
    if setback and setback not in steps:
        raise BundleError(file, f"{key}.setback_step", f"'{setback}' is not a step of the program")
    return words, setback


HELPLINE_KINDS = ("service", "crisis")


def _helpline_kind(value: Any, file: str, key: str) -> str:
    kind = as_text(value, file, key) or HELPLINE_KINDS[0]
    if kind not in HELPLINE_KINDS:
        raise BundleError(file, key, f"'{kind}' is not one of {', '.join(HELPLINE_KINDS)}")
    return kind


def _email(value: Any, file: str, key: str) -> str:
    address = as_text(value, file, key)
    if address:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise BundleError(file, key, f"'{address}' is not an e-mail address") from exc
    return address


def _split_step_file(text: str, file: str) -> tuple[dict[str, Any], dict[str, str]]:
    if not text.startswith("---\n"):
        raise BundleError(file, "", "must start with YAML front matter between '---' lines")
    try:
        front, body = text[4:].split("\n---\n", 1)
    except ValueError as exc:
        raise BundleError(file, "", "front matter is not closed by a '---' line") from exc
    try:
        meta = as_mapping(yaml.safe_load(front), file, "front matter")
    except yaml.YAMLError as exc:
        raise BundleError(file, "front matter", f"not valid YAML ({exc})") from exc
    parts = SECTION_MARKER.split(body)
    if parts[0].strip():
        raise BundleError(file, "", "text before the first '<!-- block: slug -->' line")
    sections: dict[str, str] = {}
    for slug, section in zip(parts[1::2], parts[2::2], strict=True):
        if slug in sections:
            raise BundleError(file, f"block {slug}", "appears twice")
        sections[slug] = section.strip("\n")
    return meta, sections


def _texts_by_slug(
    data: dict[str, Any],
    file: str,
    section: str,
    slugs: list[str],
    fields: dict[str, int | None],
    *,
    required: bool,
) -> dict[str, dict[str, str]]:
    """The texts of ``section`` (modules, helplines) by slug; the first field is required
    in the fallback language. Unknown slugs are an error."""
    raw_section = as_mapping(data.get(section), file, section)
    singular = section.rstrip("s")
    for slug in raw_section:
        if slug not in slugs:
            raise BundleError(file, f"{section}.{slug}", f"is not a {singular} in program.yaml")
    first = next(iter(fields))
    result = {}
    for slug in slugs:
        raw = as_mapping(raw_section.get(slug), file, f"{section}.{slug}")
        entry = {
            name: as_text(raw.get(name), file, f"{section}.{slug}.{name}", max_length=limit)
            for name, limit in fields.items()
        }
        if required and not entry[first]:
            raise BundleError(file, f"{section}.{slug}.{first}", "is required in the fallback language")
        result[slug] = entry
    return result


def _language_texts(
    root: Path, language: str, modules: list[ModuleSpec], helplines: list[HelplineSpec]
) -> LanguageTexts:
    required = language == FALLBACK_LANGUAGE
    file = f"{language}/{STRUCTURE_FILE}"
    data = as_mapping(load_yaml(root / language / STRUCTURE_FILE, root), file, "")
    texts = LanguageTexts(
        title=as_text(data.get("title"), file, "title", max_length=MAX_TITLE),
        summary=as_text(data.get("summary"), file, "summary"),
    )
    urge = as_mapping(data.get("urge_now"), file, "urge_now")
    for name in urge:
        if name not in URGE_TEXTS:
            raise BundleError(file, f"urge_now.{name}", f"is not one of {', '.join(URGE_TEXTS)}")
    texts.urge = {
        field_name: text
        for name, field_name in URGE_TEXTS.items()
        if (text := as_text(urge.get(name), file, f"urge_now.{name}"))
    }
    if required and not texts.title:
        raise BundleError(file, "title", "is required in the fallback language")

    texts.modules = _texts_by_slug(
        data, file, "modules", [m.slug for m in modules], {"title": MAX_TITLE, "summary": None}, required=required
    )
    texts.helplines = _texts_by_slug(
        data,
        file,
        "helplines",
        [h.slug for h in helplines],
        {"name": MAX_TITLE, "description": None, "opening_hours": MAX_TITLE},
        required=required,
    )
    for module in modules:
        for step in module.steps:
            texts.steps[(module.slug, step.slug)] = _step_texts(root, language, module.slug, step, required=required)
    return texts


def _step_texts(root: Path, language: str, module_slug: str, step: StepSpec, *, required: bool) -> StepTexts:
    path = root / language / module_slug / f"{step.slug}.md"
    file = str(path.relative_to(root))
    if not path.is_file():
        if required:
            raise BundleError(file, "", "file is missing")
        return StepTexts(
            options={b.slug: {} for b in step.blocks if b.kind in CHOICE_KINDS},
            scales={b.slug: {} for b in step.blocks if b.kind == BlockKind.SCALE},
        )
    meta, sections = _split_step_file(path.read_text(encoding="utf-8"), file)
    texts = StepTexts(title=as_text(meta.get("title"), file, "title", max_length=MAX_TITLE))
    if required and not texts.title:
        raise BundleError(file, "title", "is required in the fallback language")
    blocks = {block.slug: block for block in step.blocks}
    for slug in sections:
        if slug not in blocks:
            raise BundleError(file, f"block {slug}", "is not a block of this step in program.yaml")
    option_texts = as_mapping(meta.get("options"), file, "options")
    scale_texts = as_mapping(meta.get("scale"), file, "scale")
    for slug in [*option_texts, *scale_texts]:
        if slug not in blocks:
            raise BundleError(file, slug, "is not a block of this step in program.yaml")
    for block in step.blocks:
        body = sections.get(block.slug, "")
        if required and not body and (block.kind == BlockKind.TEXT or block.kind in EXERCISE_KINDS):
            raise BundleError(file, f"block {block.slug}", "needs text in the fallback language")
        if body:
            texts.bodies[block.slug] = body
        if block.kind in CHOICE_KINDS:
            labels = as_mapping(option_texts.get(block.slug), file, f"options.{block.slug}")
            for value in labels:
                if value not in block.options:
                    raise BundleError(file, f"options.{block.slug}.{value}", "is not an option in program.yaml")
            resolved = {}
            for value in block.options:
                label = as_text(labels.get(value), file, f"options.{block.slug}.{value}", max_length=MAX_TITLE)
                if required and not label:
                    raise BundleError(file, f"options.{block.slug}.{value}", "is required in the fallback language")
                if label:
                    resolved[value] = label
            texts.options[block.slug] = resolved
        elif block.slug in option_texts:
            raise BundleError(file, f"options.{block.slug}", f"a {block.kind} block has no options")
        if block.kind == BlockKind.SCALE:
            labels = as_mapping(scale_texts.get(block.slug), file, f"scale.{block.slug}")
            resolved = {}
            for end in ("min", "max"):
                label = as_text(labels.get(end), file, f"scale.{block.slug}.{end}", max_length=MAX_SCALE_LABEL)
                if required and not label:
                    raise BundleError(file, f"scale.{block.slug}.{end}", "is required in the fallback language")
                if label:
                    resolved[end] = label
            texts.scales[block.slug] = resolved
        elif block.slug in scale_texts:
            raise BundleError(file, f"scale.{block.slug}", f"a {block.kind} block has no scale")
    return texts


def modules_exercises(modules: list[ModuleSpec]) -> dict[str, list[str]]:
    """Every choice exercise of the modules by path (``module/step/exercise``), with its options;
    the module slugs themselves map to nothing."""
    exercises: dict[str, list[str]] = {module.slug: [] for module in modules}
    for module in modules:
        for step in module.steps:
            for block in step.blocks:
                if block.kind in CHOICE_KINDS:
                    exercises[f"{module.slug}/{step.slug}/{block.slug}"] = block.options
    return exercises


def bundle_read(path: Path) -> Bundle:
    """Read and validate a bundle folder; raise ``BundleError`` at the first problem."""
    root = Path(path)
    if not root.is_dir():
        raise BundleError(str(root), "", "is not a folder")
    slug, is_sample, languages, modules, helplines, data = _structure(load_yaml(root / STRUCTURE_FILE, root))
    steps = {f"{module.slug}/{step.slug}" for module in modules for step in module.steps}
    instruments, occasions = questionnaire_format.read_structure(data, modules_exercises(modules), steps)
    urge_words, setback_step = _urge_now(data, modules)
    texts = {language: _language_texts(root, language, modules, helplines) for language in languages}
    for language, language_texts in texts.items():
        language_texts.questionnaires = questionnaire_format.read_texts(root, language, instruments)
    return Bundle(
        slug=slug,
        is_sample=is_sample,
        modules=modules,
        helplines=helplines,
        texts=texts,
        questionnaires=instruments,
        occasions=occasions,
        urge_words=urge_words,
        setback_step=setback_step,
    )


# --- Writing ----------------------------------------------------------------------------


def bundle_write(bundle: Bundle, path: Path) -> None:
    """Write ``bundle`` as a folder, deterministically: the same bundle gives the same bytes."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    structure = {
        "format": FORMAT_VERSION,
        "slug": bundle.slug,
        "is_sample": bundle.is_sample,
        "languages": bundle.languages,
        "modules": [
            {
                "slug": module.slug,
                "steps": [
                    {
                        "slug": step.slug,
                        "minutes": step.minutes,
                        **({"show_if": step.show_if.as_data()} if step.show_if else {}),
                        "blocks": [
                            without_empty({"slug": b.slug, "kind": b.kind, "options": b.options}) for b in step.blocks
                        ],
                    }
                    for step in module.steps
                ],
            }
            for module in bundle.modules
        ],
        "helplines": [
            {
                "slug": h.slug,
                "country": h.country,
                "languages": h.languages,
                "website": h.website,
                "onion_url": h.onion_url,
                "phone": h.phone,
                **({"kind": h.kind} if h.kind != HELPLINE_KINDS[0] else {}),
                **({"chat": h.chat} if h.chat else {}),
                **({"email": h.email} if h.email else {}),
                "is_sample": h.is_sample,
            }
            for h in bundle.helplines
        ],
    }
    urge_now = without_empty({"words": bundle.urge_words, "setback_step": bundle.setback_step})
    if urge_now:
        structure["urge_now"] = urge_now
    structure.update(questionnaire_format.write_structure(bundle.questionnaires, bundle.occasions))
    (root / STRUCTURE_FILE).write_text(dump_yaml(structure), encoding="utf-8")
    for language, texts in bundle.texts.items():
        for instrument_slug, instrument_texts in texts.questionnaires.items():
            data = questionnaire_format.texts_as_data(instrument_texts)
            if data:
                folder = root / language / questionnaire_format.FOLDER
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{instrument_slug}.yaml").write_text(dump_yaml(data), encoding="utf-8")
        folder = root / language
        folder.mkdir(exist_ok=True)
        language_data = without_empty(
            {
                "title": texts.title,
                "summary": texts.summary,
                "urge_now": {name: texts.urge[field] for name, field in URGE_TEXTS.items() if texts.urge.get(field)},
                "modules": {
                    slug: without_empty(entry) for slug, entry in texts.modules.items() if without_empty(entry)
                },
                "helplines": {
                    slug: without_empty(entry) for slug, entry in texts.helplines.items() if without_empty(entry)
                },
            }
        )
        (folder / STRUCTURE_FILE).write_text(dump_yaml(language_data), encoding="utf-8")
        for module in bundle.modules:
            for step in module.steps:
                step_texts = texts.steps.get((module.slug, step.slug), StepTexts())
                _write_step(folder / module.slug / f"{step.slug}.md", step, step_texts)


def _write_step(path: Path, step: StepSpec, texts: StepTexts) -> None:
    if not texts.title and not texts.bodies:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = without_empty(
        {
            "title": texts.title,
            "options": {slug: labels for slug, labels in texts.options.items() if labels},
            "scale": {slug: labels for slug, labels in texts.scales.items() if labels},
        }
    )
    sections = [
        f"<!-- block: {block.slug} -->\n{texts.bodies[block.slug]}\n"
        for block in step.blocks
        if texts.bodies.get(block.slug)
    ]
    path.write_text(f"---\n{dump_yaml(meta)}---\n\n" + "\n".join(sections), encoding="utf-8")
