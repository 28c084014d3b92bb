"""Scoring, as pure functions over plain specs, so it can be proved with property tests.

Rules:
- A single-choice item scores its option's score; yes/no scores 1 for yes and 0 for no; a
  scale or number item scores its value.
- A reverse-scored item scores ``low + high - raw``, where low and high are the item's
  possible bounds: the scale is mirrored, so reversing twice gives the raw score back.
- Only items marked ``scored`` count. If more than ``max_missing`` of them are unanswered
  there is no score. Otherwise the score is the mean of the answered items (``mean``), or
  that mean times the number of items (``sum``), which is the plain sum when nothing is
  missing. Scores are rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

SUM = "sum"
MEAN = "mean"
SINGLE_CHOICE = "single_choice"
YES_NO = "yes_no"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemSpec:
    slug: str
    kind: str
    min_value: int = 0
    max_value: int = 10
    option_scores: Mapping[str, int] = field(default_factory=dict)
    scored: bool = True
    reverse: bool = False
    subscale: str | None = None


@dataclass(frozen=True)
class InstrumentSpec:
    scoring: str
    max_missing: int
    items: tuple[ItemSpec, ...]


Answer = str | int


def item_bounds(item: ItemSpec) -> tuple[int, int]:
    """The lowest and highest raw score the item can give."""
    if item.kind == SINGLE_CHOICE:
        return min(item.option_scores.values()), max(item.option_scores.values())
    if item.kind == YES_NO:
        return 0, 1
    return item.min_value, item.max_value


def raw_score(item: ItemSpec, answer: Answer) -> int:
    if item.kind == SINGLE_CHOICE:
        return item.option_scores[str(answer)]
    if item.kind == YES_NO:
        return 1 if answer == "yes" else 0
    return int(answer)


def item_score(item: ItemSpec, answer: Answer) -> int:
    """The item's contribution, mirrored when the item is reverse-scored."""
    raw = raw_score(item, answer)
    if not item.reverse:
        return raw
    low, high = item_bounds(item)
    return low + high - raw


def _scored_items(spec: InstrumentSpec, subscale: str | None) -> list[ItemSpec]:
    return [i for i in spec.items if i.scored and (subscale is None or i.subscale == subscale)]


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def score(spec: InstrumentSpec, answers: Mapping[str, Answer], subscale: str | None = None) -> Decimal | None:
    """The instrument's (or a subscale's) score, or ``None`` when too much is missing."""
    items = _scored_items(spec, subscale)
    values = [item_score(item, answers[item.slug]) for item in items if item.slug in answers]
    if not items or not values or len(items) - len(values) > spec.max_missing:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    return _round(mean if spec.scoring == MEAN else mean * len(items))


def score_bounds(spec: InstrumentSpec, subscale: str | None = None) -> tuple[Decimal, Decimal]:
    """The lowest and highest score ``score`` can return, missing items included."""
    items = _scored_items(spec, subscale)
    if not items:
        return Decimal(0), Decimal(0)
    answered = max(1, len(items) - spec.max_missing)
    lows = sorted(item_bounds(item)[0] for item in items)
    highs = sorted((item_bounds(item)[1] for item in items), reverse=True)
    # The extreme means come from answering only the items with the most extreme bounds.
    low_mean = Decimal(sum(lows[:answered])) / answered
    high_mean = Decimal(sum(highs[:answered])) / answered
    factor = 1 if spec.scoring == MEAN else len(items)
    return _round(low_mean * factor), _round(high_mean * factor)


def band_problems(bands: list[tuple[Decimal, Decimal]], low: Decimal, high: Decimal) -> list[str]:
    """Why a set of bands does not tile [low, high] exactly (empty when it does).

    Each band is (lower inclusive, upper exclusive); the last band's upper is inclusive.
    """
    if not bands:
        return ["no feedback bands"]
    problems = []
    ordered = sorted(bands)
    if ordered[0][0] != low:
        problems.append(f"the first band starts at {ordered[0][0]}, but the lowest possible score is {low}")
    for (lower, upper), (next_lower, _next_upper) in pairwise(ordered):
        if next_lower > upper:
            problems.append(f"scores from {upper} to {next_lower} have no band (a gap)")
        elif next_lower < upper:
            problems.append(f"the bands {lower}–{upper} and {next_lower}– overlap")  # noqa: RUF001
    if ordered[-1][1] != high:
        problems.append(f"the last band ends at {ordered[-1][1]}, but the highest possible score is {high}")
    for lower, upper in ordered:
        if lower >= upper:
            problems.append(f"a band runs from {lower} to {upper}")
    return problems


def band_for(bands: list[tuple[Decimal, Decimal]], value: Decimal) -> int | None:
    """The index (in ``bands``) of the band holding ``value``."""
    last_upper = max(upper for _lower, upper in bands) if bands else None
    for index, (lower, upper) in enumerate(bands):
        if lower <= value < upper or (value == upper == last_upper):
            return index
    return None
