"""Writes for questionnaires: submitting and skipping an occasion's questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from helpseekers.models import HelpSeekerProfile, today
from modules.bundles import STRUCTURE_FILE, Bundle, BundleError
from modules.models import Module, Program
from modules.services import translation_get, translations_set
from questionnaires import scoring
from questionnaires.models import (
    FeedbackBand,
    Instrument,
    Item,
    ItemKind,
    ItemOption,
    ItemResponse,
    Occasion,
    QuestionnaireResponse,
    Subscale,
)
from questionnaires.selectors import instrument_items, instrument_problems, instrument_spec, occasions_due


class ResponseInvalid(Exception):
    """Some answers are not acceptable; ``errors`` maps item slugs to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("response invalid")
        self.errors = errors


class NotDue(Exception):
    """The questionnaire is not offered now (not yet due, answered or skipped)."""


def _clean(item: Item, raw: str) -> tuple[str | None, int | None]:
    """(option value, number) for one answer, or ``ValueError`` with a message."""
    raw = raw.strip()
    if item.kind in (ItemKind.SINGLE_CHOICE, ItemKind.YES_NO):
        allowed = [o.value for o in item.options.all()] if item.kind == ItemKind.SINGLE_CHOICE else ["yes", "no"]
        if raw not in allowed:
            raise ValueError(_("Choose from the options shown."))
        return raw, None
    if not raw.isdigit() or not item.min_value <= int(raw) <= item.max_value:
        raise ValueError(
            _("Enter a whole number from %(low)d to %(high)d.") % {"low": item.min_value, "high": item.max_value}
        )
    return None, int(raw)


def _due_occasion(profile: HelpSeekerProfile, occasion: Occasion) -> None:
    # Instruments are checked against the authoring rules when they are loaded, not here.
    if occasion not in occasions_due(profile=profile, program_id=occasion.program_id):
        raise NotDue


@transaction.atomic
def response_submit(
    *, profile: HelpSeekerProfile, occasion: Occasion, answers: Mapping[str, str]
) -> QuestionnaireResponse:
    """Validate, score and store one response. All or nothing; raises ``ResponseInvalid``
    (nothing stored) or ``NotDue`` (already answered or skipped, or not offered yet)."""
    _due_occasion(profile, occasion)
    items = instrument_items(occasion.instrument)
    errors: dict[str, str] = {
        slug: _("This is not a question here.") for slug in answers if slug not in {i.slug for i in items}
    }
    cleaned: dict[str, tuple[str | None, int | None]] = {}
    for item in items:
        raw = answers.get(item.slug, "")
        if not raw.strip():
            if item.required:
                errors[item.slug] = _("Please answer this question.")
            continue
        try:
            cleaned[item.slug] = _clean(item, raw)
        except ValueError as exc:
            errors[item.slug] = str(exc)
    if errors:
        raise ResponseInvalid(errors)
    spec = instrument_spec(occasion.instrument, items)
    values = {slug: option if option is not None else number for slug, (option, number) in cleaned.items()}
    total = scoring.score(spec, values) if occasion.instrument.is_scored else None  # type: ignore[arg-type]
    subscales = {
        subscale: _as_float(scoring.score(spec, values, subscale))  # type: ignore[arg-type]
        for subscale in {item.subscale for item in spec.items if item.subscale}
    }
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                profile=profile, occasion=occasion, submitted_on=today(), score=total, subscale_scores=subscales
            )
    except IntegrityError as exc:  # a double submission racing this one
        raise NotDue from exc
    by_slug = {item.slug: item for item in items}
    ItemResponse.objects.bulk_create(
        [
            ItemResponse(response=response, item=by_slug[slug], option_value=option, number=number)
            for slug, (option, number) in cleaned.items()
        ]
    )
    return response


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def response_skip(*, profile: HelpSeekerProfile, occasion: Occasion) -> None:
    """Skip a questionnaire: it is not offered again. Idempotent; stores only that it was skipped."""
    QuestionnaireResponse.objects.bulk_create(
        [QuestionnaireResponse(profile=profile, occasion=occasion, submitted_on=today(), skipped=True)],
        ignore_conflicts=True,
    )


# --- Program bundles --------------------------------------------------------------------


def instruments_load(*, bundle: Bundle, program: Program) -> None:
    """Make the program's questionnaires and occasions equal to the bundle's.

    Instruments are matched by slug (items by slug, options by value), so a response keeps
    pointing at its items when the wording changes. Runs inside the bundle's transaction and
    raises ``BundleError`` if an instrument breaks an authoring rule.
    """
    instruments = {spec.slug: _instrument_load(bundle, spec) for spec in bundle.questionnaires}
    modules = {m.slug: m for m in Module.objects.filter(program=program)}
    for position, spec in enumerate(bundle.occasions, start=1):
        occasion = Occasion.objects.filter(program=program, slug=spec.slug).first() or Occasion(
            program=program, slug=spec.slug
        )
        occasion.instrument = instruments[spec.questionnaire]
        occasion.kind = spec.kind
        occasion.module = modules[spec.module] if spec.module else None
        occasion.days_after_end = spec.days_after_end
        occasion.position = position
        occasion.save()
    Occasion.objects.filter(program=program).exclude(slug__in=[o.slug for o in bundle.occasions]).delete()


def _instrument_load(bundle: Bundle, spec: Any) -> Instrument:
    texts = {language: t.questionnaires[spec.slug] for language, t in bundle.texts.items()}
    instrument = Instrument.objects.filter(slug=spec.slug).first() or Instrument(slug=spec.slug)
    instrument.scoring = spec.scoring
    instrument.max_missing = spec.max_missing
    instrument.is_scored = spec.is_scored
    translations_set(instrument, "title", {language: t.title for language, t in texts.items()})
    translations_set(instrument, "introduction", {language: t.introduction for language, t in texts.items()})
    instrument.save()
    subscales = {}
    for slug in spec.subscales:
        subscale = Subscale.objects.filter(instrument=instrument, slug=slug).first() or Subscale(
            instrument=instrument, slug=slug
        )
        translations_set(subscale, "title", {language: t.subscales.get(slug, "") for language, t in texts.items()})
        subscale.save()
        subscales[slug] = subscale
    Subscale.objects.filter(instrument=instrument).exclude(slug__in=spec.subscales).delete()
    Item.objects.filter(instrument=instrument).update(position=F("position") + 10_000)
    ItemOption.objects.filter(item__instrument=instrument).update(position=F("position") + 10_000)
    for position, item_spec in enumerate(spec.items, start=1):
        item_texts = {language: t.items.get(item_spec.slug, {}) for language, t in texts.items()}
        item = Item.objects.filter(instrument=instrument, slug=item_spec.slug).first() or Item(
            instrument=instrument, slug=item_spec.slug
        )
        item.position, item.kind = position, item_spec.kind
        item.min_value, item.max_value = item_spec.min_value, item_spec.max_value
        item.required, item.scored, item.reverse_scored = item_spec.required, item_spec.scored, item_spec.reverse
        item.subscale = subscales.get(item_spec.subscale) if item_spec.subscale else None
        for name in ("text", "help_text", "min_label", "max_label"):
            translations_set(item, name, {language: t.get(name, "") for language, t in item_texts.items()})
        item.save()
        for o_position, option_spec in enumerate(item_spec.options, start=1):
            option = ItemOption.objects.filter(item=item, value=option_spec.value).first() or ItemOption(
                item=item, value=option_spec.value
            )
            option.position, option.score, option.is_safety = o_position, option_spec.score, option_spec.safety
            labels = {language: t.get("options", {}).get(option_spec.value, "") for language, t in item_texts.items()}
            translations_set(option, "label", labels)
            option.save()
        ItemOption.objects.filter(item=item).exclude(value__in=[o.value for o in item_spec.options]).delete()
    Item.objects.filter(instrument=instrument).exclude(slug__in=[i.slug for i in spec.items]).delete()
    FeedbackBand.objects.filter(instrument=instrument).delete()
    for index, band_spec in enumerate(spec.bands):
        band = FeedbackBand(
            instrument=instrument,
            subscale=subscales.get(band_spec.subscale) if band_spec.subscale else None,
            lower=band_spec.lower,
            upper=band_spec.upper,
        )
        translations_set(
            band, "text", {language: t.bands[index] if index < len(t.bands) else "" for language, t in texts.items()}
        )
        band.save()
    problems = instrument_problems(instrument)
    if problems:
        raise BundleError(STRUCTURE_FILE, f"questionnaires.{spec.slug}", "; ".join(problems))
    return instrument


def instruments_export(
    *, program: Program, languages: list[str]
) -> tuple[list[Any], list[Any], dict[str, dict[str, Any]]]:
    """(instrument specs, occasion specs, texts by language) of the program's questionnaires."""
    from questionnaires import bundles as qb

    occasions = list(
        Occasion.objects.filter(program=program).select_related("instrument", "module").order_by("position")
    )
    ordered: list[Instrument] = []
    for occasion in occasions:
        if occasion.instrument not in ordered:
            ordered.append(occasion.instrument)
    specs: list[Any] = []
    texts: dict[str, dict[str, Any]] = {language: {} for language in languages}
    for instrument in ordered:
        items = list(instrument.items.select_related("subscale").prefetch_related("options").order_by("position"))
        subscales = list(instrument.subscales.order_by("pk"))
        bands = list(instrument.bands.select_related("subscale").order_by("subscale_id", "lower"))
        specs.append(
            qb.InstrumentSpecB(
                slug=instrument.slug,
                scoring=instrument.scoring,
                max_missing=instrument.max_missing,
                is_scored=instrument.is_scored,
                subscales=[s.slug for s in subscales],
                items=[
                    qb.ItemSpecB(
                        slug=item.slug,
                        kind=item.kind,
                        min_value=item.min_value,
                        max_value=item.max_value,
                        required=item.required,
                        scored=item.scored,
                        reverse=item.reverse_scored,
                        subscale=item.subscale.slug if item.subscale else None,
                        options=[qb.OptionSpec(o.value, o.score, o.is_safety) for o in item.options.all()],
                    )
                    for item in items
                ],
                bands=[qb.BandSpec(b.lower, b.upper, b.subscale.slug if b.subscale else None) for b in bands],
            )
        )
        for language in languages:
            texts[language][instrument.slug] = qb.InstrumentTexts(
                title=translation_get(instrument, "title", language),
                introduction=translation_get(instrument, "introduction", language),
                subscales={s.slug: translation_get(s, "title", language) for s in subscales},
                items={
                    item.slug: {
                        **{
                            name: translation_get(item, name, language)
                            for name in ("text", "help_text", "min_label", "max_label")
                        },
                        "options": {
                            o.value: translation_get(o, "label", language)
                            for o in item.options.all()
                            if translation_get(o, "label", language)
                        },
                    }
                    for item in items
                },
                bands=[translation_get(b, "text", language) for b in bands],
            )
    occasion_specs = [
        qb.OccasionSpec(
            slug=o.slug,
            questionnaire=o.instrument.slug,
            kind=o.kind,
            module=o.module.slug if o.module else None,
            days_after_end=o.days_after_end,
        )
        for o in occasions
    ]
    return specs, occasion_specs, texts
