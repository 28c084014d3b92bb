from datetime import date

import pytest

from analytics.periods import PeriodInvalid, last_complete, month, parse_period, quarter, year

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "month"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "month"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "quarter"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        (" 2025-12 ", date(2025, 12, 1), date(2025, 12, 31), "month"),
    ],
)
def test_periods_are_parsed(text: str, start: date, end: date, kind: str) -> None:
    period = parse_period(text, today=TODAY)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-Q5", "26-11", "2026/11", "1999", "2026-11-01", "x"])
def test_malformed_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodInvalid, match="2026-11"):
        parse_period(text, today=TODAY)


@pytest.mark.parametrize("text", ["2026-12", "2026-Q4", "2026", "2027-01"])
def test_periods_not_over_are_refused(text: str) -> None:
    with pytest.raises(PeriodInvalid, match="not over"):
        parse_period(text, today=TODAY)


def test_the_hierarchy() -> None:
    assert month(2026, 11).parent() == quarter(2026, 4)
    assert quarter(2026, 4).parent() == year(2026)
    assert [m.label for m in quarter(2026, 4).children()] == ["2026-10", "2026-11", "2026-12"]
    family = [p.label for p in month(2026, 5).family()]
    assert len(family) == 1 + 4 + 12
    assert "2026" in family
    assert "2026-Q2" in family
    assert "2026-12" in family


def test_last_complete() -> None:
    assert last_complete("month", today=date(2027, 1, 1)).label == "2026-12"
    assert last_complete("quarter", today=date(2027, 1, 2)).label == "2026-Q4"
    assert last_complete("quarter", today=date(2026, 5, 2)).label == "2026-Q1"
    assert last_complete("year", today=date(2027, 1, 3)).label == "2026"
