"""Writes for questionnaires: submitting and skipping an occasion's questionnaire, and making
a program's instruments and occasions equal to a description of them.

The input types (``InstrumentInput`` and the types it holds, ``OccasionInput``) describe
questionnaire content as it should be, texts per language; ``authoring`` builds them from
bundles. Items are matched by slug, options by value and occasions by slug, so a response
keeps pointing at its items when the wording changes; what is no longer there is retired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpseekers.models import HelpSeekerProfile, today
from modules.models import Module, Program, Step
from modules.services import ConditionInput, ContentInvalid, Texts, condition_block, content_match
from modules.translation import translations_set
from questionnaires import scoring
from questionnaires.errors import NotDue, ResponseInvalid
from questionnaires.models import (
    FeedbackBand,
    FeedbackRule,
    Instrument,
    Item,
    ItemKind,
    ItemOption,
    ItemResponse,
    Occasion,
    QuestionnaireResponse,
    Subscale,
)
from questionnaires.selectors import (
    instrument_items,
    instrument_problems,
    instrument_spec,
    items_shown,
    occasion_round,
    occasions_due,
)
from redirection.errors import FieldRefused
from redirection.inputs import whole_number


def _clean(item: Item, raw: str) -> tuple[str | None, int | None]:
    """(option value, number) for one answer; raises ``FieldRefused``."""
    raw = raw.strip()
    if item.kind in (ItemKind.SINGLE_CHOICE, ItemKind.YES_NO):
        allowed = [o.value for o in item.options.all()] if item.kind == ItemKind.SINGLE_CHOICE else ["yes", "no"]
        if raw not in allowed:
            raise FieldRefused(_("Choose from the options shown."))
        return raw, None
    number = whole_number(raw, low=item.min_value, high=item.max_value)
    if number is None:
        raise FieldRefused(
            _("Enter a whole number from %(low)d to %(high)d.") % {"low": item.min_value, "high": item.max_value}
        )
    return None, number


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
    # Items the help-seeker's own answers hide are not asked: they are neither required nor
    # accepted, and an unscored item (the only kind that can be hidden) leaves the score as it is.
    asked = items_shown(profile=profile, items=items)
    known = {item.slug for item in asked}
    errors: dict[str, str] = {slug: _("This is not a question here.") for slug in answers if slug not in known}
    cleaned: dict[str, tuple[str | None, int | None]] = {}
    for item in asked:
        raw = answers.get(item.slug, "")
        if not raw.strip():
            if item.required:
                errors[item.slug] = _("Please answer this question.")
            continue
        try:
            cleaned[item.slug] = _clean(item, raw)
        except FieldRefused as refused:
            errors[item.slug] = refused.message
    if errors:
        raise ResponseInvalid(errors)
    spec = instrument_spec(occasion.instrument, items)
    # Each answer has exactly one of the two (``_clean``): an option value or a number.
    values: dict[str, scoring.Answer] = {
        slug: option if option is not None else cast(int, number) for slug, (option, number) in cleaned.items()
    }
    total = scoring.score(spec, values) if occasion.instrument.is_scored else None
    subscales = {
        subscale: _as_float(scoring.score(spec, values, subscale))
        for subscale in {item.subscale for item in spec.items if item.subscale}
    }
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                profile=profile,
                occasion=occasion,
                round=occasion_round(occasion, profile),
                submitted_on=today(),
                score=total,
                subscale_scores=subscales,
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
    """Skip a questionnaire: it is not offered again (a repeating one until its next round).
    Idempotent; stores only that it was skipped."""
    round_number = occasion_round(occasion, profile)
    QuestionnaireResponse.objects.bulk_create(
        [
            QuestionnaireResponse(
                profile=profile, occasion=occasion, round=round_number, submitted_on=today(), skipped=True
            )
        ],
        ignore_conflicts=True,
    )


# --- Making questionnaire content equal to an input -------------------------------------


@dataclass(frozen=True)
class ItemOptionInput:
    value: str
    score: int
    is_safety: bool
    label: Texts


@dataclass(frozen=True)
class ItemInput:
    slug: str
    kind: str
    text: Texts
    min_value: int = 0
    max_value: int = 10
    required: bool = False
    scored: bool = True
    reverse_scored: bool = False
    subscale: str | None = None
    help_text: Texts = field(default_factory=dict)
    min_label: Texts = field(default_factory=dict)
    max_label: Texts = field(default_factory=dict)
    options: Sequence[ItemOptionInput] = ()
    condition: ConditionInput | None = None


@dataclass(frozen=True)
class BandInput:
    lower: Decimal
    upper: Decimal
    text: Texts
    subscale: str | None = None


@dataclass(frozen=True)
class RuleInput:
    """Feedback on one item's answer (see ``questionnaires.models.FeedbackRule``); ``step`` is a
    (module slug, step slug) of the program to link to."""

    slug: str
    item: str
    text: Texts
    kind: str = "concern"
    any_of: Sequence[str] = ()
    at_least: int | None = None
    at_most: int | None = None
    step: tuple[str, str] | None = None


@dataclass(frozen=True)
class InstrumentInput:
    """An instrument as it should be. ``subscales`` maps each subscale's slug to its title."""

    slug: str
    scoring: str
    max_missing: int
    is_scored: bool
    title: Texts
    introduction: Texts
    items: Sequence[ItemInput]
    subscales: Mapping[str, Texts] = field(default_factory=dict)
    bands: Sequence[BandInput] = ()
    better: str = "lower"
    subscale_better: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[RuleInput] = ()


@dataclass(frozen=True)
class OccasionInput:
    slug: str
    instrument: str
    kind: str
    module: str | None = None
    days_after_end: int | None = None
    every_days: int | None = None
    times: int | None = None


class InstrumentInvalid(Exception):
    """An instrument breaks an authoring rule; ``problems`` says how, in plain words."""

    def __init__(self, slug: str, problems: Sequence[str]) -> None:
        super().__init__(f"{slug}: {'; '.join(problems)}")
        self.slug = slug
        self.problems = list(problems)


@transaction.atomic
def program_questionnaires_save(
    *, program: Program, instruments: Sequence[InstrumentInput], occasions: Sequence[OccasionInput]
) -> None:
    """Make the program's instruments and occasions equal to the inputs; retire what is gone.

    Raises ``InstrumentInvalid`` (and, inside the caller's transaction, changes nothing) when
    an instrument breaks an authoring rule: bands that do not tile the scores, a scale that
    does not run from 0 to 10, a choice item without options.
    """
    saved = {spec.slug: _instrument_save(spec, program) for spec in instruments}
    modules = {m.slug: m for m in Module.objects.filter(program=program)}
    rows = content_match(Occasion.objects.filter(program=program), [o.slug for o in occasions])
    for position, (spec, occasion) in enumerate(zip(occasions, rows, strict=True), start=1):
        occasion = occasion or Occasion(program=program, slug=spec.slug)
        occasion.instrument = saved[spec.instrument]
        occasion.kind = spec.kind
        occasion.module = modules[spec.module] if spec.module else None
        occasion.days_after_end = spec.days_after_end
        occasion.every_days, occasion.times = spec.every_days, spec.times
        occasion.position, occasion.retired_on = position, None
        occasion.save()


def _instrument_save(spec: InstrumentInput, program: Program) -> Instrument:
    instrument = Instrument.objects.filter(slug=spec.slug).first() or Instrument(slug=spec.slug)
    instrument.scoring = spec.scoring
    instrument.max_missing = spec.max_missing
    instrument.is_scored = spec.is_scored
    instrument.better = spec.better
    translations_set(instrument, "title", spec.title)
    translations_set(instrument, "introduction", spec.introduction)
    instrument.save()

    # Subscales carry no help-seeker data (scores keep their own copy), so they are replaced.
    subscales = {}
    for slug, title in spec.subscales.items():
        subscale = Subscale.objects.filter(instrument=instrument, slug=slug).first() or Subscale(
            instrument=instrument, slug=slug
        )
        translations_set(subscale, "title", title)
        subscale.better = spec.subscale_better.get(slug, "lower")
        subscale.save()
        subscales[slug] = subscale
    Subscale.objects.filter(instrument=instrument).exclude(slug__in=list(spec.subscales)).delete()

    items = content_match(Item.objects.filter(instrument=instrument), [i.slug for i in spec.items])
    for position, (item_spec, item) in enumerate(zip(spec.items, items, strict=True), start=1):
        item = item or Item(instrument=instrument, slug=item_spec.slug)
        item.position, item.retired_on, item.kind = position, None, item_spec.kind
        item.min_value, item.max_value = item_spec.min_value, item_spec.max_value
        item.required, item.scored, item.reverse_scored = item_spec.required, item_spec.scored, item_spec.reverse_scored
        item.subscale = subscales.get(item_spec.subscale) if item_spec.subscale else None
        try:
            item.condition_block = (
                condition_block(program=program, condition=item_spec.condition) if item_spec.condition else None
            )
        except ContentInvalid as invalid:
            raise InstrumentInvalid(spec.slug, [f"item '{item_spec.slug}': {invalid}"]) from invalid
        item.condition_values = list(item_spec.condition.any_of) if item_spec.condition else []
        translations_set(item, "text", item_spec.text)
        translations_set(item, "help_text", item_spec.help_text)
        translations_set(item, "min_label", item_spec.min_label)
        translations_set(item, "max_label", item_spec.max_label)
        item.save()
        options = content_match(ItemOption.objects.filter(item=item), [o.value for o in item_spec.options], key="value")
        for o_position, (option_spec, option) in enumerate(zip(item_spec.options, options, strict=True), start=1):
            option = option or ItemOption(item=item, value=option_spec.value)
            option.position, option.retired_on = o_position, None
            option.score, option.is_safety = option_spec.score, option_spec.is_safety
            translations_set(option, "label", option_spec.label)
            option.save()

    # Bands are feedback texts only; responses keep their score, so bands are replaced.
    FeedbackBand.objects.filter(instrument=instrument).delete()
    for band_spec in spec.bands:
        band = FeedbackBand(
            instrument=instrument,
            subscale=subscales.get(band_spec.subscale) if band_spec.subscale else None,
            lower=band_spec.lower,
            upper=band_spec.upper,
        )
        translations_set(band, "text", band_spec.text)
        band.save()
    _rules_save(instrument, spec, program)
    problems = instrument_problems(instrument)
    if problems:
        raise InstrumentInvalid(spec.slug, problems)
    return instrument


def _rules_save(instrument: Instrument, spec: InstrumentInput, program: Program) -> None:
    """Replace the instrument's feedback rules (texts only: nothing of a help-seeker's points here)."""
    FeedbackRule.objects.filter(instrument=instrument).delete()
    items = {item.slug: item for item in Item.objects.filter(instrument=instrument, retired_on__isnull=True)}
    for position, rule in enumerate(spec.rules, start=1):
        step = None
        if rule.step is not None:
            step = (
                Step.objects.active()
                .filter(module__program=program, module__slug=rule.step[0], slug=rule.step[1])
                .first()
            )
            if step is None:
                raise InstrumentInvalid(spec.slug, [f"rule '{rule.slug}': {'/'.join(rule.step)} is not a step in use"])
        if rule.item not in items:
            raise InstrumentInvalid(spec.slug, [f"rule '{rule.slug}': '{rule.item}' is not an item in use"])
        row = FeedbackRule(
            instrument=instrument,
            slug=rule.slug,
            position=position,
            item=items[rule.item],
            any_of=list(rule.any_of),
            at_least=rule.at_least,
            at_most=rule.at_most,
            kind=rule.kind,
            step=step,
        )
        translations_set(row, "text", rule.text)
        row.save()
