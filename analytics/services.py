"""What the rest of the project asks of the evaluation figures: release a period."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from analytics import jobs
from analytics.models import Release
from analytics.periods import Kind, PeriodInvalid, last_complete, parse_period

__all__ = ["PeriodInvalid", "release", "release_last"]


def release(*, period: str, today: date | None = None) -> Release:
    """Release the period named ``period`` (``2026-11``, ``2026-Q4``, ``2026``): compute,
    protect, audit and store it, or return the release stored already."""
    return jobs.release_period(parse_period(period, today=today or timezone.now().date()))


def release_last(*, kind: str, today: date) -> Release:
    if kind not in ("month", "quarter", "year"):
        raise PeriodInvalid(f"unknown kind of period: {kind}")
    chosen: Kind = kind  # type: ignore[assignment]
    return jobs.release_period(last_complete(chosen, today=today))
