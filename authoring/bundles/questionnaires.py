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
class InstrumentSpec:
    slug: str
    scoring: str
    max_missing: int
    is_scored: bool
    subscales: list[str]
    items: list[ItemSpec]
    bands: list[BandSpec]


@dataclass
class OccasionSpec:
    slug: str
    questionnaire: str
    kind: str
    module: str | None = None
    days_after_end: int | None = None


@dataclass
class InstrumentTexts:
    title: str = ""
    introduction: str = ""
    subscales: dict[str, str] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> {text, help_text, ..., options}
    bands: list[str] = field(default_factory=list)


def _decimal(value: Any, file: str, key: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise BundleError(file, key, "must be a number") from exc


def read_structure(
    data: dict[str, Any], exercises: dict[str, list[str]]
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
        subscales = [
            as_slug(s, file, f"{key}.subscales")
            for s in as_list(raw.get("subscales"), file, f"{key}.subscales", required=False)
        ]
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
        occasions.append(
            OccasionSpec(
                slug=as_slug(raw.get("slug"), file, f"{key}.slug"),
                questionnaire=questionnaire,
                kind=kind,
                module=module,
                days_after_end=as_int(days, file, f"{key}.days_after_end", high=3650) if days is not None else None,
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
        texts[instrument.slug] = entry
    return texts


def _empty_texts(instrument: InstrumentSpec) -> InstrumentTexts:
    """What a language without this instrument's file reads as (and what export gives)."""
    names = ("text", "help_text", "min_label", "max_label")
    return InstrumentTexts(
        subscales=dict.fromkeys(instrument.subscales, ""),
        items={item.slug: {**dict.fromkeys(names, ""), "options": {}} for item in instrument.items},
        bands=[""] * len(instrument.bands),
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
                **({"subscales": i.subscales} if i.subscales else {}),
                "items": [item_dict(item) for item in i.items],
                **({"bands": [_band_dict(b) for b in i.bands]} if i.bands else {}),
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
            }
            for o in occasions
        ]
    return result


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
        }
    )
