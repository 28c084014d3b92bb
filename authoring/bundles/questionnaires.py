"""The questionnaire part of a program bundle: instruments and occasions.

In ``program.yaml``::

    questionnaires:            # instruments: scoring, items, options, bands (no text)
    occasions:                 # when the program offers each instrument

and per language ``<lang>/questionnaires/<slug>.yaml`` with the instrument's texts.
Reading validates shape and references; loading also checks the authoring rules (bands
tile the score range, values in range) and refuses the whole bundle if one fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from authoring.bundles.format import (
    FALLBACK_LANGUAGE,
    STRUCTURE_FILE,
    BundleError,
    ConditionSpec,
    as_condition,
    as_int,
    as_list,
    as_mapping,
    as_slug,
    as_text,
    load_yaml,
    require_unique,
    without_empty,
)
from questionnaires.models import ItemKind, OccasionKind, Scoring

FOLDER = "questionnaires"


@dataclass
class OptionSpec:
    value: str
    score: int
    safety: bool = False


@dataclass
class ItemSpec:
    slug: str
    kind: str
    min_value: int = 0
    max_value: int = 10
    required: bool = False
    scored: bool = True
    reverse: bool = False
    subscale: str | None = None
    options: list[OptionSpec] = field(default_factory=list)
    show_if: ConditionSpec | None = None


@dataclass
class BandSpec:
    lower: Decimal
    upper: Decimal
    subscale: str | None = None


@dataclass
class RuleSpec:
    """Feedback on an answer: when ``item`` is one of ``any_of``, at least ``at_least`` or at
    most ``at_most``; ``kind`` concern, safety or crisis; ``see`` a step (``module/step``)."""

    slug: str
    item: str
    kind: str = "concern"
    any_of: list[str] = field(default_factory=list)
    at_least: int | None = None
    at_most: int | None = None
    see: str | None = None


@dataclass
class InstrumentSpec:
    slug: str
    scoring: str
    max_missing: int
    is_scored: bool
    subscales: list[str]
    items: list[ItemSpec]
    bands: list[BandSpec]
    better: str = "lower"
    subscale_better: dict[str, str] = field(default_factory=dict)  # only where higher is better
    rules: list[RuleSpec] = field(default_factory=list)


@dataclass
class OccasionSpec:
    slug: str
    questionnaire: str
    kind: str
    module: str | None = None
    days_after_end: int | None = None
    every_days: int | None = None
    times: int | None = None


@dataclass
class InstrumentTexts:
    title: str = ""
    introduction: str = ""
    subscales: dict[str, str] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> {text, help_text, ..., options}
    bands: list[str] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # rule slug -> feedback


def _decimal(value: Any, file: str, key: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise BundleError(file, key, "must be a number") from exc


BETTER = ("lower", "higher")
RULE_KINDS = ("concern", "safety", "crisis")


def _better(value: Any, file: str, key: str) -> str:
    better = as_text(value, file, key) or BETTER[0]
    if better not in BETTER:
        raise BundleError(file, key, f"must be one of {', '.join(BETTER)}")
    return better


def _subscales(raw: Any, file: str, key: str) -> tuple[list[str], dict[str, str]]:
    """Subscale slugs in order, and those whose shown value is better higher. An entry is a
    slug, or ``{slug, better}``."""
    slugs: list[str] = []
    better: dict[str, str] = {}
    for index, entry in enumerate(as_list(raw, file, key, required=False)):
        if isinstance(entry, dict):
            slug = as_slug(entry.get("slug"), file, f"{key}[{index}].slug")
            direction = _better(entry.get("better"), file, f"{key}[{index}].better")
            if direction != BETTER[0]:
                better[slug] = direction
        else:
            slug = as_slug(entry, file, key)
        slugs.append(slug)
    require_unique(slugs, file, key)
    return slugs, better


def _rules(raw: Any, file: str, key: str, items: list[ItemSpec], steps: set[str]) -> list[RuleSpec]:
    by_slug = {item.slug: item for item in items}
    rules: list[RuleSpec] = []
    for index, entry in enumerate(as_list(raw, file, key, required=False)):
        r_key = f"{key}[{index}]"
        entry = as_mapping(entry, file, r_key)
        item = by_slug.get(as_text(entry.get("item"), file, f"{r_key}.item"))
        if item is None:
            raise BundleError(file, f"{r_key}.item", "is not an item of this questionnaire")
        kind = as_text(entry.get("kind"), file, f"{r_key}.kind") or RULE_KINDS[0]
        if kind not in RULE_KINDS:
            raise BundleError(file, f"{r_key}.kind", f"'{kind}' is not one of {', '.join(RULE_KINDS)}")
        values = [
            as_slug(v, file, f"{r_key}.any_of")
            for v in as_list(entry.get("any_of"), file, f"{r_key}.any_of", required=False)
        ]
        allowed = [o.value for o in item.options] if item.kind == ItemKind.SINGLE_CHOICE else ["yes", "no"]
        bounds = {name: entry.get(name) for name in ("at_least", "at_most") if entry.get(name) is not None}
        if bool(values) + len(bounds) != 1:
            raise BundleError(file, r_key, "needs exactly one of any_of, at_least or at_most")
        if values and (item.kind not in (ItemKind.SINGLE_CHOICE, ItemKind.YES_NO) or set(values) - set(allowed)):
            raise BundleError(file, f"{r_key}.any_of", f"must be options of item '{item.slug}'")
        if bounds and item.kind not in (ItemKind.SCALE, ItemKind.NUMBER):
            raise BundleError(file, r_key, f"at_least and at_most are for numbers and scales, not '{item.kind}'")
        numbers = {
            name: as_int(value, file, f"{r_key}.{name}", low=item.min_value, high=item.max_value)
            for name, value in bounds.items()
        }
        see = as_text(entry.get("see"), file, f"{r_key}.see") or None
        if see is not None and see not in steps:
            raise BundleError(file, f"{r_key}.see", f"'{see}' is not a step of this program (module/step)")
        rules.append(
            RuleSpec(
                slug=as_slug(entry.get("slug"), file, f"{r_key}.slug"),
                item=item.slug,
                kind=kind,
                any_of=values,
                at_least=numbers.get("at_least"),
                at_most=numbers.get("at_most"),
                see=see,
            )
        )
    require_unique([rule.slug for rule in rules], file, key)
    return rules


def read_structure(
    data: dict[str, Any], exercises: dict[str, list[str]], steps: set[str] | None = None
) -> tuple[list[InstrumentSpec], list[OccasionSpec]]:
    """The questionnaires and occasions of ``program.yaml``, validated against the modules:
    ``exercises`` holds the module slugs and every choice exercise (``module/step/exercise``)."""
    module_slugs = {path for path in exercises if "/" not in path}
    choice_exercises = {path: options for path, options in exercises.items() if "/" in path}
    file = STRUCTURE_FILE
    instruments: list[InstrumentSpec] = []
    for index, raw in enumerate(as_list(data.get("questionnaires"), file, "questionnaires", required=False)):
        key = f"questionnaires[{index}]"
        raw = as_mapping(raw, file, key)
        scoring = raw.get("scoring", Scoring.SUM)
        if scoring not in Scoring.values:
            raise BundleError(file, f"{key}.scoring", f"must be one of {', '.join(Scoring.values)}")
        subscales, subscale_better = _subscales(raw.get("subscales"), file, f"{key}.subscales")
        items: list[ItemSpec] = []
        for i_index, raw_item in enumerate(as_list(raw.get("items"), file, f"{key}.items")):
            i_key = f"{key}.items[{i_index}]"
            raw_item = as_mapping(raw_item, file, i_key)
            kind = raw_item.get("kind")
            if kind not in ItemKind.values:
                raise BundleError(file, f"{i_key}.kind", f"'{kind}' is not one of {', '.join(ItemKind.values)}")
            subscale = raw_item.get("subscale")
            if subscale is not None and subscale not in subscales:
                raise BundleError(file, f"{i_key}.subscale", f"'{subscale}' is not listed in subscales")
            raw_options = as_list(
                raw_item.get("options"), file, f"{i_key}.options", required=kind == ItemKind.SINGLE_CHOICE
            )
            options = [
                OptionSpec(
                    value=as_slug(as_mapping(o, file, f"{i_key}.options").get("value"), file, f"{i_key}.options"),
                    score=as_int(o.get("score", 0), file, f"{i_key}.options", low=-100, high=100),
                    safety=bool(o.get("safety", False)),
                )
                for o in raw_options
            ]
            require_unique([o.value for o in options], file, f"{i_key}.options")
            default_max = 1 if kind == ItemKind.YES_NO else 10
            items.append(
                ItemSpec(
                    slug=as_slug(raw_item.get("slug"), file, f"{i_key}.slug"),
                    kind=kind,
                    min_value=as_int(raw_item.get("min", 0), file, f"{i_key}.min", high=1000),
                    max_value=as_int(raw_item.get("max", default_max), file, f"{i_key}.max", high=1000),
                    required=bool(raw_item.get("required", False)),
                    scored=bool(raw_item.get("scored", True)),
                    reverse=bool(raw_item.get("reverse", False)),
                    subscale=subscale,
                    options=options,
                    show_if=as_condition(raw_item.get("show_if"), file, f"{i_key}.show_if", choice_exercises),
                )
            )
        require_unique([item.slug for item in items], file, f"{key}.items")
        bands = [
            BandSpec(
                lower=_decimal(as_mapping(b, file, f"{key}.bands").get("lower"), file, f"{key}.bands[{b_index}].lower"),
                upper=_decimal(b.get("upper"), file, f"{key}.bands[{b_index}].upper"),
                subscale=b.get("subscale"),
            )
            for b_index, b in enumerate(as_list(raw.get("bands"), file, f"{key}.bands", required=False))
        ]
        instruments.append(
            InstrumentSpec(
                slug=as_slug(raw.get("slug"), file, f"{key}.slug"),
                scoring=scoring,
                max_missing=as_int(raw.get("max_missing", 0), file, f"{key}.max_missing", high=100),
                is_scored=bool(raw.get("is_scored", True)),
                subscales=subscales,
                items=items,
                bands=bands,
                better=_better(raw.get("better"), file, f"{key}.better"),
                subscale_better=subscale_better,
                rules=_rules(raw.get("rules"), file, f"{key}.rules", items, steps or set()),
            )
        )
    require_unique([i.slug for i in instruments], file, "questionnaires")
    known = {i.slug for i in instruments}
    occasions: list[OccasionSpec] = []
    for index, raw in enumerate(as_list(data.get("occasions"), file, "occasions", required=False)):
        key = f"occasions[{index}]"
        raw = as_mapping(raw, file, key)
        kind = raw.get("kind")
        if kind not in OccasionKind.values:
            raise BundleError(file, f"{key}.kind", f"'{kind}' is not one of {', '.join(OccasionKind.values)}")
        questionnaire = raw.get("questionnaire")
        if questionnaire not in known:
            raise BundleError(file, f"{key}.questionnaire", f"'{questionnaire}' is not a questionnaire of this bundle")
        module = raw.get("module")
        if (kind == OccasionKind.AFTER_MODULE) != (module is not None) or (module and module not in module_slugs):
            raise BundleError(file, f"{key}.module", "an after_module occasion names one module of the program")
        days = raw.get("days_after_end")
        if (kind == OccasionKind.FOLLOW_UP) != (days is not None):
            raise BundleError(file, f"{key}.days_after_end", "a follow_up occasion (and only one) has days_after_end")
        every, times = raw.get("every_days"), raw.get("times")
        repeating = kind == OccasionKind.REPEATING
        if repeating != (every is not None) or repeating != (times is not None):
            raise BundleError(file, key, "a repeating occasion (and only one) has every_days and times")
        occasions.append(
            OccasionSpec(
                slug=as_slug(raw.get("slug"), file, f"{key}.slug"),
                questionnaire=questionnaire,
                kind=kind,
                module=module,
                days_after_end=as_int(days, file, f"{key}.days_after_end", high=3650) if days is not None else None,
                every_days=as_int(every, file, f"{key}.every_days", low=1, high=365) if repeating else None,
                times=as_int(times, file, f"{key}.times", low=1, high=104) if repeating else None,
            )
        )
    require_unique([o.slug for o in occasions], file, "occasions")
    return instruments, occasions


def read_texts(root: Path, language: str, instruments: list[InstrumentSpec]) -> dict[str, InstrumentTexts]:
    """One language's texts of every instrument; the fallback language must have them all."""
    required = language == FALLBACK_LANGUAGE
    texts: dict[str, InstrumentTexts] = {}
    for instrument in instruments:
        path = root / language / FOLDER / f"{instrument.slug}.yaml"
        file = str(path.relative_to(root))
        if not path.is_file():
            if required:
                raise BundleError(file, "", "file is missing")
            texts[instrument.slug] = _empty_texts(instrument)
            continue
        data = as_mapping(load_yaml(path, root), file, "")
        entry = InstrumentTexts(
            title=as_text(data.get("title"), file, "title", max_length=200),
            introduction=as_text(data.get("introduction"), file, "introduction"),
        )
        if required and not entry.title:
            raise BundleError(file, "title", "is required in the fallback language")
        raw_subscales = as_mapping(data.get("subscales"), file, "subscales")
        for slug in instrument.subscales:
            entry.subscales[slug] = as_text(raw_subscales.get(slug), file, f"subscales.{slug}", max_length=200)
            if required and not entry.subscales[slug]:
                raise BundleError(file, f"subscales.{slug}", "is required in the fallback language")
        raw_items = as_mapping(data.get("items"), file, "items")
        for slug in raw_items:
            if slug not in {item.slug for item in instrument.items}:
                raise BundleError(file, f"items.{slug}", "is not an item of this questionnaire in program.yaml")
        for item in instrument.items:
            raw = as_mapping(raw_items.get(item.slug), file, f"items.{item.slug}")
            item_texts: dict[str, Any] = {
                name: as_text(raw.get(name), file, f"items.{item.slug}.{name}", max_length=300)
                for name in ("text", "help_text", "min_label", "max_label")
            }
            if required and not item_texts["text"]:
                raise BundleError(file, f"items.{item.slug}.text", "is required in the fallback language")
            raw_options = as_mapping(raw.get("options"), file, f"items.{item.slug}.options")
            options = {}
            for option in item.options:
                label = as_text(
                    raw_options.get(option.value), file, f"items.{item.slug}.options.{option.value}", max_length=200
                )
                if required and not label:
                    raise BundleError(
                        file, f"items.{item.slug}.options.{option.value}", "is required in the fallback language"
                    )
                if label:
                    options[option.value] = label
            item_texts["options"] = options
            entry.items[item.slug] = item_texts
        raw_bands = as_list(data.get("bands"), file, "bands", required=False)
        if required and len(raw_bands) != len(instrument.bands):
            raise BundleError(file, "bands", f"needs one text for each of the {len(instrument.bands)} bands")
        if len(raw_bands) > len(instrument.bands):
            raise BundleError(file, "bands", f"has more texts than the {len(instrument.bands)} bands")
        entry.bands = [as_text(text, file, f"bands[{i}]") for i, text in enumerate(raw_bands)]
        entry.bands += [""] * (len(instrument.bands) - len(entry.bands))
        raw_rules = as_mapping(data.get("rules"), file, "rules")
        rule_slugs = [rule.slug for rule in instrument.rules]
        for slug in raw_rules:
            if slug not in rule_slugs:
                raise BundleError(file, f"rules.{slug}", "is not a rule of this questionnaire in program.yaml")
        for slug in rule_slugs:
            entry.rules[slug] = as_text(raw_rules.get(slug), file, f"rules.{slug}")
            if required and not entry.rules[slug]:
                raise BundleError(file, f"rules.{slug}", "is required in the fallback language")
        texts[instrument.slug] = entry
    return texts


def _empty_texts(instrument: InstrumentSpec) -> InstrumentTexts:
    """What a language without this instrument's file reads as (and what export gives)."""
    names = ("text", "help_text", "min_label", "max_label")
    return InstrumentTexts(
        subscales=dict.fromkeys(instrument.subscales, ""),
        items={item.slug: {**dict.fromkeys(names, ""), "options": {}} for item in instrument.items},
        bands=[""] * len(instrument.bands),
        rules=dict.fromkeys((rule.slug for rule in instrument.rules), ""),
    )


def write_structure(instruments: list[InstrumentSpec], occasions: list[OccasionSpec]) -> dict[str, Any]:
    """The ``questionnaires`` and ``occasions`` entries of ``program.yaml``."""

    def item_dict(item: ItemSpec) -> dict[str, Any]:
        data: dict[str, Any] = {"slug": item.slug, "kind": item.kind}
        if item.kind in (ItemKind.NUMBER, ItemKind.SCALE):
            data.update(min=item.min_value, max=item.max_value)
        for name, value, default in (("required", item.required, False), ("scored", item.scored, True),
                                     ("reverse", item.reverse, False), ("subscale", item.subscale, None)):  # fmt: skip
            if value != default:
                data[name] = value
        if item.show_if:
            data["show_if"] = item.show_if.as_data()
        if item.options:
            data["options"] = [
                {"value": o.value, "score": o.score, **({"safety": True} if o.safety else {})} for o in item.options
            ]
        return data

    result: dict[str, Any] = {}
    if instruments:
        result["questionnaires"] = [
            {
                "slug": i.slug,
                "scoring": i.scoring,
                "max_missing": i.max_missing,
                "is_scored": i.is_scored,
                **({"better": i.better} if i.better != BETTER[0] else {}),
                **({"subscales": [_subscale_data(s, i.subscale_better) for s in i.subscales]} if i.subscales else {}),
                "items": [item_dict(item) for item in i.items],
                **({"bands": [_band_dict(b) for b in i.bands]} if i.bands else {}),
                **({"rules": [_rule_dict(r) for r in i.rules]} if i.rules else {}),
            }
            for i in instruments
        ]
    if occasions:
        result["occasions"] = [
            {
                "slug": o.slug,
                "questionnaire": o.questionnaire,
                "kind": o.kind,
                **({"module": o.module} if o.module else {}),
                **({"days_after_end": o.days_after_end} if o.days_after_end is not None else {}),
                **({"every_days": o.every_days, "times": o.times} if o.every_days is not None else {}),
            }
            for o in occasions
        ]
    return result


def _subscale_data(slug: str, better: dict[str, str]) -> str | dict[str, str]:
    return {"slug": slug, "better": better[slug]} if slug in better else slug


def _rule_dict(rule: RuleSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"slug": rule.slug, "item": rule.item}
    if rule.kind != RULE_KINDS[0]:
        data["kind"] = rule.kind
    if rule.any_of:
        data["any_of"] = list(rule.any_of)
    for name in ("at_least", "at_most"):
        if getattr(rule, name) is not None:
            data[name] = getattr(rule, name)
    if rule.see:
        data["see"] = rule.see
    return data


def _band_dict(band: BandSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"lower": _number(band.lower), "upper": _number(band.upper)}
    if band.subscale:
        data["subscale"] = band.subscale
    return data


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def texts_as_data(texts: InstrumentTexts) -> dict[str, Any]:
    """One language's texts of one instrument, as its file holds them."""
    clean = without_empty
    return clean(
        {
            "title": texts.title,
            "introduction": texts.introduction,
            "subscales": clean(texts.subscales),
            "items": {slug: clean(item) for slug, item in texts.items.items() if clean(item)},
            "bands": texts.bands if any(texts.bands) else [],
            "rules": clean(texts.rules),
        }
    )
