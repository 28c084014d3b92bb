"""Scoring properties (hypothesis) and authoring validation of feedback bands."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from questionnaires import scoring
from questionnaires.scoring import InstrumentSpec, ItemSpec


@st.composite
def items(draw: st.DrawFn, slug: str) -> ItemSpec:
    kind = draw(st.sampled_from(["single_choice", "scale", "yes_no", "number"]))
    if kind == "single_choice":
        scores = draw(st.lists(st.integers(-5, 20), min_size=2, max_size=6))
        return ItemSpec(slug, kind, option_scores={f"o{i}": s for i, s in enumerate(scores)},
                        reverse=draw(st.booleans()), subscale=draw(st.sampled_from([None, "a", "b"])))  # fmt: skip
    if kind == "number":
        low = draw(st.integers(0, 50))
        return ItemSpec(
            slug, kind, min_value=low, max_value=draw(st.integers(low + 1, 200)), reverse=draw(st.booleans())
        )
    return ItemSpec(slug, kind, reverse=draw(st.booleans()), subscale=draw(st.sampled_from([None, "a", "b"])))


@st.composite
def instruments(draw: st.DrawFn) -> InstrumentSpec:
    count = draw(st.integers(1, 8))
    specs = tuple(draw(items(f"i{n}")) for n in range(count))
    return InstrumentSpec(draw(st.sampled_from(["sum", "mean"])), draw(st.integers(0, count)), specs)


def answer_for(item: ItemSpec, data: st.DataObject) -> str | int:
    if item.kind == "single_choice":
        return data.draw(st.sampled_from(sorted(item.option_scores)))
    if item.kind == "yes_no":
        return data.draw(st.sampled_from(["yes", "no"]))
    return data.draw(st.integers(item.min_value, item.max_value))


@given(instruments(), st.data())
def test_score_stays_within_the_instruments_bounds(spec: InstrumentSpec, data: st.DataObject) -> None:
    answered = [item for item in spec.items if data.draw(st.booleans())]
    answers = {item.slug: answer_for(item, data) for item in answered}

    value = scoring.score(spec, answers)

    low, high = scoring.score_bounds(spec)
    if value is not None:
        assert low <= value <= high
    for subscale in ("a", "b"):
        sub = scoring.score(spec, answers, subscale)
        sub_low, sub_high = scoring.score_bounds(spec, subscale)
        if sub is not None:
            assert sub_low <= sub <= sub_high


@given(items("x"), st.data())
def test_reverse_scoring_mirrors_the_scale_and_twice_is_identity(item: ItemSpec, data: st.DataObject) -> None:
    answer = answer_for(item, data)
    forward = ItemSpec(item.slug, item.kind, item.min_value, item.max_value, item.option_scores, reverse=False)
    backward = ItemSpec(item.slug, item.kind, item.min_value, item.max_value, item.option_scores, reverse=True)
    low, high = scoring.item_bounds(item)

    assert scoring.item_score(forward, answer) + scoring.item_score(backward, answer) == low + high
    assert low + high - scoring.item_score(backward, answer) == scoring.item_score(forward, answer)


@given(instruments(), st.data())
def test_missing_item_rule_behaves_as_documented(spec: InstrumentSpec, data: st.DataObject) -> None:
    scored = [item for item in spec.items if item.scored]
    picked = data.draw(st.lists(st.sampled_from(range(len(scored))), unique=True)) if scored else []
    answered = [scored[index] for index in picked]
    answers = {item.slug: answer_for(item, data) for item in answered}

    value = scoring.score(spec, answers)

    missing = len(scored) - len(answered)
    if not answered or missing > spec.max_missing:
        assert value is None
    else:
        assert value is not None
        values = [Decimal(scoring.item_score(item, answers[item.slug])) for item in answered]
        mean = sum(values) / len(values)
        expected = mean if spec.scoring == "mean" else mean * len(scored)
        assert value == expected.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@given(instruments(), st.data())
def test_with_nothing_missing_a_sum_is_the_plain_sum(spec: InstrumentSpec, data: st.DataObject) -> None:
    assume(spec.scoring == "sum")
    answers = {item.slug: answer_for(item, data) for item in spec.items}

    assert scoring.score(spec, answers) == sum(scoring.item_score(item, answers[item.slug]) for item in spec.items)


D = Decimal


def test_bands_that_tile_the_range_have_no_problems() -> None:
    assert scoring.band_problems([(D(0), D(7)), (D(7), D(14)), (D(14), D(20))], D(0), D(20)) == []


def test_a_gap_between_bands_is_reported() -> None:
    problems = scoring.band_problems([(D(0), D(7)), (D(8), D(20))], D(0), D(20))

    assert problems == ["scores from 7 to 8 have no band (a gap)"]


def test_overlapping_bands_are_reported() -> None:
    problems = scoring.band_problems([(D(0), D(10)), (D(7), D(20))], D(0), D(20))

    assert problems == ["the bands 0–10 and 7– overlap"]  # noqa: RUF001


def test_bands_that_miss_either_end_are_reported() -> None:
    problems = scoring.band_problems([(D(1), D(10)), (D(10), D(19))], D(0), D(20))

    assert "the first band starts at 1, but the lowest possible score is 0" in problems
    assert "the last band ends at 19, but the highest possible score is 20" in problems


def test_no_bands_is_a_problem() -> None:
    assert scoring.band_problems([], D(0), D(20)) == ["no feedback bands"]


def test_the_top_score_falls_in_the_last_band_and_boundaries_go_up() -> None:
    bands = [(D(0), D(7)), (D(7), D(14)), (D(14), D(20))]

    assert scoring.band_for(bands, D(20)) == 2
    assert scoring.band_for(bands, D(7)) == 1
    assert scoring.band_for(bands, D("6.99")) == 0
