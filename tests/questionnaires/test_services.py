"""Questionnaire writes and reads: answers stay attached when an instrument changes, what is
gone is retired, what is due follows the content in use, statistics see values only."""

from decimal import Decimal

import pytest

from helpseekers.services import step_complete
from modules.services import content_retire
from questionnaires.models import Item, ItemKind, ItemResponse, Occasion
from questionnaires.selectors import occasions_due, responses_for_statistics
from questionnaires.services import (
    BandInput,
    InstrumentInput,
    InstrumentInvalid,
    ItemInput,
    OccasionInput,
    program_questionnaires_save,
    response_submit,
)
from tests.factories import FIRST, SECOND, Course, ProfileFactory


def _mood(*items: str, upper: int = 10) -> InstrumentInput:
    return InstrumentInput(
        slug="mood-check",
        scoring="sum",
        max_missing=len(items),
        is_scored=True,
        title={"en": "Mood"},
        introduction={},
        items=[ItemInput(slug=slug, kind=ItemKind.SCALE, text={"en": slug}) for slug in items],
        bands=[BandInput(lower=Decimal(0), upper=Decimal(upper * len(items)), text={"en": "Fine."})],
    )


@pytest.mark.django_db
def test_an_item_left_out_is_retired_and_its_answers_stay(program: Course) -> None:
    # given a response to an instrument with two items
    program_questionnaires_save(
        program=program.program,
        instruments=[_mood("calm", "sleep")],
        occasions=[OccasionInput("daily", "mood-check", "baseline")],
    )
    profile = ProfileFactory()
    occasion = Occasion.objects.get(slug="daily")
    response_submit(profile=profile, occasion=occasion, answers={"calm": "4", "sleep": "7"})

    # when the instrument loses an item and the program an occasion
    program_questionnaires_save(program=program.program, instruments=[_mood("calm")], occasions=[])

    # then both are retired, the answers are intact, and nothing retired is offered
    assert Item.objects.get(slug="sleep").retired_on is not None
    assert Occasion.objects.get(slug="daily").retired_on is not None
    assert set(ItemResponse.objects.values_list("item__slug", "number")) == {("calm", 4), ("sleep", 7)}
    assert occasions_due(profile=ProfileFactory(), program_id=program.program.pk) == []


@pytest.mark.django_db
def test_an_instrument_breaking_a_rule_is_refused_with_its_problems(program: Course) -> None:
    with pytest.raises(InstrumentInvalid) as refused:
        program_questionnaires_save(program=program.program, instruments=[_mood("calm", upper=9)], occasions=[])

    assert refused.value.slug == "mood-check"
    assert refused.value.problems == [
        "total score: the last band ends at 9.00, but the highest possible score is 10.00"
    ]


@pytest.mark.django_db
def test_the_end_is_due_when_every_module_in_use_is_complete(program: Course) -> None:
    profile = ProfileFactory()
    for step in program.steps.values():
        if step.module.slug == FIRST:
            step_complete(profile=profile, step_id=step.pk, module_id=step.module_id, program_id=step.module.program_id)
    assert "end" not in {o.slug for o in occasions_due(profile=profile, program_id=program.program.pk)}

    content_retire(rows=[program.modules[SECOND]])

    assert "end" in {o.slug for o in occasions_due(profile=profile, program_id=program.program.pk)}


@pytest.mark.django_db
def test_statistics_see_structured_values_only(program: Course) -> None:
    response_submit(
        profile=ProfileFactory(),
        occasion=program.occasions["start"],
        answers={"urge-strength": "6", "frequency": "weekly"},
    )

    rows = list(responses_for_statistics(occasion_id=program.occasions["start"].pk))

    assert sorted(rows, key=lambda row: row["item__slug"]) == [
        {"item__slug": "frequency", "option_value": "weekly", "number": None},
        {"item__slug": "urge-strength", "option_value": None, "number": 6},
    ]


@pytest.mark.django_db
def test_a_repeating_occasion_comes_once_per_round_for_its_rounds_only(program: Course) -> None:
    from datetime import timedelta

    from questionnaires import selectors, services
    from questionnaires.errors import NotDue
    from questionnaires.models import QuestionnaireResponse
    from tests.factories import OccasionFactory, ProfileFactory

    check_in = program.occasions["after-first"].instrument
    weekly = OccasionFactory(
        program=program.program, instrument=check_in, slug="weekly", kind="repeating", every_days=7, times=2
    )
    profile = ProfileFactory()
    start = profile.created_on

    def due(days: int) -> bool:
        return weekly in selectors.occasions_due(
            profile=profile, program_id=program.program.pk, on=start + timedelta(days)
        )

    assert [due(0), due(6), due(7), due(13), due(14), due(21)] == [False, False, True, True, True, False]
    profile.created_on = start = start - timedelta(days=8)  # today is in round 1
    profile.save()
    services.response_submit(profile=profile, occasion=weekly, answers={"mood": "6"})
    with pytest.raises(NotDue):
        services.response_submit(profile=profile, occasion=weekly, answers={"mood": "7"})
    assert not due(8), "round 1 is answered"
    services.response_skip(profile=profile, occasion=weekly)  # round 1 again: nothing changes
    assert due(14), "round 2 comes a week later"
    assert list(QuestionnaireResponse.objects.values_list("round", "score")) == [(1, 6)]
    assert selectors.occasion_label(weekly, "en", 3) == "Week 3"
    assert selectors.occasion_label(weekly, "en") == "Every week"
