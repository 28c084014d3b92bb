"""In-the-moment help in a real browser with JavaScript off, on a phone (390 px) and a
desktop: "Urge now" signed out and signed in (weighed: at most 15 KB with its stylesheet),
its wait and "did it pass?", a diary entry and its chart, and the quick exit first in the tab
order. Screenshots land in ``tests/e2e/screenshots/``.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness, write_report
from tests.factories import Course

WIDTHS = {"phone": 390, "desktop": 1280}
URGE_WEIGHT_LIMIT = 15 * 1024
REASONS = "I want to be someone my sister can trust."
PLAN = "Go for a walk and call Tom."
NEUTRAL = "https://neutral.example/"


def _headings(harness: Harness) -> list[str]:
    return harness.page.locator("main h2").all_inner_texts()  # type: ignore[attr-defined]


@pytest.mark.parametrize("screen", WIDTHS)
def test_urge_now_signed_out_and_signed_in_then_the_diary(  # type: ignore[no-untyped-def]
    harness_factory, audit, live_course: Course, screen: str
) -> None:
    harness = harness_factory("en", width=WIDTHS[screen], prefix=f"moments-{screen}")
    page = harness.page

    # signed out: the header link, the program's guidance, the wait and "did it pass?"
    harness.goto("/en/")
    harness.click("header a.urge-now")
    signed_out = harness.mark("urge-signed-out")
    assert _headings(harness) == ["Right now", "Delay and distract", "Talk to someone now", "The line not to cross"]
    assert page.locator("main ol li").first.inner_text() == "Breathe in."  # type: ignore[attr-defined]
    harness.assert_no_overflow()
    harness.click('a[href$="/urge/wait/"]')
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "900;url=/en/urge/after/"  # type: ignore[attr-defined]
    harness.click('main a[href$="/urge/after/"]')
    harness.click('a[href="?passed=no"]')
    assert "Finnish line" in page.locator("main").inner_text()  # type: ignore[attr-defined]

    # signed in, with a reason and a plan item written: the page starts with them
    harness.goto("/en/")
    harness.click('main form[action$="/start/"] button[type=submit]')
    harness.goto(live_course.step_url("why"))
    page.fill('textarea[name="reasons"]', REASONS)  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="save"]')
    harness.goto(live_course.step_url("plan"))
    page.fill('textarea[name="first-link"]', PLAN)  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="save"]')
    harness.click("header a.urge-now")
    signed_in = harness.mark("urge-signed-in")
    assert _headings(harness)[0] == "In your own words"
    assert page.locator(".plan-answer").all_inner_texts() == [REASONS, PLAN]  # type: ignore[attr-defined]
    harness.assert_no_overflow()

    # a diary entry in one form, from the urge page, and its chart and table
    harness.click('main a[href$="/me/diary/entry/"]')
    page.check('input[name="urge"][value="6"]')  # type: ignore[attr-defined]
    page.check('input[name="viewed"][value="no"]')  # type: ignore[attr-defined]
    page.check('input[name="helped"][value="breathing"]')  # type: ignore[attr-defined]
    own = page.locator('input[name="helped"][value^="plan-"]')  # type: ignore[attr-defined]
    assert own.count() == 1
    own.check()
    page.fill('textarea[name="note"]', "Got through the evening.")  # type: ignore[attr-defined]
    form = harness.mark("diary-entry")
    harness.click('main button[type="submit"]')
    assert page.url.endswith("/en/me/diary/")  # type: ignore[attr-defined]
    diary = harness.mark("diary")
    chart = page.locator("svg.chart")  # type: ignore[attr-defined]
    box = chart.bounding_box()
    assert box is not None
    assert 300 <= box["width"] <= WIDTHS[screen]
    assert page.locator("svg.chart rect").count() == 1  # type: ignore[attr-defined]
    assert page.locator("table.history tbody tr").count() == 12  # type: ignore[attr-defined]
    assert PLAN in page.locator("main").inner_text()  # type: ignore[attr-defined]
    harness.assert_no_overflow()

    assert harness.foreign_requests() == []
    if screen == "phone":  # the same markup at both widths: audited where it is narrowest
        for record in (signed_out, signed_in, form, diary):
            assert audit(record, WIDTHS[screen]) == [], record.name
    weights = {record.name: record.weight for record in (signed_out, signed_in, form, diary)}
    write_report(f"moments-{screen}-weights", weights)
    assert weights["urge-signed-out"] <= URGE_WEIGHT_LIMIT, weights
    assert weights["urge-signed-in"] <= URGE_WEIGHT_LIMIT, weights


def test_quick_exit_is_first_in_the_tab_order_and_leaves_without_script(  # type: ignore[no-untyped-def]
    harness_factory, live_course: Course, settings
) -> None:
    settings.QUICK_EXIT_URL = NEUTRAL
    harness = harness_factory("en", prefix="exit")
    page = harness.page
    # the neutral page is answered here: nothing leaves the machine
    page.route(f"{NEUTRAL}**", lambda route: route.fulfill(body="<title>Search</title>", content_type="text/html"))  # type: ignore[attr-defined]

    for path in ("/en/", "/en/urge/", live_course.step_url("why"), "/en/help/"):
        harness.goto(path)
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")  # type: ignore[attr-defined]
        assert focused == ["quick-exit", "Quick exit"], path
        box = page.locator("a.quick-exit").bounding_box()  # type: ignore[attr-defined]
        assert box is not None
        assert box["y"] < 60, "at the very top of the page"

    harness.new_navigation()
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.url == NEUTRAL  # type: ignore[attr-defined]
    assert page.title() == "Search"  # type: ignore[attr-defined]
