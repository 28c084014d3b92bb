"""The help-seeker journey in a real browser with JavaScript off, in English and Arabic
(right to left): every page audited with axe-core, weighed, and its requests logged. (The
whole sample program is walked in Finnish by ``test_sample_journey.py``.)

Screenshots of every page land in ``tests/e2e/screenshots/`` (not committed).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import PAGE_WEIGHT_LIMIT, Harness, write_report

PROGRAM = "/{lang}/program/course/{step}/"


def walk(harness: Harness) -> dict[str, object]:
    """Start → codename → baseline → a module with every exercise kind → check-in →
    plan → sign out → resume → export → delete → resume fails."""
    lang, page = harness.language, harness.page
    harness.goto(f"/{lang}/")
    harness.mark("landing")

    harness.click('main form[action$="/start/"] button[type=submit]')
    codename = " ".join(page.locator(".codename span").all_inner_texts())  # type: ignore[attr-defined]
    assert len(codename.split(" ")) == 7
    harness.mark("codename")

    # baseline questionnaire with feedback
    harness.click('a[href$="/questionnaires/course/start/"]')
    harness.mark("baseline")
    page.check('input[name="urge-strength"][value="7"]')  # type: ignore[attr-defined]
    page.check('input[name="confidence"][value="4"]')  # type: ignore[attr-defined]
    page.check('input[name="frequency"][value="weekly"]')  # type: ignore[attr-defined]
    page.fill('input[name="hours"]', "3")  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="submit"]')
    assert page.locator("svg.chart circle").count() == 1  # type: ignore[attr-defined]
    assert page.locator("table.history tbody tr").count() == 1  # type: ignore[attr-defined]
    harness.mark("baseline-result")

    # the first module, with every exercise kind, then its check-in
    harness.goto(PROGRAM.format(lang=lang, step="first/welcome"))
    harness.mark("step-single-choice")
    page.check('input[name="reason"][value="worried"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="complete"]')
    page.fill('textarea[name="reasons"]', "To be someone my family can trust.")  # type: ignore[attr-defined]
    page.check('input[name="importance"][value="9"]')  # type: ignore[attr-defined]
    harness.mark("step-free-text-and-scale")
    harness.click('button[name="action"][value="complete"]')
    page.check('input[name="values"][value="family"]')  # type: ignore[attr-defined]
    page.check('input[name="values"][value="honesty"]')  # type: ignore[attr-defined]
    harness.mark("step-multiple-choice")
    harness.click('button[name="action"][value="complete"]')
    page.fill('textarea[name="first-link"]', "When I feel restless at night I will go for a walk.")  # type: ignore[attr-defined]
    harness.mark("step-plan-item")
    harness.click('button[name="action"][value="complete"]')
    assert "/questionnaires/course/after-first/" in page.url  # type: ignore[attr-defined]
    harness.mark("check-in")
    page.check('input[name="mood"][value="6"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="submit"]')
    harness.mark("check-in-result")

    # the plan page and my progress
    harness.goto(f"/{lang}/me/plan/")
    assert "go for a walk" in page.content()  # type: ignore[attr-defined]
    harness.mark("plan")
    harness.goto(f"/{lang}/me/")
    harness.mark("my-progress")

    # sign out, resume with the codename typed differently, answers intact
    harness.click('header form[action$="/sign-out/"] button')
    harness.mark("signed-out")
    harness.goto(f"/{lang}/resume/")
    harness.mark("resume")
    page.fill('input[name="codename"]', codename.upper().replace(" ", "-"))  # type: ignore[attr-defined]
    harness.click("main form button[type=submit]")
    assert page.url.endswith(f"/{lang}/me/")  # type: ignore[attr-defined]
    harness.goto(PROGRAM.format(lang=lang, step="first/why"))
    assert page.input_value('textarea[name="reasons"]') == "To be someone my family can trust."  # type: ignore[attr-defined]
    assert page.is_checked('input[name="importance"][value="9"]')  # type: ignore[attr-defined]

    # export my data
    harness.goto(f"/{lang}/me/")
    with page.expect_download() as download_info:  # type: ignore[attr-defined]
        page.click('a[href$="/me/export/"]')  # type: ignore[attr-defined]
    exported = json.loads(download_info.value.path().read_text())
    assert any(a["answer"] == "To be someone my family can trust." for a in exported["answers"])

    # delete everything, then the codename no longer works
    harness.goto(f"/{lang}/me/delete/")
    harness.mark("delete")
    harness.click('main form[action$="/me/delete/"] button')
    harness.mark("deleted")
    harness.goto(f"/{lang}/resume/")
    page.fill('input[name="codename"]', codename)  # type: ignore[attr-defined]
    harness.click("main form button[type=submit]")
    assert page.get_attribute('input[name="codename"]', "aria-invalid") == "true"  # type: ignore[attr-defined]
    assert page.locator("#codename-error").count() == 1  # type: ignore[attr-defined]
    harness.mark("resume-refused")

    # reading pages and the help directory
    harness.goto(f"/{lang}/program/course/")
    harness.mark("program")
    harness.goto(f"/{lang}/program/course/second/")
    harness.mark("module")
    harness.goto(f"/{lang}/help/?country=FI")
    harness.mark("helplines")
    return exported


@pytest.mark.parametrize("language", ["en", "ar"])
def test_help_seeker_journey_without_javascript(harness_factory, audit, live_course, language: str) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory(language)

    walk(harness)

    # right to left where it should be
    direction = "rtl" if language == "ar" else "ltr"
    for record in harness.pages:
        assert re.search(rf'<html lang="{language}" dir="{direction}">', record.html), record.name
    # nothing from another origin, ever
    assert harness.foreign_requests() == []
    # every page within the weight limit
    weights = {record.name: record.weight for record in harness.pages}
    assert all(weight <= PAGE_WEIGHT_LIMIT for weight in weights.values()), weights
    # no serious or critical accessibility violation on any page
    violations = {record.name: audit(record) for record in harness.pages}
    write_report(f"report-{language}", {"weights": weights, "violations": violations,
                                        "requests": len(harness.requests)})  # fmt: skip
    assert {name: found for name, found in violations.items() if found} == {}


def test_keyboard_alone_starts_and_answers_with_visible_focus(harness_factory, live_course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("en")
    page = harness.page
    harness.goto("/en/")

    def tab_to(selector: str) -> None:
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.locator(":focus")
            outline = focused.evaluate("e => getComputedStyle(e).outlineStyle")
            assert outline != "none", "focus must be visible"
            if focused.evaluate("(e, s) => e.matches(s)", selector):
                return
        raise AssertionError(f"never reached {selector} with Tab")

    tab_to('main form[action$="/start/"] button')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".codename span").count() == 7
    tab_to('a[href$="/program/course/first/welcome/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to('input[name="reason"]')
    page.keyboard.press("Space")
    assert page.is_checked('input[name="reason"][value="stop"]')
    tab_to('button[name="action"][value="complete"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/en/program/course/first/why/")


def test_form_errors_are_announced_next_to_their_fields(harness_factory, audit, live_course) -> None:  # type: ignore[no-untyped-def]
    harness = harness_factory("fi")
    page = harness.page
    harness.goto("/fi/")
    harness.click('main form[action$="/start/"] button[type=submit]')
    harness.goto("/fi/program/course/first/why/")

    page.fill('textarea[name="reasons"]', "x" * 4005)
    harness.click('button[name="action"][value="save"]')

    assert page.locator('.error-summary[role="alert"]').count() == 1
    field = page.locator('textarea[name="reasons"]')
    assert field.get_attribute("aria-invalid") == "true"
    assert "error-reasons" in (field.get_attribute("aria-describedby") or "")
    error = page.locator("#error-reasons")
    assert error.evaluate("e => e.closest('fieldset').contains(document.querySelector('[name=\\'reasons\\']'))")
    assert "4000" in error.inner_text()
    record = harness.mark("error")
    assert audit(record) == []


def test_the_audit_catches_what_it_should(audit, live_course) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.conftest import PageRecord

    clean = PageRecord(
        "clean", "", '<html lang="en"><head><title>Fine</title></head><body><main><h1>Fine</h1></main></body></html>', 0
    )
    broken = PageRecord("broken", "", '<html lang="en"><body><img src="/x.png"><input name="q"></body></html>', 0)

    # a clean page first: the audit context keeps axe loaded from one page to the next
    assert audit(clean) == []
    found = {violation["id"] for violation in audit(broken)}

    assert "image-alt" in found
    assert "label" in found
    # and the next page is judged on its own
    assert audit(clean) == []
