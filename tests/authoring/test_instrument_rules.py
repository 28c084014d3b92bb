"""Authoring rules an instrument must keep before it is offered, named in plain words."""

from decimal import Decimal

import pytest

from questionnaires.models import FeedbackBand, Instrument
from questionnaires.selectors import instrument_problems
from tests.factories import CHECK_IN, SITUATION, Course, ItemFactory, ItemOptionFactory


@pytest.mark.django_db
def test_the_course_instruments_pass_every_authoring_rule(program: Course) -> None:
    for instrument in Instrument.objects.all():
        assert instrument_problems(instrument) == [], instrument.slug


@pytest.mark.django_db
def test_a_gap_and_an_overlap_in_the_bands_are_named(program: Course) -> None:
    instrument = Instrument.objects.get(slug=CHECK_IN)
    FeedbackBand.objects.filter(instrument=instrument, lower=5).update(lower=Decimal(6))
    assert instrument_problems(instrument) == ["total score: scores from 5.00 to 6.00 have no band (a gap)"]

    FeedbackBand.objects.filter(instrument=instrument, lower=6).update(lower=Decimal(4))
    assert instrument_problems(instrument) == ["total score: the bands 0.00–5.00 and 4.00– overlap"]  # noqa: RUF001


@pytest.mark.django_db
def test_a_scale_must_run_from_0_to_10(program: Course) -> None:
    instrument = Instrument.objects.get(slug=CHECK_IN)
    instrument.items.filter(slug="mood").update(max_value=7)

    assert "item 'mood': a scale runs from 0 to 10" in instrument_problems(instrument)


@pytest.mark.django_db
def test_a_choice_item_needs_two_options_and_only_choice_items_have_options(program: Course) -> None:
    instrument = Instrument.objects.get(slug=SITUATION)
    lonely = ItemFactory(instrument=instrument, slug="lonely", kind="single_choice", position=9, scored=False)
    ItemOptionFactory(item=lonely, value="only", position=1)
    ItemOptionFactory(item=program.items["hours"], value="stray", position=1)

    problems = instrument_problems(instrument)

    assert "item 'lonely': a single-choice item needs at least two options" in problems
    assert "item 'hours': only single-choice items have options" in problems


@pytest.mark.django_db
def test_retired_items_are_left_out_of_the_rules(program: Course) -> None:
    instrument = Instrument.objects.get(slug=CHECK_IN)
    instrument.items.filter(slug="mood").update(max_value=7)

    instrument.items.filter(slug="mood").update(retired_on="2026-11-01")

    assert "item 'mood': a scale runs from 0 to 10" not in instrument_problems(instrument)
