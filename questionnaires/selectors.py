"""Reads for questionnaires: instrument specs, what is due, a questionnaire and a result as
the help-seeker sees them, change from baseline, and the structured values the statistics
jobs will aggregate (never free text).

Questionnaire pages follow the same language gate as the program's content: the caller
decides the content language once (``modules.selectors.content_language_for``) and every
text here is resolved in it, so a page never mixes languages field by field. Labels that
belong to the interface ("At the start") stay in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpseekers.conditions import answered_choices, is_shown
from helpseekers.models import HelpSeekerProfile, ModuleCompletion, today
from helpseekers.selectors import program_completed_on
from modules.selectors import content_language_for
from questionnaires import scoring
from questionnaires.models import (
    Better,
    Instrument,
    Item,
    ItemKind,
    ItemOption,
    ItemResponse,
    Occasion,
    OccasionKind,
    QuestionnaireResponse,
    RuleKind,
    Subscale,
)


def instrument_items(instrument: Instrument) -> list[Item]:
    """The instrument's items in use, in order, with their options in use."""
    options = ItemOption.objects.filter(retired_on__isnull=True).order_by("position")
    return list(
        instrument.items.filter(retired_on__isnull=True)
        .select_related("subscale")
        .prefetch_related(Prefetch("options", queryset=options))
        .order_by("position")
    )


def items_shown(*, profile: HelpSeekerProfile, items: list[Item]) -> list[Item]:
    """The items asked of this help-seeker: those whose condition their answers meet (or that
    have none). One query when any item is conditional."""
    conditions = {item.condition_block_id for item in items if item.condition_block_id is not None}
    if not conditions:
        return items
    answers = answered_choices(profile=profile, block_ids=conditions)
    return [item for item in items if is_shown(item.condition_block_id, item.condition_values, answers)]


def instrument_spec(instrument: Instrument, items: list[Item] | None = None) -> scoring.InstrumentSpec:
    items = items if items is not None else instrument_items(instrument)
    return scoring.InstrumentSpec(
        scoring=instrument.scoring,
        max_missing=instrument.max_missing,
        items=tuple(
            scoring.ItemSpec(
                slug=item.slug,
                kind=item.kind,
                min_value=item.min_value,
                max_value=item.max_value,
                option_scores={option.value: option.score for option in item.options.all()},
                scored=item.scored,
                reverse=item.reverse_scored,
                subscale=item.subscale.slug if item.subscale else None,
            )
            for item in items
        ),
    )


def instrument_problems(instrument: Instrument) -> list[str]:
    """Authoring errors that keep an instrument from being offered, in plain words."""
    items = instrument_items(instrument)
    problems: list[str] = []
    for item in items:
        options = list(item.options.all())
        if item.kind == ItemKind.SINGLE_CHOICE and len(options) < 2:
            problems.append(f"item '{item.slug}': a single-choice item needs at least two options")
        if item.kind != ItemKind.SINGLE_CHOICE and options:
            problems.append(f"item '{item.slug}': only single-choice items have options")
        if item.kind == ItemKind.SCALE and (item.min_value, item.max_value) != (0, 10):
            problems.append(f"item '{item.slug}': a scale runs from 0 to 10")
        if item.min_value >= item.max_value:
            problems.append(f"item '{item.slug}': the lowest value must be below the highest")
        if item.condition_block_id is not None and item.scored:
            problems.append(f"item '{item.slug}': only unscored items can be shown for some answers (show_if)")
    if problems or not instrument.is_scored:
        if not instrument.is_scored and instrument.bands.exists():
            problems.append("an unscored survey has no feedback bands")
        return problems
    spec = instrument_spec(instrument, items)
    bands = list(instrument.bands.all())
    subscales = {band.subscale_id: band.subscale for band in bands}
    for subscale_id, subscale in subscales.items():
        low, high = scoring.score_bounds(spec, subscale.slug if subscale else None)
        ranges = [(b.lower, b.upper) for b in bands if b.subscale_id == subscale_id]
        where = f"subscale '{subscale.slug}'" if subscale else "total score"
        problems += [f"{where}: {problem}" for problem in scoring.band_problems(ranges, low, high)]
    if None not in subscales:
        problems.append("total score: no feedback bands")
    return problems


def occasion_get(*, program_id: int, slug: str) -> Occasion:
    """An occasion of a published program by slug (retired ones too: results stay readable), or 404."""
    occasion = (
        Occasion.objects.select_related("instrument", "module", "program")
        .filter(program_id=program_id, slug=slug)
        .first()
    )
    if occasion is None:
        raise Http404
    return occasion


# --- What is due ------------------------------------------------------------------------


def occasion_round(occasion: Occasion, profile: HelpSeekerProfile, on: date | None = None) -> int:
    """The round of a repeating occasion offered on ``on`` (0 before the first, and for every
    other kind of occasion): one every ``every_days`` days from the day the profile started."""
    if occasion.kind != OccasionKind.REPEATING or not occasion.every_days:
        return 0
    return ((on or today()) - profile.created_on).days // occasion.every_days


def occasions_due(*, profile: HelpSeekerProfile, program_id: int, on: date | None = None) -> list[Occasion]:
    """Occasions in use offered now: due, and neither answered nor skipped (for a repeating
    one, in its current round). Four queries."""
    on = on or today()
    answered = set(QuestionnaireResponse.objects.filter(profile=profile).values_list("occasion_id", "round"))
    occasions = [
        o
        for o in Occasion.objects.filter(program_id=program_id, retired_on__isnull=True)
        .select_related("instrument", "module", "program")
        .order_by("position")
        if (o.pk, occasion_round(o, profile, on)) not in answered
    ]
    completed_modules = set(
        ModuleCompletion.objects.filter(profile=profile, module__program_id=program_id).values_list(
            "module_id", flat=True
        )
    )
    finished_on = program_completed_on(profile=profile, program_id=program_id) if occasions else None
    return [o for o in occasions if _is_due(o, profile, completed_modules, finished_on, on)]


def _is_due(
    occasion: Occasion, profile: HelpSeekerProfile, completed_modules: set[int], finished_on: date | None, on: date
) -> bool:
    if occasion.kind == OccasionKind.BASELINE:
        return True
    if occasion.kind == OccasionKind.REPEATING:
        return 1 <= occasion_round(occasion, profile, on) <= (occasion.times or 0)
    if occasion.kind == OccasionKind.AFTER_MODULE:
        return occasion.module_id in completed_modules
    if finished_on is None:
        return False
    if occasion.kind == OccasionKind.END:
        return True
    return on >= finished_on + timedelta(days=occasion.days_after_end or 0)


def occasion_label(occasion: Occasion, language: str, round_number: int = 0) -> str:
    """How the occasion is named: in the reader's interface language, with the module's
    title (for a check-in) in the content language; a repeating occasion by its round when
    one is given ("Week 3"), else by how often it comes ("Every week")."""
    if occasion.kind == OccasionKind.BASELINE:
        return _("At the start")
    if occasion.kind == OccasionKind.REPEATING:
        weekly = occasion.every_days == 7
        if round_number:
            return (_("Week %(number)d") if weekly else _("Check %(number)d")) % {"number": round_number}
        if weekly:
            return _("Every week")
        return ngettext("Every %(days)d day", "Every %(days)d days", occasion.every_days or 0) % {
            "days": occasion.every_days or 0
        }
    if occasion.kind == OccasionKind.AFTER_MODULE and occasion.module is not None:
        with translation.override(language):
            module_title = occasion.module.title
        return _("After “%(module)s”") % {"module": module_title}
    if occasion.kind == OccasionKind.END:
        return _("At the end")
    return _("Follow-up")


@dataclass(frozen=True)
class OccasionLink:
    """A questionnaire as lists show it: where it is, its title and when it is for."""

    program_slug: str
    occasion_slug: str
    title: str
    label: str
    language: str
    submitted_on: date | None = None


def occasion_link(occasion: Occasion, language: str, submitted_on: date | None = None) -> OccasionLink:
    with translation.override(language):
        title = occasion.instrument.title
    return OccasionLink(
        occasion.program.slug, occasion.slug, title, occasion_label(occasion, language), language, submitted_on
    )


# --- A questionnaire, as the help-seeker answers it -------------------------------------


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str


@dataclass(frozen=True)
class ItemView:
    slug: str
    kind: str
    text: str
    help_text: str
    min_label: str
    max_label: str
    min_value: int
    max_value: int
    required: bool
    options: tuple[OptionView, ...]


@dataclass(frozen=True)
class QuestionnaireView:
    """An occasion's questionnaire with every text in one language."""

    program_slug: str
    occasion_slug: str
    language: str
    label: str
    title: str
    introduction: str
    items: tuple[ItemView, ...]


def questionnaire_view(*, occasion: Occasion, language: str, profile: HelpSeekerProfile) -> QuestionnaireView:
    """The questionnaire of ``occasion`` as this help-seeker is asked it, with its texts in
    ``language``: two queries (three when an item is shown only for some answers)."""
    items = items_shown(profile=profile, items=instrument_items(occasion.instrument))
    with translation.override(language):
        title, introduction = occasion.instrument.title, occasion.instrument.introduction
        item_views = tuple(
            ItemView(
                slug=item.slug,
                kind=item.kind,
                text=item.text,
                help_text=item.help_text,
                min_label=item.min_label,
                max_label=item.max_label,
                min_value=item.min_value,
                max_value=item.max_value,
                required=item.required,
                options=tuple(OptionView(option.value, option.label) for option in item.options.all()),
            )
            for item in items
        )
    return QuestionnaireView(
        program_slug=occasion.program.slug,
        occasion_slug=occasion.slug,
        language=language,
        label=occasion_label(occasion, language),
        title=title,
        introduction=introduction,
        items=item_views,
    )


# --- Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultPoint:
    occasion_slug: str
    kind: str
    label: str
    submitted_on: date
    score: Decimal


@dataclass(frozen=True)
class SubscaleResult:
    """A subscale as shown: its value as answered (a subscale of reverse-scored items is turned
    back), and which way that value is better."""

    slug: str
    title: str
    value: Decimal
    better: str


@dataclass(frozen=True)
class StepTarget:
    """A step a feedback message points to."""

    program_slug: str
    module_slug: str
    step_slug: str
    title: str


@dataclass(frozen=True)
class FeedbackMessage:
    """Feedback written by clinicians for what someone answered (``FeedbackRule``)."""

    kind: str
    text: str
    step: StepTarget | None


@dataclass(frozen=True)
class Result:
    """One response with its feedback and the help-seeker's history on the instrument, with
    every text in one language."""

    program_slug: str
    occasion_slug: str
    instrument_slug: str
    language: str
    title: str
    is_scored: bool
    better: str
    submitted_on: date
    score: Decimal | None
    band_text: str
    subscales: list[SubscaleResult]
    history: list[ResultPoint]
    low: Decimal
    high: Decimal
    safety: bool
    change_from_baseline: Decimal | None
    messages: list[FeedbackMessage]

    @property
    def subscale_scores(self) -> dict[str, Decimal]:
        """Subscale values, as shown, by title."""
        return {subscale.title: subscale.value for subscale in self.subscales}

    @property
    def change_is_improvement(self) -> bool | None:
        """Whether the change since the start went the better way (``None``: no change to tell)."""
        if not self.change_from_baseline:
            return None
        return (self.change_from_baseline < 0) == (self.better == Better.LOWER)

    def messages_of(self, kind: str) -> list[FeedbackMessage]:
        return [message for message in self.messages if message.kind == kind]

    @property
    def concerns(self) -> list[FeedbackMessage]:
        return self.messages_of(RuleKind.CONCERN)

    @property
    def safety_messages(self) -> list[FeedbackMessage]:
        return self.messages_of(RuleKind.SAFETY)

    @property
    def crisis_messages(self) -> list[FeedbackMessage]:
        return self.messages_of(RuleKind.CRISIS)


def band_text(instrument: Instrument, value: Decimal | None, subscale_id: int | None = None) -> str:
    """The feedback text of the band ``value`` falls in, in the active language."""
    if value is None:
        return ""
    bands = [b for b in instrument.bands.all() if b.subscale_id == subscale_id]
    index = scoring.band_for([(b.lower, b.upper) for b in bands], value)
    return bands[index].text if index is not None else ""


def instrument_history(*, profile: HelpSeekerProfile, instrument: Instrument, language: str) -> list[ResultPoint]:
    responses = (
        QuestionnaireResponse.objects.filter(
            profile=profile, occasion__instrument=instrument, skipped=False, score__isnull=False
        )
        .select_related("occasion__module")
        .order_by("submitted_on", "occasion__position")
    )
    return [
        ResultPoint(
            r.occasion.slug, r.occasion.kind, occasion_label(r.occasion, language, r.round), r.submitted_on, r.score
        )
        for r in responses
        if r.score is not None
    ]


def change_from_baseline(history: list[ResultPoint]) -> Decimal | None:
    """Latest score minus the baseline score, from one help-seeker's history on an instrument."""
    baseline = next((point for point in history if point.kind == OccasionKind.BASELINE), None)
    if baseline is None or history[-1] is baseline:
        return None
    return history[-1].score - baseline.score


def response_result(*, profile: HelpSeekerProfile, occasion: Occasion, language: str) -> Result | None:
    """The help-seeker's own result at an occasion, with history and feedback in ``language``."""
    response = (
        QuestionnaireResponse.objects.filter(profile=profile, occasion=occasion, skipped=False)
        .select_related("occasion__instrument", "occasion__program")
        .order_by("-round")  # a repeating occasion's latest round
        .first()
    )
    if response is None:
        return None
    instrument = response.occasion.instrument
    spec = instrument_spec(instrument)
    low, high = scoring.score_bounds(spec)
    answers: dict[str, str | int | None] = {
        item.item.slug: item.option_value if item.option_value is not None else item.number
        for item in response.items.select_related("item")
    }
    safety = ItemResponse.objects.filter(
        response=response, item__options__is_safety=True, item__options__value=F("option_value")
    ).exists()
    history = instrument_history(profile=profile, instrument=instrument, language=language)
    with translation.override(language):
        subscales = [
            _subscale_result(spec, subscale, Decimal(str(response.subscale_scores[subscale.slug])))
            for subscale in instrument.subscales.order_by("slug")
            if response.subscale_scores.get(subscale.slug) is not None
        ]
        title = instrument.title
        messages = [
            FeedbackMessage(
                rule.kind,
                rule.text,
                StepTarget(response.occasion.program.slug, rule.step.module.slug, rule.step.slug, rule.step.title)
                if rule.step is not None
                else None,
            )
            for rule in instrument.rules.select_related("item", "step__module").order_by("position")
            if rule.matches(answers.get(rule.item.slug))
        ]
        # A score band speaks for the total only: where an answer has its own message, the
        # band's text (which may reassure) gives way to it, and the score stays.
        feedback = "" if messages else band_text(instrument, response.score)
    return Result(
        program_slug=response.occasion.program.slug,
        occasion_slug=response.occasion.slug,
        instrument_slug=instrument.slug,
        language=language,
        title=title,
        is_scored=instrument.is_scored,
        better=instrument.better,
        submitted_on=response.submitted_on,
        score=response.score,
        band_text=feedback,
        subscales=subscales,
        history=history,
        low=low,
        high=high,
        safety=safety,
        change_from_baseline=change_from_baseline(history),
        messages=messages,
    )


def _subscale_result(spec: scoring.InstrumentSpec, subscale: Subscale, score: Decimal) -> SubscaleResult:
    """The subscale as the help-seeker answered it: reverse scoring, which only serves the total,
    is turned back when every item of the subscale is reverse-scored."""
    items = [item for item in spec.items if item.subscale == subscale.slug and item.scored]
    if items and all(item.reverse for item in items):
        low, high = scoring.score_bounds(spec, subscale.slug)
        score = low + high - score
    return SubscaleResult(subscale.slug, subscale.title, score, subscale.better)


def responses_for_statistics(*, occasion_id: int) -> QuerySet[ItemResponse, Any]:
    """Structured item values at one occasion, for the aggregate jobs: no profile, no text."""
    return ItemResponse.objects.filter(response__occasion_id=occasion_id, response__skipped=False).values(
        "item__slug", "option_value", "number"
    )


def results_list(*, profile: HelpSeekerProfile) -> list[QuestionnaireResponse]:
    """The help-seeker's answered (not skipped) responses, oldest first, with their occasions."""
    return list(
        QuestionnaireResponse.objects.filter(profile=profile, skipped=False)
        .select_related("occasion__instrument", "occasion__module", "occasion__program")
        .order_by("submitted_on", "occasion__position")
    )


# --- Export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedItemAnswer:
    item: str
    question: str
    answer: str | int
    answer_label: str | None


@dataclass(frozen=True)
class ExportedResponse:
    """One questionnaire response, as stored, with the questions and choices in words."""

    program: str
    occasion: str
    round: int
    questionnaire: str
    title: str
    submitted_on: date
    skipped: bool
    score: Decimal | None
    subscale_scores: dict[str, Any]
    answers: tuple[ExportedItemAnswer, ...]


def _item_answer(item_response: ItemResponse) -> ExportedItemAnswer:
    item = item_response.item
    if item_response.option_value is None:
        return ExportedItemAnswer(item.slug, item.text, item_response.number or 0, None)
    if item.kind == ItemKind.YES_NO:
        label = _("Yes") if item_response.option_value == "yes" else _("No")
    else:
        labels = {option.value: option.label for option in item.options.all()}
        label = labels.get(item_response.option_value, item_response.option_value)
    return ExportedItemAnswer(item.slug, item.text, item_response.option_value, label)


def responses_export(*, profile: HelpSeekerProfile, requested_language: str) -> tuple[ExportedResponse, ...]:
    """Every questionnaire response of the help-seeker, skipped ones included, with questions
    and choices in the language they read each program in: three queries."""
    responses = (
        QuestionnaireResponse.objects.filter(profile=profile)
        .select_related("occasion__instrument", "occasion__program")
        .prefetch_related("items__item__options")
        .order_by("submitted_on", "occasion__position")
    )
    exported = []
    for response in responses:
        occasion = response.occasion
        language = content_language_for(program=occasion.program, requested=requested_language)
        with translation.override(language):
            exported.append(
                ExportedResponse(
                    program=occasion.program.slug,
                    occasion=occasion.slug,
                    round=response.round,
                    questionnaire=occasion.instrument.slug,
                    title=occasion.instrument.title,
                    submitted_on=response.submitted_on,
                    skipped=response.skipped,
                    score=response.score,
                    subscale_scores=dict(response.subscale_scores),
                    answers=tuple(
                        _item_answer(item_response)
                        for item_response in sorted(response.items.all(), key=lambda r: r.item.position)
                    ),
                )
            )
    return tuple(exported)
