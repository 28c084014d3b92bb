"""Release periods: a month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``).

A period can be released once it is over. Months sit within their quarter and year: the
release rule takes that hierarchy into account (what a quarter adds to its months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.translation import gettext as _

from redirection.errors import ApplicationError

Kind = Literal["month", "quarter", "year"]
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
FIRST_YEAR = 2000


class PeriodInvalid(ApplicationError):
    """A period that is malformed, unknown or not over yet (400)."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # the last day, inclusive
    kind: Kind
    label: str

    @property
    def end_exclusive(self) -> date:
        return self.end + timedelta(days=1)

    def parent(self) -> Period | None:
        """The quarter of a month, the year of a quarter; none for a year."""
        if self.kind == "month":
            return quarter(self.start.year, (self.start.month - 1) // 3 + 1)
        if self.kind == "quarter":
            return year(self.start.year)
        return None

    def children(self) -> list[Period]:
        """The months of a quarter, the quarters of a year; none for a month."""
        if self.kind == "quarter":
            first = self.start.month
            return [month(self.start.year, m) for m in range(first, first + 3)]
        if self.kind == "year":
            return [quarter(self.start.year, q) for q in range(1, 5)]
        return []

    def family(self) -> list[Period]:
        """Every period linked to this one by the hierarchy: itself, its ancestors, and all
        their descendants (a month's quarter and year, and every month and quarter in them)."""
        top: Period = self
        while top.parent() is not None:
            top = top.parent()  # type: ignore[assignment]
        found: list[Period] = []
        pending = [top]
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(current.children())
        return sorted(found)


def month(year_number: int, month_number: int) -> Period:
    start = date(year_number, month_number, 1)
    following = date(year_number + (month_number == 12), month_number % 12 + 1, 1)
    return Period(start, following - timedelta(days=1), "month", f"{year_number}-{month_number:02d}")


def quarter(year_number: int, number: int) -> Period:
    start = date(year_number, 3 * number - 2, 1)
    last = month(year_number, 3 * number).end
    return Period(start, last, "quarter", f"{year_number}-Q{number}")


def year(year_number: int) -> Period:
    return Period(date(year_number, 1, 1), date(year_number, 12, 31), "year", str(year_number))


def parse_period(text: str, *, today: date) -> Period:
    """The period ``text`` names, if it is well formed and over by ``today``; else
    ``PeriodInvalid`` with a message in the reader's language."""
    text = text.strip()
    period: Period | None = None
    try:
        if match := _MONTH.fullmatch(text):
            if 1 <= int(match.group(2)) <= 12:
                period = month(int(match.group(1)), int(match.group(2)))
        elif match := _QUARTER.fullmatch(text):
            period = quarter(int(match.group(1)), int(match.group(2)))
        elif match := _YEAR.fullmatch(text):
            period = year(int(match.group(1)))
    except ValueError:
        period = None
    if period is None or period.start.year < FIRST_YEAR:
        raise PeriodInvalid(_("Name a period as 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (a year)."))
    if period.end >= today:
        raise PeriodInvalid(_("That period is not over yet: it can be released from the day after it ends."))
    return period


def last_complete(kind: Kind, *, today: date) -> Period:
    """The most recent period of ``kind`` that is over by ``today``."""
    previous_month_end = today.replace(day=1) - timedelta(days=1)
    if kind == "month":
        return month(previous_month_end.year, previous_month_end.month)
    if kind == "quarter":
        current = (today.month - 1) // 3 + 1
        return quarter(today.year, current - 1) if current > 1 else quarter(today.year - 1, 4)
    return year(today.year - 1)


def months_before(today: date, count: int) -> list[Period]:
    """The ``count`` complete months before ``today``'s month, oldest first."""
    months: list[Period] = []
    current = last_complete("month", today=today)
    for _number in range(count):
        months.insert(0, current)
        previous = current.start - timedelta(days=1)
        current = month(previous.year, previous.month)
    return months
