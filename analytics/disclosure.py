"""The release rule and its audit: which cells are suppressed, proven by linear programs.

A *cell* is one count of distinct profiles: a measure, a period and its dimensions (see
``analytics.measures``). The rule, in order:

1. **Threshold.** A count from 1 to k-1 is suppressed (primary suppression). Zeros are
   released: a zero tells that no profile fell in a cell, not who did.
2. **Small totals.** Where a partition's total (category "") is below k, every category
   of it is suppressed too, zeros included; and wherever a total or an all-language figure
   is suppressed, for any reason, its zero parts are suppressed with it: a released zero
   beside a suppressed whole would say where the few people are not.
3. **Complementary suppression and the audit.** Every sensitive cell (a count from 1 to
   k-1, in this release or an earlier one) must keep an interval of at least the protection
   level P (= k) between the smallest and the largest value it can take, given everything
   released that is linked to it:

   - partitions: the categories add up to their total;
   - languages: the languages add up to the all-language figure;
   - periods: for an additive measure the months add up to their quarter and the quarters
     to their year; for one that is not (active profiles) a quarter is at least each month
     and at most their sum; released periods of the same year take part with their released
     figures, suppressed ones as unknowns;
   - a measure whose total is another's (days to complete a module and module completions).

   For every suppressed cell, a linear program (HiGHS through ``scipy.optimize.linprog``)
   finds that smallest and largest value. Where an interval is narrower than P, the smallest
   released cell of the current release that shares a relation with the cell is suppressed
   too, and the audit runs again, until every interval holds.

   Deletion: a period computed after some profiles were deleted adds up to less than its
   released parts. Where the exact relations cannot all hold, each time relation gets an
   unknown, non-negative gap (the deleted profiles) and the audit is repeated on that; where
   even that cannot hold (a profile that changed its language between two releases), the
   time relations are left out of that component (a gap of any sign).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from scipy.optimize import linprog

from analytics.measures import BY_SLUG, DIMENSIONS
from analytics.periods import Period

try:  # HiGHS's own Python bindings, as scipy ships them for linprog
    from scipy.optimize._highspy import _core as highs
except ImportError:  # pragma: no cover - a scipy without them: linprog alone
    highs = None
# Tests set this to check the two ways of solving against each other.
FORCE_LINPROG = False

# period label, measure slug, then the dimensions in ``DIMENSIONS`` order
Key = tuple[str, str, str, str, str, str, str, str, str]
# a linear program's column bounds: (lowest, highest), None where unbounded
Bounds = list[tuple[float | None, float | None]]
LANGUAGE, CATEGORY = 2, 8
INFINITY = math.inf


def key_of(period: str, measure: str, **dims: str) -> Key:
    return (period, measure, *(dims.get(name, "") for name in DIMENSIONS))  # type: ignore[return-value]


def with_(key: Key, index: int, value: str) -> Key:
    changed = list(key)
    changed[index] = value
    return tuple(changed)  # type: ignore[return-value]


@dataclass(frozen=True)
class Relation:
    """``Σ coefficient x cell (= or ≤) 0``; ``gap`` marks a time relation that deletions
    may leave short (``parent ≤ Σ children`` instead of equal)."""

    terms: tuple[tuple[Key, int], ...]
    kind: Literal["eq", "le"] = "eq"
    gap: bool = False


@dataclass
class Table:
    """The cells an audit sees.

    ``current``: this release's cells and their true values (absent keys are zeros).
    ``past``: cells of already released periods linked to this one: a value where released,
    ``None`` where suppressed; ``past_protected`` the suppressed ones that were sensitive.
    ``unknown_periods``: periods in the family with no release, whose cells are unknowns
    nobody needs to protect.
    """

    current: dict[Key, int]
    past: dict[Key, int | None] = field(default_factory=dict)
    unknown_periods: frozenset[str] = frozenset()
    # past suppressed cells that were sensitive (small counts): they must stay protected
    past_protected: frozenset[Key] = frozenset()

    def value(self, key: Key) -> int | None:
        if key in self.current:
            return self.current[key]
        return self.past.get(key, 0)


@dataclass
class Outcome:
    suppressed: set[Key]
    primary: set[Key]
    sensitive: set[Key]
    cells_checked: int
    narrowest: float | None
    relaxed: bool
    intervals: dict[Key, tuple[float, float]]


# --- Relations --------------------------------------------------------------------------


def relations(table: Table, periods: dict[str, Period], *, across_periods: bool = True) -> list[Relation]:
    """Every linear relation among the table's cells (item 4 of the release rule)."""
    keys = set(table.current) | set(table.past)
    found: list[Relation] = []
    groups: dict[Key, set[Key]] = defaultdict(set)
    languages: dict[Key, set[Key]] = defaultdict(set)
    shapes: set[Key] = set()
    for key in keys:
        measure = BY_SLUG[key[1]]
        if measure.partition and key[CATEGORY] != "":
            groups[with_(key, CATEGORY, "")].add(key)
        if measure.by_language and key[LANGUAGE] != "":
            languages[with_(key, LANGUAGE, "")].add(key)
        shapes.add(with_(key, 0, ""))
    for total, parts in groups.items():
        found.append(Relation(((total, 1), *((part, -1) for part in sorted(parts)))))
    for total, parts in languages.items():
        found.append(Relation(((total, 1), *((part, -1) for part in sorted(parts)))))
    for key in keys:  # a partition total that is another measure's figure
        measure = BY_SLUG[key[1]]
        if measure.total_is and key[CATEGORY] == "" and key[LANGUAGE] == "":
            other = (key[0], measure.total_is, *key[2:])
            found.append(Relation(((key, 1), (other, -1))))
    if across_periods:  # exact figures: the measures' links to each other and across periods hold
        found.extend(_measure_links(keys))
        found.extend(_time_relations(shapes, periods))
    return found


# Measures each of whose cells counts only profiles active in that period and language.
WITHIN_ACTIVE = ("new_profiles", "step_started", "step_completed", "module_completed", "item_options")
# Measures whose totals count only profiles that answered that questionnaire then.
WITHIN_ANSWERED = ("item_options", "score_bins", "number_bins", "paired_change")


def _measure_links(keys: set[Key]) -> Iterator[Relation]:
    """What always holds between measures of one period: a count of profiles is at most the
    active profiles of its language, and an answer's total at most the responses answered
    at that occasion (``le`` relations; an absent cell is a zero, but both are absent or
    present together only when the data are)."""
    for key in sorted(keys):
        period, slug = key[0], key[1]
        if slug == "active_profiles" or (BY_SLUG[slug].partition and key[CATEGORY] != ""):
            continue
        if slug in WITHIN_ACTIVE or slug == "questionnaire_responses":
            active = key_of(period, "active_profiles", language=key[LANGUAGE])
            if active in keys:
                yield Relation(((key, 1), (active, -1)), kind="le")
        if slug in WITHIN_ANSWERED and key[LANGUAGE] == "":
            answered = key_of(
                period, "questionnaire_responses", instrument=key[5], occasion=key[7], category="answered"
            )
            if answered in keys:
                yield Relation(((key, 1), (answered, -1)), kind="le")


def _time_relations(shapes: set[Key], periods: dict[str, Period]) -> Iterator[Relation]:
    families: list[tuple[str, list[str]]] = []
    for period in periods.values():
        children = [child.label for child in period.children()]
        if children and all(child in periods for child in children):
            families.append((period.label, children))
    for shape in sorted(shapes):
        measure = BY_SLUG[shape[1]]
        for label, children in families:
            whole = with_(shape, 0, label)
            parts = [with_(shape, 0, child) for child in children]
            if measure.additive:
                yield Relation(((whole, 1), *((part, -1) for part in parts)), gap=True)
            else:
                for part in parts:
                    yield Relation(((part, 1), (whole, -1)), kind="le", gap=True)
                yield Relation(((whole, 1), *((part, -1) for part in parts)), kind="le")


# --- The rule ---------------------------------------------------------------------------


def primary(table: Table, k: int) -> set[Key]:
    """Counts from 1 to k-1, and every category of a partition whose total is one."""
    below = {key for key, value in table.current.items() if 0 < value < k}
    totals = {key for key in below if BY_SLUG[key[1]].partition and key[CATEGORY] == ""}
    for key in table.current:
        if BY_SLUG[key[1]].partition and key[CATEGORY] != "" and with_(key, CATEGORY, "") in totals:
            below.add(key)
    return below


def protect(
    table: Table,
    periods: dict[str, Period],
    *,
    k: int,
    protection: int,
    across_periods: bool = True,
    max_rounds: int = 10_000,
) -> Outcome:
    """Suppress what the rule asks, then audit and suppress more until every *sensitive*
    cell (a count from 1 to k-1, of this release or of a linked past one) keeps an interval
    of ``protection``. Every suppressed cell is checked and reported; a complement (a cell
    suppressed only to protect another) that the released figures pin down exactly is
    released instead: its value is known anyway, and releasing it changes no interval."""
    first = primary(table, k)
    sensitive = {key for key in first if table.current.get(key, 0) > 0}
    required = sensitive | table.past_protected
    suppressed = set(first)
    rels = relations(table, periods, across_periods=across_periods)
    touching: dict[Key, list[int]] = defaultdict(list)
    for index, relation in enumerate(rels):
        for key, _ in relation.terms:
            touching[key].append(index)
    solved: dict[frozenset[Key], tuple[dict[Key, tuple[float, float]], bool]] = {}
    for _round in range(max_rounds):
        suppressed |= _zeros_beside(rels, table, suppressed)
        audit = audit_intervals(table, rels, suppressed, solved=solved, linked_to_current=True, allow_free=False)
        if audit.contradicted:  # this release's figures would contradict stored ones: keep them back
            suppressed |= audit.contradicted
            continue
        failing = sorted(
            key for key, (low, high) in audit.intervals.items() if key in required and high - low < protection - 1e-6
        )
        if not failing:
            pinned = {
                key
                for key in suppressed - first
                if key in table.current
                and key in audit.intervals
                and _width(audit.intervals[key]) < 1e-6
                # pinned at its true value (deletions can pin a cell at another one)
                and abs(audit.intervals[key][0] - table.current[key]) < 1e-6
            }
            widths = [_width(interval) for key, interval in audit.intervals.items() if key in required]
            return Outcome(
                suppressed=suppressed - pinned,
                primary=first,
                sensitive=sensitive,
                cells_checked=len(audit.intervals),
                narrowest=min(widths) if widths else None,
                relaxed=audit.relaxed,
                intervals=audit.intervals,
            )
        added = False
        for key in failing:
            candidate = _complement(key, rels, touching, table, suppressed)
            if candidate is not None:
                suppressed.add(candidate)
                added = True
        if not added:  # nothing left beside them: suppress every current cell they touch
            component = _component(failing, rels, touching)
            extra = {key for key in component if key in table.current and key not in suppressed}
            if not extra:
                raise AuditFailed(f"cannot protect {failing[0]} with this release's cells")
            suppressed |= extra
    raise AuditFailed("the audit did not settle")  # pragma: no cover - bounded by the cells


def _width(interval: tuple[float, float]) -> float:
    return interval[1] - interval[0]


def _zeros_beside(rels: list[Relation], table: Table, suppressed: set[Key]) -> set[Key]:
    """This release's zeros that are parts of a suppressed whole (a total, an all-language
    figure): a released zero there would tell where the suppressed people are not."""
    found: set[Key] = set()
    changed = True
    while changed:
        changed = False
        for relation in rels:
            whole = relation.terms[0][0]
            if relation.kind != "eq" or relation.gap or (whole not in suppressed and whole not in found):
                continue
            for part, _ in relation.terms[1:]:
                if table.current.get(part) == 0 and part not in suppressed and part not in found:
                    found.add(part)
                    changed = True
    return found


class AuditFailed(RuntimeError):
    """No suppression of this release's cells protects an earlier release's cell."""


def _complement(
    key: Key, rels: list[Relation], touching: dict[Key, list[int]], table: Table, suppressed: set[Key]
) -> Key | None:
    """The released current cell that is cheapest to suppress to widen ``key``: the nearest
    one, going out from ``key`` through relations and the unknown cells in them (a partner's
    partner, as a rectangle in a two-way table), through equalities first (sums, where a
    partner is what widens a cell), then inequalities too; among the nearest, the smallest
    non-zero value first, zeros last."""

    def unknown(cell: Key) -> bool:
        return cell in suppressed or table.past.get(cell, 0) is None or cell[0] in table.unknown_periods

    for kinds in (("eq",), ("eq", "le")):
        seen, layer = {key}, [key]
        while layer:
            candidates: set[Key] = set()
            following: list[Key] = []
            for cell in layer:
                for index in touching.get(cell, []):
                    if rels[index].kind not in kinds:
                        continue
                    for other, _ in rels[index].terms:
                        if other in seen:
                            continue
                        seen.add(other)
                        if other in table.current and other not in suppressed:
                            candidates.add(other)
                        elif unknown(other):
                            following.append(other)
            if candidates:
                return min(candidates, key=lambda cell: (table.current[cell] == 0, table.current[cell], cell))
            layer = following
    return None


def _component(seeds: Iterable[Key], rels: list[Relation], touching: dict[Key, list[int]]) -> set[Key]:
    seen: set[Key] = set(seeds)
    pending = list(seen)
    while pending:
        key = pending.pop()
        for index in touching.get(key, []):
            for other, _ in rels[index].terms:
                if other not in seen:
                    seen.add(other)
                    pending.append(other)
    return seen


# --- The audit ----------------------------------------------------------------------------


@dataclass
class Audit:
    intervals: dict[Key, tuple[float, float]]
    relaxed: bool
    # this release's released cells in groups whose figures cannot all hold even with a gap
    # for the deleted (a profile that changed its language): they must be suppressed
    contradicted: set[Key] = field(default_factory=set)


def audit_intervals(
    table: Table,
    rels: list[Relation],
    suppressed: set[Key],
    *,
    solved: dict[frozenset[Key], tuple[dict[Key, tuple[float, float]], bool]] | None = None,
    linked_to_current: bool = False,
    allow_free: bool = True,
) -> Audit:
    """For every suppressed cell (this release's and linked past ones), the smallest and
    largest value it can take given the released cells and the relations. ``solved`` keeps
    components' results between rounds: a component whose unknowns did not change (so
    neither did its relations or its released cells) is not solved again. With
    ``linked_to_current``, past cells in no relation with this release's cells are left out:
    nothing about them changed since their own release's audit. Without ``allow_free`` (the
    release rule), a group whose figures cannot all hold even with gaps for the deleted is
    not solved with its time relations dropped: its released cells of this release are
    returned in ``contradicted``, to be suppressed."""
    solved = {} if solved is None else solved
    contradicted: set[Key] = set()
    past_suppressed = {key for key, value in table.past.items() if value is None}
    protected = (suppressed & set(table.current)) | past_suppressed

    def unknown(key: Key) -> bool:
        return key in suppressed or key in past_suppressed or key[0] in table.unknown_periods

    # Group the relations that hold an unknown into connected components of unknowns.
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    live: list[Relation] = []
    for relation in _binding(rels, table.unknown_periods):
        unknowns = [key for key, _ in relation.terms if unknown(key)]
        if not unknowns:
            continue
        live.append(relation)
        for other in unknowns[1:]:
            parent[find(other)] = find(unknowns[0])
    for key in protected:
        find(key)
    components: dict[Key, list[Relation]] = defaultdict(list)
    for relation in live:
        first = next(key for key, _ in relation.terms if unknown(key))
        components[find(first)].append(relation)
    members: dict[Key, set[Key]] = defaultdict(set)
    for key in protected:
        members[find(key)].add(key)

    intervals: dict[Key, tuple[float, float]] = {}
    relaxed = False
    for root, targets in members.items():
        component_rels = components.get(root, [])
        if linked_to_current and not (
            targets & table.current.keys()
            or any(key in table.current for relation in component_rels for key, _ in relation.terms)
        ):
            continue
        signature = frozenset(key for relation in component_rels for key, _ in relation.terms if unknown(key)) | targets
        if signature not in solved:
            try:
                solved[signature] = _component_intervals(component_rels, targets, table, unknown, allow_free=allow_free)
            except _Contradicted:
                held_back = {
                    key
                    for relation in component_rels
                    for key, _ in relation.terms
                    if key in table.current and key not in suppressed
                }
                if not held_back:  # nothing of this release is left to hold back
                    raise AuditFailed("stored releases contradict each other beyond deletions") from None
                contradicted |= held_back
                continue
        found, was_relaxed = solved[signature]
        intervals.update(found)
        relaxed = relaxed or was_relaxed
    return Audit(intervals=intervals, relaxed=relaxed, contradicted=contradicted)


def _binding(rels: list[Relation], unknown_periods: frozenset[str]) -> list[Relation]:
    """``rels`` without those a period nobody released makes empty: a cell of an unreleased
    period (nobody needs it protected, nothing bounds it) that appears in one relation only,
    where it can absorb any value (an unreleased quarter as the sum of its months, an
    unreleased month under its quarter's inequality), says nothing, and would only tie
    every month of a measure into one large program."""
    remaining = list(rels)
    while True:
        uses: dict[Key, int] = defaultdict(int)
        for relation in remaining:
            for key, _ in relation.terms:
                if key[0] in unknown_periods:
                    uses[key] += 1
        kept: list[Relation] = []
        for relation in remaining:
            empty = False
            for key, coefficient in relation.terms:
                if key[0] not in unknown_periods or uses[key] != 1:
                    continue
                others = [c for other, c in relation.terms if other != key]
                if (relation.kind == "le" and coefficient < 0) or (
                    relation.kind == "eq" and coefficient > 0 and all(c < 0 for c in others)
                ):
                    empty = True
            if not empty:
                kept.append(relation)
        if len(kept) == len(remaining):
            return kept
        remaining = kept


class _Contradicted(Exception):
    """The group's relations cannot all hold, even with gaps for the deleted."""


def _component_intervals(
    rels: list[Relation], targets: set[Key], table: Table, unknown: object, *, allow_free: bool = True
) -> tuple[dict[Key, tuple[float, float]], bool]:
    is_unknown = unknown  # a callable: Key -> bool
    variables: dict[Key, int] = {}
    for relation in rels:
        for key, _ in relation.terms:
            if is_unknown(key) and key not in variables:  # type: ignore[operator]
                variables[key] = len(variables)
    for key in targets:
        variables.setdefault(key, len(variables))
    for mode in ("exact", "gap", "free") if allow_free else ("exact", "gap"):
        relaxed = mode != "exact"
        gaps = [index for index, relation in enumerate(rels) if relaxed and relation.gap]
        width = len(variables) + len(gaps)
        a_eq: list[np.ndarray] = []
        a_ub: list[np.ndarray] = []
        b_eq: list[float] = []
        b_ub: list[float] = []
        for index, relation in enumerate(rels):
            row = np.zeros(width)
            constant = 0.0
            for key, coefficient in relation.terms:
                if key in variables:
                    row[variables[key]] += coefficient
                else:
                    constant += coefficient * (table.value(key) or 0)
            if relaxed and relation.gap:  # parent + gap = Σ children (or child ≤ parent + gap)
                row[len(variables) + gaps.index(index)] = 1 if relation.kind == "eq" else -1
            (a_eq if relation.kind == "eq" else a_ub).append(row)
            (b_eq if relation.kind == "eq" else b_ub).append(-constant)
        gap_bounds: tuple[float | None, float | None] = (0, None) if mode == "gap" else (None, None)
        bounds_of: Bounds = [(0, None)] * len(variables) + [gap_bounds] * len(gaps)
        program = _program(a_eq, b_eq, a_ub, b_ub, bounds_of)
        if not program.feasible():
            continue
        if mode == "gap" and gaps:
            # Gaps only where the figures force one: the fewest deleted profiles that make
            # them agree; every other time relation stays exact, as an attacker would read it.
            needed = _least_gaps(a_eq, b_eq, a_ub, b_ub, bounds_of, first=len(variables))
            bounds_of = bounds_of[: len(variables)] + [(0, None) if gap > 1e-9 else (0, 0) for gap in needed]
            program = _program(a_eq, b_eq, a_ub, b_ub, bounds_of)
        found: dict[Key, tuple[float, float]] = {}
        for key in sorted(targets):
            # The largest value first: where nothing bounds it, the interval is unbounded
            # and its smallest value (at least 0) changes nothing.
            high = program.extreme(variables[key], largest=True)
            low = 0.0 if high == INFINITY else program.extreme(variables[key], largest=False)
            found[key] = (low, high)
        return found, relaxed
    if not allow_free:
        raise _Contradicted
    raise AuditFailed("the released figures contradict each other")  # pragma: no cover


def _least_gaps(
    a_eq: list[np.ndarray], b_eq: list[float], a_ub: list[np.ndarray], b_ub: list[float], bounds: Bounds, *, first: int
) -> list[float]:
    """The gap columns (from ``first`` on) of a solution with the smallest total gap."""
    objective = np.zeros(len(bounds))
    objective[first:] = 1.0
    result = _LinprogProgram(a_eq, b_eq, a_ub, b_ub, bounds).solve(objective)
    if result.status != 0:
        raise AuditFailed(f"the solver stopped: {result.message}")
    return [float(value) for value in result.x[first:]]


class _Program:
    """One component's linear program: rows ``a_eq x = b_eq`` and ``a_ub x <= b_ub``, column
    bounds, and the smallest or largest value of one column."""

    def feasible(self) -> bool:
        raise NotImplementedError

    def extreme(self, column: int, *, largest: bool) -> float:
        raise NotImplementedError


def _program(
    a_eq: list[np.ndarray], b_eq: list[float], a_ub: list[np.ndarray], b_ub: list[float], bounds: Bounds
) -> _Program:
    if highs is not None and not FORCE_LINPROG:
        return _HighsProgram(a_eq, b_eq, a_ub, b_ub, bounds)
    return _LinprogProgram(a_eq, b_eq, a_ub, b_ub, bounds)


class _HighsProgram(_Program):
    """HiGHS through its own bindings (the ones scipy ships): the model is passed once and
    only the objective changes between solves, about twenty times faster than a ``linprog``
    call per bound on the audit's many small programs."""

    def __init__(
        self, a_eq: list[np.ndarray], b_eq: list[float], a_ub: list[np.ndarray], b_ub: list[float], bounds: Bounds
    ) -> None:
        assert highs is not None  # noqa: S101 - chosen by _program
        rows = a_eq + a_ub
        width = len(bounds)
        matrix = np.array(rows) if rows else np.zeros((0, width))
        lp = highs.HighsLp()
        lp.num_col_, lp.num_row_ = width, len(rows)
        lp.col_cost_ = np.zeros(width)
        lp.col_lower_ = np.array([-highs.kHighsInf if low is None else low for low, _ in bounds], dtype=float)
        lp.col_upper_ = np.array([highs.kHighsInf if high is None else high for _, high in bounds], dtype=float)
        lp.row_lower_ = np.array(b_eq + [-highs.kHighsInf] * len(b_ub), dtype=float)
        lp.row_upper_ = np.array(b_eq + b_ub, dtype=float)
        lp.a_matrix_.format_ = highs.MatrixFormat.kRowwise
        nonzero = [np.nonzero(row)[0] for row in matrix]
        lp.a_matrix_.start_ = np.cumsum([0] + [len(columns) for columns in nonzero]).astype(np.int32)
        lp.a_matrix_.index_ = np.concatenate(nonzero).astype(np.int32) if nonzero else np.zeros(0, dtype=np.int32)
        lp.a_matrix_.value_ = (
            np.concatenate([row[columns] for row, columns in zip(matrix, nonzero, strict=True)])
            if nonzero
            else np.zeros(0)
        )
        self.solver = highs._Highs()
        self.solver.setOptionValue("output_flag", False)
        self.solver.passModel(lp)
        self.width = width
        self.empty = not rows  # nothing binds the columns: HiGHS calls such a model empty
        self.bounds = bounds
        self._rows = (a_eq, b_eq, a_ub, b_ub)

    @cached_property
    def fallback(self) -> _LinprogProgram:
        """linprog, for what a warm start did not settle (rarely: made only then)."""
        return _LinprogProgram(*self._rows, self.bounds)

    def _solve(self, column: int | None, sign: float) -> tuple[object, float]:
        for index in range(self.width):
            self.solver.changeColCost(index, sign if index == column else 0.0)
        self.solver.run()
        return self.solver.getModelStatus(), self.solver.getInfo().objective_function_value

    def feasible(self) -> bool:
        if self.empty:
            return True
        status, _value = self._solve(None, 0.0)
        if status == highs.HighsModelStatus.kOptimal:
            return True
        if status == highs.HighsModelStatus.kInfeasible:
            return False
        return self.fallback.feasible()  # not settled: ask linprog

    def extreme(self, column: int, *, largest: bool) -> float:
        if self.empty:
            low, high = self.bounds[column]
            limit = high if largest else low
            return (INFINITY if largest else -INFINITY) if limit is None else float(limit)
        status, value = self._solve(column, -1.0 if largest else 1.0)
        if status in (highs.HighsModelStatus.kUnbounded, highs.HighsModelStatus.kUnboundedOrInfeasible):
            return INFINITY  # the program is feasible (checked first), so: unbounded
        if status != highs.HighsModelStatus.kOptimal:
            # A warm start that did not settle: solve this bound afresh through linprog,
            # which fails loudly rather than claim protection on a failed solve.
            return self.fallback.extreme(column, largest=largest)
        return -value if largest else value


class _LinprogProgram(_Program):
    """The same through ``scipy.optimize.linprog`` (HiGHS too), one call per bound."""

    def __init__(
        self, a_eq: list[np.ndarray], b_eq: list[float], a_ub: list[np.ndarray], b_ub: list[float], bounds: Bounds
    ) -> None:
        self.matrices = {
            "A_ub": np.array(a_ub) if a_ub else None,
            "b_ub": np.array(b_ub) if b_ub else None,
            "A_eq": np.array(a_eq) if a_eq else None,
            "b_eq": np.array(b_eq) if b_eq else None,
        }
        self.bounds = bounds

    def solve(self, objective: np.ndarray) -> Any:
        """linprog's result for minimising ``objective`` over the program."""
        return linprog(objective, **self.matrices, bounds=self.bounds, method="highs")

    def feasible(self) -> bool:
        return self.solve(np.zeros(len(self.bounds))).status != 2

    def extreme(self, column: int, *, largest: bool) -> float:
        objective = np.zeros(len(self.bounds))
        objective[column] = -1.0 if largest else 1.0
        result = self.solve(objective)
        if result.status == 3:
            return INFINITY
        if result.status != 0:
            raise AuditFailed(f"the solver stopped: {result.message}")
        value = float(result.fun)
        return -value if largest else value
