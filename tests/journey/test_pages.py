"""Pages of a signed-in help-seeker: their progress on the program and module pages, their
answers on the step page, where the journey goes next, and a fixed number of queries."""

import pytest
from django.test import Client

from tests.factories import FIRST, HELP, PLAN, VALUES, WAVES, WELCOME, WHY, Course


@pytest.mark.django_db
def test_program_and_module_pages_show_the_readers_progress(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WELCOME), {"action": "complete"})

    overview = browser.get("/en/program/course/").content.decode()
    module = browser.get(f"/en/program/course/{FIRST}/").content.decode()

    assert "1 of 4 steps done" in overview
    assert '<progress max="4" value="1">' in overview
    assert module.count("· Done") == 1


@pytest.mark.django_db
def test_pages_of_a_reader_not_signed_in_show_no_progress_and_no_form(client: Client, program: Course) -> None:
    overview = client.get("/en/program/course/").content.decode()
    step = client.get(program.step_url(WHY)).content.decode()

    assert "steps done" not in overview
    main = step.split('<main id="main">')[1].split("</main>")[0]
    assert "<form" not in main
    assert "Your answers can be saved once you start the program." in main
    assert 'name="reasons" dir="auto" rows="5" aria-describedby="prompt-reasons" disabled>' in main


@pytest.mark.django_db
def test_save_and_continue_goes_to_the_next_step_across_modules(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    for step in (WELCOME, WHY, VALUES):
        browser.post(program.answers_url(step), {"action": "complete"})
    browser.post(program.questionnaire_url("after-first"), {"action": "skip"})

    # the first module is complete and its check-in was skipped: on to the second module
    assert browser.post(program.answers_url(PLAN), {"action": "complete"})["Location"] == program.step_url(WAVES)
    assert browser.post(program.answers_url(WAVES), {"action": "complete"})["Location"] == program.step_url(HELP)
    last = browser.post(program.answers_url(HELP), {"action": "complete"})
    assert last["Location"] == "/en/me/finished/course/"


@pytest.mark.django_db
def test_completing_a_module_offers_its_check_in_first(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    for step in (WELCOME, WHY, VALUES):
        browser.post(program.answers_url(step), {"action": "complete"})

    response = browser.post(program.answers_url(PLAN), {"action": "complete"})

    assert response["Location"] == program.questionnaire_url("after-first")


@pytest.mark.django_db
def test_save_keeps_the_reader_on_the_step_with_a_message(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started

    response = browser.post(program.answers_url(WHY), {"reasons": "Mine.", "action": "save"}, follow=True)

    assert response.redirect_chain == [(program.step_url(WHY), 302)]
    assert "Your answers are saved." in response.content.decode()


@pytest.mark.django_db
def test_signed_in_pages_make_a_fixed_number_of_queries(
    started: tuple[Client, str], program: Course, django_assert_num_queries
) -> None:
    browser, _codename = started
    step = program.step_url(WHY)
    browser.get(step)  # content cached, step recorded as viewed
    browser.post(program.answers_url(WHY), {"reasons": "x", "importance": "3"})

    # session (1), step state: blocks, answers, completion (3); the program lookup and the
    # outline (with the steps' conditions) are kept
    with django_assert_num_queries(4):
        assert browser.get(step).status_code == 200
    # session, program list, results, where to continue: the step opened last and the steps
    # done (5); per program: progress (steps hidden by answers, then the counts: 2) and what is
    # due: answered, occasions, modules completed, program completion (2)
    with django_assert_num_queries(12):
        assert browser.get("/en/me/").status_code == 200
