"""The journey's fixes in a real browser with JavaScript off: module to module and an end, no
typed word lost (skip, an ended session, cleared cookies), a header that tells the truth, right
to left, and a phone's 390 px screen. Screenshots land in ``tests/e2e/screenshots/``.
"""

from __future__ import annotations

import pytest

from helpseekers.models import HelpSeekerSession
from tests.e2e.conftest import Harness
from tests.factories import Course

WORDS = "Words I do not want to lose."


def _start(harness: Harness) -> str:
    harness.goto(f"/{harness.language}/")
    harness.click('main form[action$="/start/"] button[type=submit]')
    return " ".join(harness.page.locator(".codename span").all_inner_texts())  # type: ignore[attr-defined]


def _complete(harness: Harness, course: Course, step: str) -> None:
    harness.goto(course.step_url(step, harness.language))
    harness.click('button[name="action"][value="complete"]')


def test_module_to_module_and_an_end_with_a_truthful_header(harness_factory, live_course: Course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("en", prefix="flow")
    page = harness.page
    _start(harness)
    assert page.locator('header form[action$="/sign-out/"]').count() == 1, "signed in on the codename page"
    assert page.locator('header a[href$="/me/"]').count() == 1

    for step in ("welcome", "why", "values", "plan"):
        _complete(harness, live_course, step)
    assert page.url.endswith("/questionnaires/course/after-first/")  # type: ignore[attr-defined]
    page.check('input[name="mood"][value="7"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="submit"]')
    harness.mark("check-in-result")
    harness.click("a.button.primary")
    assert page.url.endswith("/program/course/second/waves/")  # type: ignore[attr-defined]

    for step in ("waves", "help"):
        _complete(harness, live_course, step)
    assert page.url.endswith("/me/finished/course/")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "You have finished the program"  # type: ignore[attr-defined]
    harness.mark("finished")

    harness.click('header form[action$="/sign-out/"] button')
    assert page.locator('header form[action$="/sign-out/"]').count() == 0, "signed out: no sign-out button"
    assert page.locator('header a[href$="/me/"]').count() == 0


def test_no_typed_word_is_lost(harness_factory, live_course: Course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("en", prefix="typed")
    page = harness.page
    codename = _start(harness)

    # (a) the only way forward from a step with an exercise is a submit; skipping saves nothing
    harness.goto(live_course.step_url("why"))
    assert page.locator('a[rel="next"]').count() == 0  # type: ignore[attr-defined]
    page.fill('textarea[name="reasons"]', "Not to be kept.")  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="skip"]')
    assert page.url.endswith("/program/course/first/values/")  # type: ignore[attr-defined]
    harness.goto(live_course.step_url("why"))
    assert page.input_value('textarea[name="reasons"]') == ""  # type: ignore[attr-defined]

    # (b) the session ends while typing: the words come back, with the codename field
    page.fill('textarea[name="reasons"]', WORDS)  # type: ignore[attr-defined]
    HelpSeekerSession.objects.all().delete()
    harness.click('button[name="action"][value="save"]')
    assert page.input_value('textarea[name="reasons"]') == WORDS  # type: ignore[attr-defined]
    assert page.locator('.notice[role="alert"]').count() == 1  # type: ignore[attr-defined]
    harness.mark("session-ended")
    page.fill('input[name="codename"]', codename)  # type: ignore[attr-defined]
    harness.click("main form button.primary")
    assert page.url.endswith("/program/course/first/why/")  # type: ignore[attr-defined]
    assert page.input_value('textarea[name="reasons"]') == WORDS  # type: ignore[attr-defined]

    # (c) both cookies gone ("New Identity"): the words are given back to copy
    page.fill('textarea[name="reasons"]', "Typed before the cookies went.")  # type: ignore[attr-defined]
    harness.context.clear_cookies()  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="save"]')
    assert page.locator("textarea[readonly]").input_value() == "Typed before the cookies went."  # type: ignore[attr-defined]
    assert page.locator('a[href$="/program/course/first/why/"]').count() == 1  # type: ignore[attr-defined]
    harness.mark("form-expired")


def test_right_to_left_pages_and_the_plan_in_arabic(harness_factory, live_course: Course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("ar", prefix="rtl")
    page = harness.page
    _start(harness)
    harness.goto(live_course.step_url("plan", "ar"))

    # breadcrumbs run right to left: the program first, on the right
    program = page.locator('.crumbs a[href$="/program/course/"]').bounding_box()  # type: ignore[attr-defined]
    module = page.locator('.crumbs a[href$="/program/course/first/"]').bounding_box()  # type: ignore[attr-defined]
    assert program["x"] > module["x"]
    # English fallback keeps its own direction inside the Arabic page
    assert page.locator("article").get_attribute("dir") == "ltr"  # type: ignore[attr-defined]
    # the help-seeker's own words take their own direction
    page.fill('textarea[name="first-link"]', "سأتصل بأخي وأخرج للمشي.")  # type: ignore[attr-defined]
    direction = page.locator('textarea[name="first-link"]').evaluate("e => getComputedStyle(e).direction")  # type: ignore[attr-defined]
    assert direction == "rtl"
    harness.click('button[name="action"][value="save"]')
    harness.goto("/ar/me/plan/")
    answer = page.locator(".plan-answer")  # type: ignore[attr-defined]
    assert answer.evaluate("e => getComputedStyle(e).direction") == "rtl"
    harness.mark("plan")


def test_chart_and_table_numbers_alike_in_finnish(harness_factory, live_course: Course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("fi", prefix="numbers")
    page = harness.page
    _start(harness)
    harness.goto(live_course.questionnaire_url("start", "fi"))
    page.check('input[name="urge-strength"][value="8"]')  # type: ignore[attr-defined]
    page.check('input[name="confidence"][value="2"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="submit"]')

    chart_numbers = page.locator("svg.chart text").all_text_contents()  # type: ignore[attr-defined]
    table_score = page.locator("table.history tbody td").nth(2).inner_text()  # type: ignore[attr-defined]
    assert table_score == "16,00"
    assert table_score in chart_numbers
    harness.mark("result")


def test_a_phone_at_390_px(harness_factory, live_course: Course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("en", width=390, prefix="phone")
    page = harness.page
    _start(harness)
    harness.goto(live_course.step_url("why"))

    points = page.locator('input[name="importance"]')  # type: ignore[attr-defined]
    boxes = [points.nth(index).bounding_box() for index in range(11)]
    assert len({round(box["y"]) for box in boxes}) == 1, "the 0-10 scale stays one row"
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in boxes), boxes
    assert boxes[-1]["x"] + boxes[-1]["width"] <= 390
    ends = [points.nth(index).get_attribute("aria-describedby") for index in (0, 10)]
    assert page.locator(f"#{ends[0]}").inner_text().startswith("0 =")  # type: ignore[attr-defined]
    assert page.locator(f"#{ends[1]}").inner_text().startswith("10 =")  # type: ignore[attr-defined]
    harness.mark("scale")

    harness.goto(live_course.step_url("welcome"))
    for box in (page.locator('input[name="reason"]').nth(i).bounding_box() for i in range(3)):  # type: ignore[attr-defined]
        assert box["width"] >= 24
        assert box["height"] >= 24

    harness.goto(live_course.questionnaire_url("start"))
    hours = page.locator('input[name="hours"]')  # type: ignore[attr-defined]
    hours.fill("80")
    width = hours.bounding_box()["width"]
    assert hours.evaluate("e => e.scrollWidth <= e.clientWidth"), "the value fits its box"
    assert 40 <= width <= 130, width
    harness.mark("questionnaire")


@pytest.mark.parametrize("language", ["en"])
def test_the_sample_baseline_answers_what_the_score_hides(harness_factory, transactional_db, language: str) -> None:  # type: ignore[no-untyped-def]
    from authoring.services import program_load_path
    from tests.test_sample_program import SAMPLE

    program_load_path(path=SAMPLE)
    harness = harness_factory(language, prefix="sample-feedback")
    page = harness.page
    _start(harness)
    harness.goto(f"/{language}/questionnaires/sample/start/")
    page.check('input[name="viewing-frequency"][value="daily"]')  # type: ignore[attr-defined]
    page.fill('input[name="hours-per-week"]', "30")  # type: ignore[attr-defined]
    page.check('input[name="urge-strength"][value="2"]')  # type: ignore[attr-defined]
    page.check('input[name="confidence"][value="8"]')  # type: ignore[attr-defined]
    page.check('input[name="contact-with-users"][value="often"]')  # type: ignore[attr-defined]
    page.check('input[name="sought-contact-with-child"][value="tried-contact"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="submit"]')

    text = page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert text.index("tried to contact a child online") < text.index("viewed this material often")
    assert text.index("viewed this material often") < text.index("Your score:")
    assert "Right now your urges seem lower" not in text, "the low score's reassurance gives way to the messages"
    assert "A score reads only some of your answers." in text
    assert page.locator('a[href$="/the-line-not-to-cross/the-moment/"]').count() == 1  # type: ignore[attr-defined]
    harness.mark("baseline-result")
