"""Computing and releasing one period: the evaluation jobs, Zulip-style.

``release_period`` is what the Celery task and ``release_stats`` run:

1. Take a PostgreSQL advisory lock for the period, so two runs never overlap (SQLite
   serialises writers by itself).
2. For each measure, a fill state: ``started`` is committed first; the measure's raw cells
   are then computed inside the database (``INSERT … SELECT … COUNT(DISTINCT profile)``) and
   marked ``done`` in one transaction. A run that finds ``started`` (an earlier run died)
   deletes that measure's cells and computes them again; ``done`` measures are kept.
3. The release rule and its audit (``analytics.disclosure``), optionally after noise
   (``analytics.privacy``), then the release and all its figures in one transaction, which
   also deletes the raw cells. A stored release is never changed: running it again returns it.

With ``DATABASE_REPLICA_URL`` set, the aggregate queries read from the ``replica`` alias
and only the aggregated cells are written to the primary.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from scipy import stats

from analytics import disclosure, domain, privacy
from analytics.disclosure import CATEGORY, Key, Table, with_
from analytics.measures import (
    BY_SLUG,
    COLUMNS,
    DAY_BUCKETS,
    DIMENSIONS,
    MEASURES,
    Codes,
    Measure,
    aggregate_sql,
    insert_sql,
    instrument_bands,
    item_categories,
)
from analytics.models import FillState, RawCell, Release, ReleasedFigure
from analytics.periods import Period
from questionnaires.models import Instrument, Item

WRITE = "default"
PAIRED_STATISTICS = ("mean_change", "ci95_low", "ci95_high")
TENTH, CENT = Decimal("0.1"), Decimal("0.01")


def read_alias() -> str:
    """The database the jobs read the help-seeker tables from (``DATABASE_REPLICA_URL``)."""
    return str(settings.ANALYTICS_READ_ALIAS)


def threshold() -> int:
    k = int(settings.STATISTICS_THRESHOLD)
    if k < 5:
        raise ValueError("STATISTICS_THRESHOLD must be at least 5")
    return k


# --- Locking and filling ------------------------------------------------------------------


@contextmanager
def period_lock(period: Period, *, name: str | None = None) -> Iterator[None]:
    """Hold PostgreSQL's session advisory lock for ``period`` (or ``name``, one lock for
    several periods); nothing on SQLite, which serialises writers by itself."""
    connection = connections[WRITE]
    if connection.vendor != "postgresql":
        yield
        return
    lock_id = int.from_bytes(
        hashlib.sha256(f"analytics:{name or period.label}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


def fill(measure: Measure, period: Period, *, codes: Codes) -> None:
    """Compute one measure's raw cells for ``period`` unless they are done already."""
    with transaction.atomic(using=WRITE):
        state, _ = FillState.objects.select_for_update().get_or_create(
            measure=measure.slug, period=period.label, defaults={"state": FillState.STARTED}
        )
        if state.state == FillState.DONE:
            return
    with transaction.atomic(using=WRITE):
        RawCell.objects.filter(period=period.label, measure=measure.slug).delete()  # an earlier run's leftovers
        params: dict[str, Any] = {"start": period.start, "end": period.end_exclusive, "period": period.label}
        alias = read_alias()
        if alias == WRITE:
            sql, extra = insert_sql(measure, vendor=connections[WRITE].vendor, codes=codes)
            with connections[WRITE].cursor() as cursor:
                _tune(cursor, connections[WRITE].vendor)
                cursor.execute(sql, {**extra, **params})
        else:
            sql, extra = aggregate_sql(measure, vendor=connections[alias].vendor, codes=codes)
            with connections[alias].cursor() as cursor:
                cursor.execute(sql, {**extra, **params})
                rows = cursor.fetchall()
            RawCell.objects.bulk_create([RawCell(**dict(zip(COLUMNS, row, strict=True))) for row in rows])
        FillState.objects.filter(measure=measure.slug, period=period.label).update(state=FillState.DONE)


def _tune(cursor: Any, vendor: str) -> None:
    """For this transaction only: sort the events in memory, and skip JIT compiling, which
    costs more than it saves on queries that run once a month (bench/README.md)."""
    if vendor == "postgresql":
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")


# --- Releasing ------------------------------------------------------------------------------


def release_period(period: Period, *, now: datetime | None = None) -> Release:
    """Compute, protect and store ``period``'s release, or return the one already stored."""
    stored = Release.objects.filter(period=period.label).first()
    if stored is not None:  # the common case of the hourly beat entry: one query, no lock
        return stored
    # With noise, every release draws on the year's ledger: one at a time, whatever period.
    with period_lock(period, name="ledger" if privacy.epsilon() is not None else None):
        existing = Release.objects.filter(period=period.label).first()
        if existing is not None:
            return existing
        epsilon = privacy.epsilon()
        if epsilon is not None:
            privacy.check_ledger(period, epsilon)  # before any work: a refused release leaves nothing
        codes = Codes.for_installation()
        for measure in MEASURES:
            fill(measure, period, codes=codes)
        return _store(period, now=now or timezone.now())


def _store(period: Period, *, now: datetime) -> Release:
    k = threshold()
    current, sums = _load_cells(period)
    current.update(_expected_zeros(current))
    epsilon = privacy.epsilon()
    accuracy: dict[str, float] = {}
    if epsilon is not None:
        content = domain.content_domain(period.label)
        current, sums, accuracy = privacy.add_noise(
            current,
            sums,
            epsilon=epsilon,
            domain=content.leaves,
            sensitivity=content.sensitivity,
            change_range=content.change_range,
        )
        table = Table(current=current)
        periods = {period.label: period}
    else:
        table, periods = _with_past(period, current)
    outcome = disclosure.protect(table, periods, k=k, protection=k, across_periods=epsilon is None)
    figures = list(_figures(current, sums, outcome.suppressed, outcome.sensitive))
    released = [figure for figure in figures if not figure.suppressed]
    if not current:
        note = "No data in this period."
    elif not released:
        note = "Too little data: every figure is suppressed."
    else:
        note = "Deletions since earlier releases were allowed for in the audit." if outcome.relaxed else ""
    with transaction.atomic(using=WRITE):
        release = Release.objects.create(
            period=period.label,
            kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            computed_at=now,
            method=privacy.method_name(epsilon),
            k=k,
            protection=k,
            epsilon=epsilon,
            accuracy=accuracy,
            cells_checked=outcome.cells_checked,
            narrowest_interval=None if outcome.narrowest in (None, math.inf) else outcome.narrowest,
            suppressed=sum(1 for figure in figures if figure.suppressed),  # figures, as the pages say
            note=note,
        )
        for figure in figures:
            figure.release = release
        ReleasedFigure.objects.bulk_create(figures, batch_size=2000)
        RawCell.objects.filter(period=period.label).delete()
        FillState.objects.filter(period=period.label).delete()
    return release


def _load_cells(period: Period) -> tuple[dict[Key, int], dict[Key, tuple[Decimal, Decimal]]]:
    current: dict[Key, int] = {}
    sums: dict[Key, tuple[Decimal, Decimal]] = {}
    for row in RawCell.objects.filter(period=period.label).values_list(*COLUMNS):
        key: Key = tuple(row[: 2 + len(DIMENSIONS)])
        current[key] = int(row[-3])
        if BY_SLUG[key[1]].paired:
            sums[key] = (Decimal(row[-2] or 0), Decimal(row[-1] or 0))
    return current, sums


def _expected_zeros(current: dict[Key, int]) -> dict[Key, int]:
    """A zero row for every category of a released partition nobody fell in, so tables
    list every option (and suppress it with its total)."""
    answers = {
        (item.instrument.slug, item.slug): item_categories(item, retired=False)
        for item in Item.objects.select_related("instrument").prefetch_related("options")
    }
    by_id = instrument_bands()
    bands = {instrument.slug: by_id.get(instrument.pk, []) for instrument in Instrument.objects.all()}
    zeros: dict[Key, int] = {}
    for key in current:
        measure, instrument, item_slug = key[1], key[5], key[6]
        if not BY_SLUG[measure].partition or key[CATEGORY] != "":
            continue
        expected: list[str] = {
            "module_days": [code for _, _, code in DAY_BUCKETS],
            "questionnaire_responses": ["answered", "skipped"],
            "item_options": answers.get((instrument, item_slug), []),
            "score_bins": bands.get(instrument, []),
            "number_bins": answers.get((instrument, item_slug), []),
        }.get(measure, [])
        for category in expected:
            cell = with_(key, CATEGORY, category)
            if cell not in current:
                zeros[cell] = 0
    return zeros


def _with_past(period: Period, current: dict[Key, int]) -> tuple[Table, dict[str, Period]]:
    """The table with the released figures of every period linked to ``period``."""
    family = {member.label: member for member in period.family()}
    released = {release.period: release for release in Release.objects.filter(period__in=list(family))}
    past: dict[Key, int | None] = {}
    protected: set[Key] = set()
    rows = ReleasedFigure.objects.filter(release__in=released.values()).values_list(
        "release__period", "measure", *DIMENSIONS, "count", "n", "suppressed", "protected"
    )
    for row in rows:
        label, measure, *dims = row[: 2 + len(DIMENSIONS)]
        count, n, suppressed, sensitive = row[-4:]
        key: Key = (label, measure, *dims)
        if BY_SLUG[measure].paired:
            if key[CATEGORY] != PAIRED_STATISTICS[0]:
                continue
            key = with_(key, CATEGORY, "")
            past[key] = None if suppressed else int(n)
        else:
            past[key] = None if suppressed else int(count)
        if sensitive:
            protected.add(key)
    unknown = frozenset(label for label in family if label not in released and label != period.label)
    return Table(current=current, past=past, unknown_periods=unknown, past_protected=frozenset(protected)), family


# --- Figures ----------------------------------------------------------------------------------


def _figures(
    current: dict[Key, int], sums: dict[Key, tuple[Decimal, Decimal]], suppressed: set[Key], sensitive: set[Key]
) -> Iterator[ReleasedFigure]:
    for key in sorted(current):
        measure = BY_SLUG[key[1]]
        dims = dict(zip(DIMENSIONS, key[2:], strict=True))
        hidden = key in suppressed
        value = current[key]
        if measure.paired:
            total, total_sq = sums.get(key, (Decimal(0), Decimal(0)))
            statistics = paired_statistics(value, total, total_sq)
            for name in PAIRED_STATISTICS:
                shown = not hidden and statistics is not None
                yield ReleasedFigure(
                    measure=measure.slug,
                    **{**dims, "category": name},
                    count=statistics[name] if shown and statistics else None,
                    n=value if shown else None,
                    suppressed=not shown,
                    protected=not shown and key in sensitive,
                )
            continue
        n: int | None = None
        percent: Decimal | None = None
        if measure.partition and key[CATEGORY] != "":
            total_key = with_(key, CATEGORY, "")
            if total_key not in suppressed:
                n = current.get(total_key)
                if not hidden and n:
                    percent = (Decimal(100 * value) / n).quantize(TENTH, rounding=ROUND_HALF_UP)
        yield ReleasedFigure(
            measure=measure.slug,
            **dims,
            count=None if hidden else Decimal(value),
            n=n,
            percent=percent,
            suppressed=hidden,
            protected=hidden and key in sensitive,
        )


def paired_statistics(n: int, total: Decimal, total_sq: Decimal) -> dict[str, Decimal] | None:
    """Mean change and its 95% interval (Student's t) from n, Σ change and Σ change²."""
    if n < 2:
        return None
    mean = total / n
    variance = max(Decimal(0), (total_sq - total * total / n) / (n - 1))
    half = Decimal(str(stats.t.ppf(0.975, n - 1))) * (variance / n).sqrt()
    return {
        "mean_change": mean.quantize(CENT, rounding=ROUND_HALF_UP),
        "ci95_low": (mean - half).quantize(CENT, rounding=ROUND_HALF_UP),
        "ci95_high": (mean + half).quantize(CENT, rounding=ROUND_HALF_UP),
    }
