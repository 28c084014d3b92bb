"""What the evaluation jobs store. Nothing here points at a person.

- ``FillState`` and ``RawCell``: the jobs' working tables. A raw cell is an unreleased count
  of distinct profiles for one measure, period and combination of dimensions; it exists only
  between computing a period and releasing it, is never shown, and is deleted once the
  release is stored.
- ``Release`` and ``ReleasedFigure``: what evaluators read. A release is stored in one
  transaction after the release rule and its audit; its figures are never changed after.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class FillState(models.Model):
    """Where computing one measure for one period got to: a run that finds ``started``
    undoes that measure's raw cells for the period before computing them again."""

    STARTED, DONE = "started", "done"

    measure = models.SlugField(max_length=64)
    period = models.CharField(max_length=8)
    state = models.CharField(max_length=8, choices=[(STARTED, STARTED), (DONE, DONE)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="fillstate_once_per_measure_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.measure}: {self.state}"


class Dimensions(models.Model):
    """The dimensions a figure is broken down by; "" where one does not apply."""

    language = models.CharField(max_length=8, blank=True)
    module = models.CharField(max_length=130, blank=True)
    step = models.CharField(max_length=64, blank=True)
    instrument = models.CharField(max_length=64, blank=True)
    item = models.CharField(max_length=64, blank=True)
    occasion = models.CharField(max_length=130, blank=True)
    category = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class RawCell(Dimensions):
    """An unreleased aggregate: ``count`` distinct profiles; for a paired change also the sum
    and the sum of squares of the change over those profiles. Never shown to anyone."""

    period = models.CharField(max_length=8)
    measure = models.SlugField(max_length=64)
    count = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    total_sq = models.DecimalField(max_digits=18, decimal_places=4, null=True)

    class Meta:
        indexes = [models.Index(fields=["period", "measure"], name="rawcell_period_measure")]

    def __str__(self) -> str:
        return f"{self.period} {self.measure}"


# The permission that opens released figures (the evaluator group has it).
VIEW_RELEASE = "analytics.view_release"


class Release(models.Model):
    """One period's released figures, with how they were protected and the audit's result."""

    period = models.CharField(max_length=8, unique=True)
    kind = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    method = models.CharField(max_length=32)
    k = models.PositiveSmallIntegerField()
    protection = models.PositiveSmallIntegerField()
    epsilon = models.FloatField(null=True)
    accuracy = models.JSONField(default=dict, help_text="By measure: the 95% accuracy of its noisy counts.")
    cells_checked = models.PositiveIntegerField(default=0)
    narrowest_interval = models.FloatField(null=True, help_text="The narrowest interval the audit found.")
    suppressed = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["period_start", "kind"]
        constraints = [models.CheckConstraint(condition=Q(k__gte=5), name="release_k_at_least_five")]

    def __str__(self) -> str:
        return self.period


class ReleasedFigure(Dimensions):
    """One released figure. ``count`` is empty where the figure is suppressed; ``n`` is the
    total a percent is of; for the paired change, ``category`` names the statistic and
    ``count`` holds its value."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="figures")
    measure = models.SlugField(max_length=64)
    count = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    n = models.PositiveIntegerField(null=True)
    percent = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    suppressed = models.BooleanField(default=False)
    # Internal to the audit, never shown: suppressed because it was a small count, so later
    # releases must keep it protected (a complement need not be).
    protected = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["release", "measure"], name="figure_release_measure")]
        constraints = [
            models.CheckConstraint(
                condition=Q(suppressed=True, count__isnull=True, percent__isnull=True) | Q(suppressed=False),
                name="figure_suppressed_has_no_value",
            ),
            models.CheckConstraint(
                condition=Q(protected=False) | Q(suppressed=True), name="figure_protected_is_suppressed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.category}".strip()
