"""Where the journey goes: module to module through the check-ins, "continue where you left
off" never to a finished step, each step's state, the end of the program, and a header that
tells the truth about being signed in."""

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import FIRST, HELP, PLAN, VALUES, WAVES, WELCOME, WHY, Course

SIGN_OUT = 'action="/en/sign-out/"'
MY_PROGRESS = 'href="/en/me/">My progress</a>'


def _complete(browser: Client, course: Course, *steps: str) -> None:
    for step in steps:
        browser.post(course.answers_url(step), {"action": "complete"})


@pytest.mark.django_db
def test_after_a_modules_check_in_the_next_module_is_the_way_on(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    _complete(browser, program, WELCOME, WHY, VALUES, PLAN)

    browser.post(program.questionnaire_url("after-first"), {"mood": "6", "action": "submit"})
    result = browser.get(program.questionnaire_url("after-first") + "result/").content.decode()

    assert f'<a class="button primary" href="{program.step_url(WAVES)}">Continue with the program</a>' in result


@pytest.mark.django_db
def test_skipping_a_check_in_goes_on_to_the_next_module(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    _complete(browser, program, WELCOME, WHY, VALUES, PLAN)

    skipped = browser.post(program.questionnaire_url("after-first"), {"action": "skip"})

    assert skipped["Location"] == program.step_url(WAVES)


@pytest.mark.django_db
def test_continue_where_you_left_off_never_points_at_a_finished_step(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    browser.get(program.step_url(WHY))
    assert f'href="{program.step_url(WHY)}">Continue where you left off' in browser.get("/en/me/").content.decode()

    _complete(browser, program, WHY)
    me = browser.get("/en/me/").content.decode()

    assert f'href="{program.step_url(VALUES)}">Continue where you left off' in me
    _complete(browser, program, VALUES, PLAN, WAVES, HELP)
    assert f'href="{program.step_url(WELCOME)}">Continue where you left off' in browser.get("/en/me/").content.decode()


@pytest.mark.django_db
def test_the_module_page_shows_each_steps_state(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    _complete(browser, program, WELCOME)
    browser.get(program.step_url(WHY))

    html = browser.get(f"/en/program/course/{FIRST}/").content.decode()

    assert html.count("· Done") == 1
    assert html.count("· Started") == 1
    assert html.count("· Not started yet") == 2


@pytest.mark.django_db
def test_finishing_the_last_module_leads_to_the_end_of_the_program(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    assert browser.get("/en/me/finished/course/")["Location"] == "/en/me/", "not finished yet"
    _complete(browser, program, WELCOME, WHY, VALUES, PLAN)
    browser.post(program.questionnaire_url("after-first"), {"action": "skip"})
    _complete(browser, program, WAVES)

    last = browser.post(program.answers_url(HELP), {"action": "complete"})
    finished = browser.get(last["Location"]).content.decode()
    me = browser.get("/en/me/").content.decode()

    assert last["Location"] == "/en/me/finished/course/"
    assert "<h1>You have finished the program</h1>" in finished
    assert f'href="{program.questionnaire_url("end")}"' in finished
    assert 'href="/en/me/plan/"' in finished
    assert 'href="/en/help/"' in finished
    assert "You have finished this program." in me
    assert "Continue where you left off" not in me


@pytest.mark.django_db
def test_the_header_tells_the_truth_about_being_signed_in(client: Client, program: Course) -> None:
    codename_page = client.post("/en/start/").content.decode()
    assert SIGN_OUT in codename_page
    assert MY_PROGRESS in codename_page

    signed_out = client.post("/en/sign-out/").content.decode()
    assert SIGN_OUT not in signed_out
    assert MY_PROGRESS not in signed_out

    client.post("/en/start/")
    deleted = client.post("/en/me/delete/").content.decode()
    assert "Everything is deleted" in deleted
    assert SIGN_OUT not in deleted
    assert MY_PROGRESS not in deleted


@pytest.mark.parametrize(("language", "english"), [("fi", True), ("ar", True), ("de", False), ("en", False)])
@pytest.mark.django_db
def test_the_codename_page_says_when_the_words_are_english(
    client: Client, program: Course, language: str, english: bool
) -> None:
    html = client.post(f"/{language}/start/").content.decode()

    with translation.override(language):
        note = translation.gettext("The words are English words, so that they can be typed on any keyboard.")
    assert (note in html) is english
