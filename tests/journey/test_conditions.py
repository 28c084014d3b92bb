"""Content shown only for some answers: a step or a questionnaire item asked only of those
whose earlier answer makes it fit, and not required of anyone else."""

import pytest
from django.test import Client

from helpseekers.models import ModuleCompletion
from modules.services import program_touch
from questionnaires.models import ItemResponse
from tests.factories import FIRST, PLAN, VALUES, WELCOME, WHY, Course


@pytest.fixture
def conditional(program: Course) -> Course:
    """The course with "What matters" and the hours question asked only of those who want to stop
    or are worried (not of those who are unsure)."""
    program.steps[VALUES].condition_block = program.blocks["reason"]
    program.steps[VALUES].condition_values = ["stop", "worried"]
    program.steps[VALUES].save(update_fields=["condition_block", "condition_values"])
    program.items["hours"].condition_block = program.blocks["reason"]
    program.items["hours"].condition_values = ["stop"]
    program.items["hours"].save(update_fields=["condition_block", "condition_values"])
    program_touch(program=program.program)  # as the admin and the loader do
    return program


@pytest.mark.django_db
def test_a_step_is_shown_until_the_answer_it_depends_on_rules_it_out(
    started: tuple[Client, str], conditional: Course
) -> None:
    browser, _codename = started
    module = f"/en/program/course/{FIRST}/"
    assert "What matters" in browser.get(module).content.decode(), "not answered yet: shown"

    browser.post(conditional.answers_url(WELCOME), {"reason": "unsure", "action": "complete"})

    assert "What matters" not in browser.get(module).content.decode()
    after_why = browser.post(conditional.answers_url(WHY), {"action": "complete"})
    assert after_why["Location"] == conditional.step_url(PLAN)
    assert "2 of 3 steps done" in browser.get("/en/me/").content.decode()


@pytest.mark.django_db
def test_a_hidden_step_is_not_required_to_complete_its_module(started: tuple[Client, str], conditional: Course) -> None:
    browser, _codename = started
    browser.post(conditional.answers_url(WELCOME), {"reason": "unsure", "action": "complete"})
    browser.post(conditional.answers_url(WHY), {"action": "complete"})

    finished_module = browser.post(conditional.answers_url(PLAN), {"action": "complete"})

    assert finished_module["Location"] == conditional.questionnaire_url("after-first")
    assert ModuleCompletion.objects.filter(module__slug=FIRST).exists()


@pytest.mark.django_db
def test_the_step_stays_for_those_whose_answer_fits(started: tuple[Client, str], conditional: Course) -> None:
    browser, _codename = started
    browser.post(conditional.answers_url(WELCOME), {"reason": "worried", "action": "complete"})

    assert browser.post(conditional.answers_url(WHY), {"action": "complete"})["Location"] == conditional.step_url(
        VALUES
    )
    assert "What matters" in browser.get(f"/en/program/course/{FIRST}/").content.decode()


@pytest.mark.django_db
def test_a_questionnaire_item_is_asked_only_of_those_it_fits(started: tuple[Client, str], conditional: Course) -> None:
    browser, _codename = started
    browser.post(conditional.answers_url(WELCOME), {"reason": "unsure", "action": "save"})

    page = browser.get(conditional.questionnaire_url("start")).content.decode()
    refused = browser.post(conditional.questionnaire_url("start"), {"hours": "3", "action": "submit"})
    answered = browser.post(conditional.questionnaire_url("start"), {"urge-strength": "4", "action": "submit"})

    assert 'name="hours"' not in page
    assert 'name="urge-strength"' in page
    assert refused.status_code == 400
    assert "Some answers need another look." in refused.content.decode()
    assert answered.status_code == 302
    assert list(ItemResponse.objects.values_list("item__slug", flat=True)) == ["urge-strength"]


@pytest.mark.django_db
def test_going_on_reads_the_answers_only_when_a_conditional_step_is_met(
    started: tuple[Client, str], conditional: Course, django_assert_num_queries
) -> None:
    browser, _codename = started
    answer = {"reason": "unsure", "action": "complete"}
    browser.post(conditional.answers_url(WELCOME), answer)

    # completed before: session, the answers' upsert in its savepoint (3), the completion read,
    # what is done; the outline, with the steps' conditions, is cached
    with django_assert_num_queries(6):
        assert browser.post(conditional.answers_url(WELCOME), answer)["Location"] == conditional.step_url(WHY)

    browser.post(conditional.answers_url(WHY), {"action": "complete"})
    # the way on passes a step that depends on an answer: one more read, for the answers
    with django_assert_num_queries(7):
        assert browser.post(conditional.answers_url(WELCOME), answer)["Location"] == conditional.step_url(PLAN)
