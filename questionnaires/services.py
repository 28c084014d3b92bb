"""Writes for questionnaires: submitting and skipping an occasion's questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpseekers.models import HelpSeekerProfile, today
from questionnaires import scoring
from questionnaires.models import Item, ItemKind, ItemResponse, Occasion, QuestionnaireResponse
from questionnaires.selectors import instrument_items, instrument_problems, instrument_spec, occasions_due


class ResponseInvalid(Exception):
    """Some answers are not acceptable; ``errors`` maps item slugs to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("response invalid")
        self.errors = errors


class NotDue(Exception):
    """The questionnaire is not offered now (not yet due, answered, skipped or unusable)."""


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
    if occasion not in occasions_due(profile=profile, program_id=occasion.program_id):
        raise NotDue
    if instrument_problems(occasion.instrument):
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
