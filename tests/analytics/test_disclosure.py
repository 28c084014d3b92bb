"""The release rule and its audit on small tables, checked by brute force.

The audit's linear programs give the smallest and largest value each suppressed cell can
take given what is released. Here an independent check enumerates every integer table that
agrees with the released cells and finds the same intervals: the rule's promise (no
suppressed cell narrower than the protection level) is tested without trusting the LP.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.disclosure import Table, audit_intervals, key_of, protect, relations
from analytics.periods import month, quarter

K = 5
CAP = 36  # the brute force's largest value: the most four leaves of at most 9 can add up to
LANGUAGES = ("en", "fi")
OPTIONS = ("a", "b", "c")


def table_of(leaves: dict[tuple[str, str], int], period: str = "2026-11") -> dict:
    """item_options cells: by language and option, their totals, all languages."""
    cells = {}
    for (language, option), value in leaves.items():
        for lang in (language, ""):
            for category in (option, ""):
                key = key_of(period, "item_options", language=lang, instrument="i", item="q", occasion="o",
                             category=category)  # fmt: skip
                cells[key] = cells.get(key, 0) + value
    return cells


def brute_intervals(leaves: dict[tuple[str, str], int], released: dict, suppressed: set) -> dict:
    """Every integer assignment of the leaves that reproduces the released cells."""
    names = sorted(leaves)
    grids = np.meshgrid(*[np.arange(CAP + 1, dtype=np.int32) for _ in names], indexing="ij")
    values = {name: grid.ravel() for name, grid in zip(names, grids, strict=True)}
    ok = np.ones(len(values[names[0]]), dtype=bool)

    def cell(key) -> np.ndarray:
        language, category = key[2], key[8]
        return sum(values[(lang, opt)] for lang, opt in names
                   if (not language or lang == language) and (not category or opt == category))  # fmt: skip

    for key, value in released.items():
        ok &= cell(key) == value
    found = {}
    for key in suppressed:
        possible = cell(key)[ok]
        found[key] = (int(possible.min()), int(possible.max()))
    return found


leaf_values = st.lists(st.integers(min_value=0, max_value=9), min_size=4, max_size=4)


@settings(max_examples=40, deadline=None)
@given(leaf_values)
def test_protected_tables_agree_with_brute_force(numbers: list[int]) -> None:
    leaves = dict(zip(itertools.product(LANGUAGES, OPTIONS[:2]), numbers, strict=True))
    current = table_of(leaves)
    outcome = protect(Table(current=current), {"2026-11": month(2026, 11)}, k=K, protection=K)
    released = {key: value for key, value in current.items() if key not in outcome.suppressed}
    # no released count from 1 to k-1
    assert all(value == 0 or value >= K for value in released.values())
    if not outcome.suppressed:
        return
    brute = brute_intervals(
        leaves, released, outcome.suppressed | {key for key in current if key not in outcome.suppressed}
    )
    # a zero beside a suppressed total is released only where the released figures pin it anyway
    for key, value in released.items():
        if value == 0 and key[8] and (*key[:8], "") not in released:
            assert brute[key] == (0, 0)
    for key in outcome.suppressed:
        low, high = brute[key]
        if key in outcome.sensitive:  # every small count keeps the protection level
            assert high - low >= K or high == CAP, (key, low, high)
        elif key not in outcome.primary:  # a complement is never one the released figures pin down
            assert high > low, key
        lp_low, lp_high = outcome.intervals[key]
        assert lp_low <= low + 1e-6
        assert lp_high >= high - 1e-6 or high == CAP
        if high < CAP:  # the two-way table's LP is exact on integers
            assert (round(lp_low), round(lp_high)) == (low, high)


def test_a_single_small_cell_takes_a_complement_in_its_row_and_column() -> None:
    leaves = {("en", "a"): 20, ("en", "b"): 3, ("fi", "a"): 15, ("fi", "b"): 12}
    current = table_of(leaves)
    outcome = protect(Table(current=current), {"2026-11": month(2026, 11)}, k=K, protection=K)
    en_b = key_of("2026-11", "item_options", language="en", instrument="i", item="q", occasion="o", category="b")
    assert en_b in outcome.suppressed
    assert len(outcome.suppressed) >= 4  # a rectangle: en/b, en/a, and their partners in another row
    low, high = outcome.intervals[en_b]
    assert high - low >= K


def test_an_earlier_month_cannot_be_recovered_from_its_quarter() -> None:
    """October's Finnish 3 is suppressed; November and December are released; the quarter
    would give it away (27 - 12 - 12) unless the quarter's Finnish cell is suppressed too."""
    q4 = quarter(2026, 4)
    periods = {p.label: p for p in q4.family()}

    def cell(period: str, language: str = "") -> tuple:
        return key_of(period, "new_profiles", language=language)

    past = {cell("2026-10"): 53, cell("2026-10", "en"): None, cell("2026-10", "fi"): None,
            cell("2026-11"): 52, cell("2026-11", "en"): 40, cell("2026-11", "fi"): 12,
            cell("2026-12"): 42, cell("2026-12", "en"): 30, cell("2026-12", "fi"): 12}  # fmt: skip
    current = {cell("2026-Q4"): 147, cell("2026-Q4", "en"): 120, cell("2026-Q4", "fi"): 27}
    unknown = frozenset(label for label in periods if label not in {"2026-10", "2026-11", "2026-12", "2026-Q4"})
    # October's Finnish 3 was a small count (sensitive); October's English 50 its complement
    table = Table(
        current=current, past=past, unknown_periods=unknown, past_protected=frozenset({cell("2026-10", "fi")})
    )
    outcome = protect(table, periods, k=11, protection=11)
    assert cell("2026-Q4", "fi") in outcome.suppressed
    assert cell("2026-Q4", "en") in outcome.suppressed
    low, high = outcome.intervals[cell("2026-10", "fi")]
    assert high - low >= 11
    # without the rule, the audit finds October's cell exactly
    naive = audit_intervals(table, relations(table, periods), set())
    assert naive.intervals[cell("2026-10", "fi")] == pytest.approx((3, 3))


def test_deletions_relax_the_time_relations_instead_of_failing() -> None:
    """A quarter computed after deletions adds up to less than its released months."""
    q4 = quarter(2026, 4)
    periods = {p.label: p for p in q4.family()}
    released = {"2026-10", "2026-11", "2026-12", "2026-Q4"}
    unknown = frozenset(p for p in periods if p not in released)
    past: dict = {}
    for m, total in (("2026-10", 20), ("2026-11", None), ("2026-12", 20)):
        past[key_of(m, "new_profiles")] = total
        past[key_of(m, "new_profiles", language="en")] = total
    current = {key_of("2026-Q4", "new_profiles"): 55, key_of("2026-Q4", "new_profiles", language="en"): 55}
    sensitive = frozenset({key_of("2026-11", "new_profiles"), key_of("2026-11", "new_profiles", language="en")})
    table = Table(current=current, past=past, unknown_periods=unknown, past_protected=sensitive)
    naive = audit_intervals(table, relations(table, periods), set())
    assert naive.intervals[key_of("2026-11", "new_profiles", language="en")] == pytest.approx((15, 15))  # 55 - 40
    outcome = protect(table, periods, k=11, protection=11)
    assert not outcome.relaxed
    assert key_of("2026-Q4", "new_profiles") in outcome.suppressed  # so the quarter is suppressed
    low, high = outcome.intervals[key_of("2026-11", "new_profiles", language="en")]
    assert high - low >= 11
    # after deletions the quarter is less than the released months: a gap makes them agree
    current = {key_of("2026-Q4", "new_profiles"): 35, key_of("2026-Q4", "new_profiles", language="en"): 35}
    table = Table(current=current, past=past, unknown_periods=unknown)
    naive = audit_intervals(table, relations(table, periods), set())
    assert naive.relaxed
    assert naive.intervals[key_of("2026-11", "new_profiles", language="en")][0] == pytest.approx(0)


@pytest.mark.parametrize(
    "numbers",
    [[3, 20, 15, 12], [9, 0, 4, 7], [0, 5, 1, 4], [30, 2, 2, 30], [11, 11, 11, 11]],
)
def test_both_ways_of_solving_agree(numbers: list[int], monkeypatch) -> None:
    """HiGHS's bindings with one model per component, and one linprog call per bound."""
    from analytics import disclosure

    leaves = dict(zip(itertools.product(LANGUAGES, OPTIONS[:2]), numbers, strict=True))
    current = table_of(leaves)
    fast = protect(Table(current=current), {"2026-11": month(2026, 11)}, k=K, protection=K)
    monkeypatch.setattr(disclosure, "FORCE_LINPROG", True)
    slow = protect(Table(current=current), {"2026-11": month(2026, 11)}, k=K, protection=K)
    assert fast.suppressed == slow.suppressed
    assert fast.intervals.keys() == slow.intervals.keys()
    for key, (low, high) in fast.intervals.items():
        assert (low, high) == pytest.approx(slow.intervals[key])


def test_a_suppressed_cell_in_no_relation_is_unbounded() -> None:
    """A lone cell (no breakdown, no language, no other period): nothing bounds it."""
    cell = key_of("2026-11", "paired_change", instrument="i", occasion="o")
    outcome = protect(Table(current={cell: 4}), {"2026-11": month(2026, 11)}, k=K, protection=K)
    assert outcome.suppressed == {cell}
    assert outcome.intervals[cell] == (0.0, float("inf"))


def test_links_between_measures_are_part_of_the_audit() -> None:
    """Skipped 3 of 33 responses; the scores' total (30) would give it away through
    answered >= scored, unless the audit knows that link (it does)."""

    def cell(measure: str, category: str = "", **dims: str) -> tuple:
        return key_of("2026-11", measure, instrument="i", occasion="o", category=category, **dims)

    current = {
        cell("questionnaire_responses"): 33,
        cell("questionnaire_responses", "answered"): 30,
        cell("questionnaire_responses", "skipped"): 3,
        cell("score_bins"): 30,
        cell("score_bins", "0-10"): 15,
        cell("score_bins", "10-20"): 15,
    }
    outcome = protect(Table(current=current), {"2026-11": month(2026, 11)}, k=11, protection=11)
    skipped = cell("questionnaire_responses", "skipped")
    low, high = outcome.intervals[skipped]
    assert high - low >= 11
    assert cell("score_bins") in outcome.suppressed or cell("questionnaire_responses") in outcome.suppressed


def test_a_language_change_never_drops_the_time_relations() -> None:
    """A profile that moved from en to es between the months and the quarter makes the
    figures disagree; Finnish November (4, protected) must still not come out as
    quarter minus the other months."""
    q4 = quarter(2026, 4)
    periods = {p.label: p for p in q4.family()}
    fi = {"2026-10": 15, "2026-11": None, "2026-12": 15}
    past: dict = {}
    for m, value in fi.items():
        past[key_of(m, "new_profiles", language="fi")] = value
        past[key_of(m, "new_profiles", language="en")] = 40
        past[key_of(m, "new_profiles", language="es")] = None if value is None else 30
        past[key_of(m, "new_profiles")] = None if value is None else 85
    current = {
        key_of("2026-Q4", "new_profiles", language="fi"): 34,
        key_of("2026-Q4", "new_profiles", language="en"): 119,  # one moved to es
        key_of("2026-Q4", "new_profiles", language="es"): 91,
        key_of("2026-Q4", "new_profiles"): 244,
    }
    unknown = frozenset(p for p in periods if p not in {"2026-10", "2026-11", "2026-12", "2026-Q4"})
    table = Table(current=current, past=past, unknown_periods=unknown,
                  past_protected=frozenset({key_of("2026-11", "new_profiles", language="fi")}))  # fmt: skip
    outcome = protect(table, periods, k=11, protection=11)
    assert key_of("2026-Q4", "new_profiles", language="fi") in outcome.suppressed
    low, high = outcome.intervals.get(key_of("2026-11", "new_profiles", language="fi"), (0, float("inf")))
    assert high - low >= 11
