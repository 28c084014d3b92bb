"""Questionnaires: authorable instruments, when they are offered, and help-seekers' responses.

An instrument has items (single choice with scored options, 0-10 scale, yes/no, bounded
number), optional subscales, a scoring method (sum or mean) with a missing-item rule, and
feedback bands that tile the possible score range. An occasion places an instrument in a
program: at the start, after a module, at the end, or some days after the end. Responses
store item values and scores only (never free text), dated by day, and are deleted with
the profile.

Items, options and occasions are identified by slug (or value) within their parent, like the
program's content, and responses point at them with ``PROTECT``: what leaves a program is
retired (``retired_on``), never deleted, so nobody's answers or the statistics built on them
change when clinicians edit an instrument.
"""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helpseekers.models import HelpSeekerProfile, today
from modules.models import ACTIVE, SLUG_VALIDATOR, Block, Module, Program, RetirableContent, Step


class Scoring(models.TextChoices):
    SUM = "sum", _("Sum of item scores")
    MEAN = "mean", _("Mean of item scores")


class Better(models.TextChoices):
    """Which way a score is better, so every page can say so."""

    LOWER = "lower", _("Lower scores are better.")
    HIGHER = "higher", _("Higher scores are better.")


class Instrument(models.Model):
    """A questionnaire, e.g. "My situation" or the end-of-program feedback survey."""

    slug = models.SlugField(max_length=64, unique=True, validators=[SLUG_VALIDATOR])
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    scoring = models.CharField(max_length=8, choices=Scoring.choices, default=Scoring.SUM)
    # At most this many scored items may be left unanswered; the score is then computed
    # from the answered items (a mean, or a sum scaled up to all items). More missing: no score.
    max_missing = models.PositiveSmallIntegerField(default=0)
    is_scored = models.BooleanField(default=True, help_text=_("Surveys without a total score say no."))
    better = models.CharField(max_length=8, choices=Better.choices, default=Better.LOWER)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class Subscale(models.Model):
    """Part of an instrument's items scored on their own. A subscale made only of reverse-scored
    items is shown as answered (a mood of 0 reads as 0), and ``better`` says which way that
    shown value is better."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    title = models.CharField(_("title"), max_length=200)
    better = models.CharField(max_length=8, choices=Better.choices, default=Better.LOWER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "slug"], name="subscale_unique_slug")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    SCALE = "scale", _("Scale from 0 to 10")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number within bounds")


class Item(RetirableContent):
    """One question. Choice options carry their score; scales and numbers score as their value."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    min_label = models.CharField(_("label at the lowest value"), max_length=80, blank=True)
    max_label = models.CharField(_("label at the highest value"), max_length=80, blank=True)
    min_value = models.PositiveSmallIntegerField(default=0)
    max_value = models.PositiveSmallIntegerField(default=10)
    required = models.BooleanField(default=False)
    scored = models.BooleanField(default=True)
    reverse_scored = models.BooleanField(default=False)
    subscale = models.ForeignKey(Subscale, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # Asked only of help-seekers whose answer to a choice exercise of the program includes one
    # of these values (or who have not answered it). Only unscored items may be conditional.
    condition_block = models.ForeignKey(
        Block, null=True, blank=True, on_delete=models.PROTECT, related_name="conditioned_items"
    )
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "slug"], name="item_unique_slug"),
            models.UniqueConstraint(fields=["instrument", "position"], condition=ACTIVE, name="item_unique_position"),
            models.CheckConstraint(condition=Q(min_value__lt=F("max_value")), name="item_min_below_max"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_known"),
        ]

    def __str__(self) -> str:
        return self.text


class ItemOption(RetirableContent):
    """An answer option of a single-choice item. ``is_safety`` shows help at once."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    label = models.CharField(_("label"), max_length=200)
    score = models.SmallIntegerField(default=0)
    is_safety = models.BooleanField(
        default=False, help_text=_("Choosing it shows the helplines and what to do right now.")
    )

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="itemoption_unique_value"),
            models.UniqueConstraint(fields=["item", "position"], condition=ACTIVE, name="itemoption_unique_position"),
        ]

    def __str__(self) -> str:
        return self.label


class FeedbackBand(models.Model):
    """Feedback for scores from ``lower`` (inclusive) up to ``upper``.

    ``upper`` is exclusive except for the band that ends at the highest possible score.
    The bands of an instrument (or of one subscale) must tile the score range exactly.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bands")
    subscale = models.ForeignKey(Subscale, null=True, blank=True, on_delete=models.CASCADE, related_name="bands")
    lower = models.DecimalField(max_digits=7, decimal_places=2)
    upper = models.DecimalField(max_digits=7, decimal_places=2)
    text = models.TextField(_("feedback"))

    class Meta:
        ordering = ["instrument", "subscale", "lower"]
        constraints = [models.CheckConstraint(condition=Q(lower__lt=F("upper")), name="band_lower_below_upper")]

    def __str__(self) -> str:
        return f"{self.lower}–{self.upper}"  # noqa: RUF001


class RuleKind(models.TextChoices):
    CONCERN = "concern", _("Worth a closer look")
    SAFETY = "safety", _("A child may be at risk")
    CRISIS = "crisis", _("Crisis support")


class FeedbackRule(models.Model):
    """Feedback on what someone answered, not only on their score, written by clinicians.

    The rule matches when the item's answer is one of ``any_of``, or at least ``at_least``, or
    at most ``at_most``. Its text comes first on the result page: a concern as a notice, a
    safety answer with the helplines and a link to ``step`` (the program's "line not to
    cross"), a crisis answer with the crisis lines.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="rules")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    position = models.PositiveSmallIntegerField(default=1)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="rules")
    any_of = models.JSONField(default=list, blank=True)
    at_least = models.SmallIntegerField(null=True, blank=True)
    at_most = models.SmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=RuleKind.choices, default=RuleKind.CONCERN)
    text = models.TextField(_("feedback"))
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "slug"], name="feedbackrule_unique_slug"),
            models.CheckConstraint(condition=Q(kind__in=RuleKind.values), name="feedbackrule_kind_known"),
            models.CheckConstraint(
                condition=Q(at_least__isnull=True) | Q(at_most__isnull=True), name="feedbackrule_one_bound"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def matches(self, answer: str | int | None) -> bool:
        """Whether an item's answer (an option value or a number; ``None`` if not answered) matches."""
        if answer is None:
            return False
        if self.any_of:
            return str(answer) in self.any_of
        if isinstance(answer, str):
            return False
        if self.at_least is not None:
            return answer >= self.at_least
        return self.at_most is not None and answer <= self.at_most


class OccasionKind(models.TextChoices):
    BASELINE = "baseline", _("At the start")
    AFTER_MODULE = "after_module", _("After a module")
    END = "end", _("At the end of the program")
    FOLLOW_UP = "follow_up", _("Follow-up, some days after the end")
    REPEATING = "repeating", _("Repeating, every few days (a weekly check)")


class Occasion(RetirableContent):
    """When a program offers an instrument. Always skippable, never forced."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="occasions")
    slug = models.SlugField(max_length=64, validators=[SLUG_VALIDATOR])
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="occasions")
    kind = models.CharField(max_length=16, choices=OccasionKind.choices)
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    days_after_end = models.PositiveSmallIntegerField(null=True, blank=True)
    # A repeating occasion (a weekly check): round n is offered from n times ``every_days`` days
    # after the profile started until the next round begins, for ``times`` rounds.
    every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    times = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="occasion_unique_slug"),
            models.CheckConstraint(
                condition=(Q(kind="after_module") & Q(module__isnull=False))
                | (~Q(kind="after_module") & Q(module__isnull=True)),
                name="occasion_module_only_after_module",
            ),
            models.CheckConstraint(
                condition=(Q(kind="follow_up") & Q(days_after_end__isnull=False))
                | (~Q(kind="follow_up") & Q(days_after_end__isnull=True)),
                name="occasion_days_only_for_follow_up",
            ),
            models.CheckConstraint(
                condition=(Q(kind="repeating") & Q(every_days__gte=1, times__gte=1))
                | (~Q(kind="repeating") & Q(every_days__isnull=True, times__isnull=True)),
                name="occasion_rounds_only_for_repeating",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class QuestionnaireResponse(models.Model):
    """One help-seeker's answers at one occasion (or that they chose to skip it); for a
    repeating occasion, at one of its rounds (``round`` from 1; 0 for every other occasion)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="questionnaire_responses")
    occasion = models.ForeignKey(Occasion, on_delete=models.PROTECT, related_name="responses")
    submitted_on = models.DateField(default=today)
    skipped = models.BooleanField(default=False)
    round = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    subscale_scores = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "occasion", "round"], name="response_once_per_occasion_round"),
            models.CheckConstraint(
                condition=Q(skipped=False) | Q(score__isnull=True), name="response_skipped_unscored"
            ),
        ]
        indexes = [models.Index(fields=["occasion", "submitted_on"], name="response_occasion_day")]

    def __str__(self) -> str:
        return f"response to {self.occasion_id}"


class ItemResponse(models.Model):
    """One item's answer: an option value, or a number. Never free text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # NULL, not "", means "a number was given": the constraint below needs exactly one value.
    option_value = models.SlugField(max_length=64, null=True, blank=True)  # noqa: DJ001
    number = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="itemresponse_once_per_item"),
            models.CheckConstraint(
                condition=(Q(option_value__isnull=False) & Q(number__isnull=True))
                | (Q(option_value__isnull=True) & Q(number__isnull=False)),
                name="itemresponse_exactly_one_value",
            ),
        ]
        indexes = [models.Index(fields=["item", "option_value"], name="itemresponse_item_option")]

    def __str__(self) -> str:
        return f"answer to item {self.item_id}"
