"""Reading released figures: the only thing evaluators' pages, the API and the CSV see.
Nothing here reads a raw cell or a help-seeker table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.measures import DIMENSIONS, plain_decimal
from analytics.models import Release, ReleasedFigure
from analytics.periods import parse_period
from redirection.errors import ApplicationError

CSV_COLUMNS = ("release", "measure", "period_start", "period_end", *DIMENSIONS, "count", "percent", "n", "suppressed",
               "method")  # fmt: skip


class ReleaseMissing(ApplicationError):
    status = 404


def release_list() -> QuerySet[Release]:
    return Release.objects.all()


def release_get(*, period: str) -> Release:
    """The stored release of ``period``: ``PeriodInvalid`` (400) for a malformed, unknown or
    unfinished period, ``ReleaseMissing`` (404) for one not released yet."""
    label = parse_period(period, today=timezone.now().date()).label
    release = Release.objects.filter(period=label).first()
    if release is None:
        raise ReleaseMissing(_("%(period)s has not been released yet.") % {"period": label})
    return release


def figures(*, release: Release, measures: Iterable[str] | None = None) -> QuerySet[ReleasedFigure]:
    rows = ReleasedFigure.objects.filter(release=release).select_related("release")
    if measures is not None:
        rows = rows.filter(measure__in=list(measures))
    return rows.order_by("measure", *DIMENSIONS)


def figures_over_time_many(*, kind: str, measures: Iterable[str]) -> QuerySet[ReleasedFigure]:
    """The all-language cells of ``measures`` across every release of ``kind``."""
    filters = dict.fromkeys(DIMENSIONS, "")
    return ReleasedFigure.objects.filter(release__kind=kind, measure__in=list(measures), **filters).order_by(
        "release__period_start"
    )


def _text(value: Decimal | None) -> str:
    return "" if value is None else plain_decimal(value)


def csv_row(figure: ReleasedFigure) -> list[str]:
    release = figure.release
    return [
        release.period,
        figure.measure,
        release.period_start.isoformat(),
        release.period_end.isoformat(),
        *(getattr(figure, name) for name in DIMENSIONS),
        "" if figure.suppressed else _text(figure.count),
        _text(figure.percent),
        "" if figure.n is None else str(figure.n),
        "true" if figure.suppressed else "false",
        release.method,
    ]


def figures_csv(rows: Iterable[ReleasedFigure]) -> str:
    """The tidy long format every output shares (``CSV_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for figure in rows:
        writer.writerow(csv_row(figure))
    return buffer.getvalue()
