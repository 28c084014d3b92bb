"""The evaluator pages in a real browser with JavaScript off, on a phone (390 px) and a desktop:
sign in through the staff sign-in form, the overview's chart and release list, a release's
every section, its CSV, nothing from another origin, no console error, and the axe audit;
other staff are refused. Screenshots land in ``tests/e2e/screenshots/`` (not committed).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission, User

from analytics import services
from questionnaires import synthetic
from tests.e2e.conftest import Harness, write_report
from tests.factories import course

TODAY = date(2026, 12, 2)
PASSWORD = "a long evaluator password"
SECTIONS = ("profiles", "funnel", "modules", "questionnaires", "change", "items", "distributions", "helplines")
CSV_HEADER = (
    "release,measure,period_start,period_end,language,module,step,instrument,item,occasion,"
    "category,count,percent,n,suppressed,method"
)
WIDTHS = {"phone": 390, "desktop": 1280}


def _staff(username: str, *, evaluator: bool) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if evaluator:
        # The migration's group; a flush between transactional tests may have removed it.
        group, _ = Group.objects.get_or_create(name="evaluator")
        group.permissions.add(Permission.objects.get(content_type__app_label="analytics", codename="view_release"))
        user.groups.add(group)
    return user


@pytest.fixture
def released(transactional_db: None) -> None:
    """October and November 2026 released over 300 synthetic help-seekers, committed so that
    the live server's thread reads them: set up once for both window widths."""
    program = course(languages=("en", "fi"))
    synthetic.generate(program=program.program, profiles=300, start=date(2026, 10, 1), end=date(2026, 11, 30),
                       languages=("en", "fi"), seed=7)  # fmt: skip
    services.release(period="2026-10", today=TODAY)
    services.release(period="2026-11", today=TODAY)


def _watch_console(harness: Harness) -> list[str]:
    """Console errors, and every response of 400 or more but the browser's own favicon request
    (the site has no icon: Chromium asks for ``/favicon.ico`` by itself and is told 404)."""
    errors: list[str] = []
    page = harness.page

    def console(message: object) -> None:
        where = message.location.get("url", "")  # type: ignore[attr-defined]
        if message.type == "error" and not where.endswith("/favicon.ico"):  # type: ignore[attr-defined]
            errors.append(f"{message.text} ({where})")  # type: ignore[attr-defined]

    def response(answer: object) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):  # type: ignore[attr-defined]
            errors.append(f"{answer.status} {answer.url}")  # type: ignore[attr-defined]

    page.on("console", console)  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: errors.append(str(error)))  # type: ignore[attr-defined]
    page.on("response", response)  # type: ignore[attr-defined]
    return errors


def _sign_in(harness: Harness, username: str) -> object:
    """A visitor asks for the overview, is sent to the staff sign-in, and signs in there."""
    page = harness.page
    harness.goto("/evaluation/")
    assert page.url == f"{harness.origin}/staff/login/?next=/evaluation/"  # type: ignore[attr-defined]
    harness.mark("sign-in")
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    return harness.click("#login-form [type=submit]")


def _scroll_a_wide_table_by_keyboard(harness: Harness) -> None:
    """On a phone the funnel's table is wider than the screen: its box takes focus, visibly,
    and the arrow keys scroll it."""
    page = harness.page
    wrap = page.locator("section#funnel .table-wrap").first  # type: ignore[attr-defined]
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), "the funnel table fits: nothing to scroll"
    wrap.focus()
    assert wrap.evaluate("e => getComputedStyle(e).outlineStyle") != "none", "focus must be visible"
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    for _ in range(20):  # scrolling may be smooth; no page script runs here to wait with
        if wrap.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
    assert wrap.evaluate("e => e.scrollLeft") > 0, "the arrow key did not scroll the table"


def _walk(harness: Harness) -> None:
    page = harness.page
    response = _sign_in(harness, "eve")
    assert response.status == 200  # type: ignore[attr-defined]
    assert page.url == f"{harness.origin}/evaluation/"  # type: ignore[attr-defined]

    # the overview: the trend chart and the release list
    assert page.locator("h1").inner_text() == "Evaluation figures"  # type: ignore[attr-defined]
    chart = page.locator('#main svg[role="img"]')  # type: ignore[attr-defined]
    assert chart.count() >= 1
    assert chart.first.is_visible()
    assert chart.first.get_attribute("aria-label")
    assert chart.first.bounding_box()["width"] > 200
    releases = page.locator('section[aria-labelledby="releases"] tbody th[scope="row"] a')  # type: ignore[attr-defined]
    assert set(releases.all_inner_texts()) >= {"2026-10", "2026-11"}
    harness.assert_no_overflow()
    harness.mark("overview")

    # the November release: every section, its charts and tables, suppressed as a word
    harness.click('section[aria-labelledby="releases"] a[href="/evaluation/2026-11/"]')
    assert page.url == f"{harness.origin}/evaluation/2026-11/"  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Release 2026-11"  # type: ignore[attr-defined]
    for slug in SECTIONS:
        heading = page.locator(f"section#{slug} > h2#{slug}-title")  # type: ignore[attr-defined]
        assert heading.count() == 1, slug
        assert heading.is_visible(), slug
        assert page.locator(f'nav ul.sections a[href="#{slug}"]').count() == 1, slug  # type: ignore[attr-defined]
    assert page.locator('main svg[role="img"]').count() >= 4  # type: ignore[attr-defined]
    tables = page.locator("main section table")  # type: ignore[attr-defined]
    assert tables.count() >= len(SECTIONS) - 1
    assert page.locator('main section table thead th[scope="col"]').count() >= tables.count()  # type: ignore[attr-defined]
    assert page.locator('main td:text-is("suppressed")').count() >= 1  # type: ignore[attr-defined]
    assert page.locator('main svg text:text-is("suppressed")').count() >= 1  # type: ignore[attr-defined]
    harness.assert_no_overflow()
    harness.mark("release")
    if page.viewport_size["width"] < 600:  # type: ignore[attr-defined]
        _scroll_a_wide_table_by_keyboard(harness)

    # the whole release as CSV, through the link, as a download with the signed-in cookies
    link = page.locator('main > p > a[href="/evaluation/2026-11/figures.csv"]')  # type: ignore[attr-defined]
    assert link.count() == 1
    with page.expect_download() as download_info:  # type: ignore[attr-defined]
        link.click()
    download = download_info.value
    assert download.suggested_filename == "release-2026-11.csv"
    lines = download.path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == CSV_HEADER
    assert len(lines) > 1
    assert all(line.startswith("2026-11,") for line in lines[1:])
    fetched = page.context.request.get(harness.origin + "/evaluation/2026-11/figures.csv")  # type: ignore[attr-defined]
    assert fetched.status == 200
    assert fetched.headers["content-type"].startswith("text/csv")
    assert fetched.text().splitlines()[0] == CSV_HEADER


def test_evaluator_reads_a_release_without_javascript(harness_factory, audit, released) -> None:  # type: ignore[no-untyped-def]
    _staff("eve", evaluator=True)
    report: dict[str, object] = {}
    for name, width in WIDTHS.items():
        harness = harness_factory("en", width=width, prefix=f"evaluation-{name}")
        console = _watch_console(harness)

        _walk(harness)

        assert harness.foreign_requests() == [], name
        assert console == [], name
        audited = [record for record in harness.pages if record.name in ("overview", "release")]
        violations = {record.name: audit(record, width) for record in audited}
        report[name] = {
            "weights": {record.name: record.weight for record in harness.pages},
            "violations": violations,
            "requests": len(harness.requests),
        }
        write_report("report-evaluation", report)
        assert {page: found for page, found in violations.items() if found} == {}, name


def test_other_staff_are_refused(harness_factory, transactional_db) -> None:  # type: ignore[no-untyped-def]
    _staff("ann", evaluator=False)
    harness = harness_factory("en", width=WIDTHS["phone"], prefix="evaluation-refused")

    response = _sign_in(harness, "ann")

    assert response.status == 403  # type: ignore[attr-defined]
    assert harness.page.url == f"{harness.origin}/evaluation/"  # type: ignore[attr-defined]
    assert harness.page.locator("h1").inner_text() == "Not allowed"  # type: ignore[attr-defined]
    harness.mark("refused")
    for path in ("/evaluation/2026-11/", "/evaluation/2026-11/figures.csv"):
        assert harness.page.context.request.get(harness.origin + path).status == 403, path  # type: ignore[attr-defined]
    assert harness.foreign_requests() == []
