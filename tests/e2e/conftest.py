"""Browser-test harness: Debian's Chromium driven by Playwright against the live test server.

Reusable for staff-side flows later: ``browser`` (one Chromium per session), ``harness``
(a JavaScript-free context with a request log, page-weight records and screenshots) and
``audit`` (axe-core, injected with JavaScript enabled in a separate context, only to audit).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_service
from tests.factories import Course, course

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PAGE_WEIGHT_LIMIT = 60 * 1024
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_service("Chromium", shutil.which(CHROMIUM) is not None or Path(CHROMIUM).is_file())
    require_service("axe-core (npm ci --prefix tests/e2e)", AXE.is_file())
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own database
    # calls are still synchronous and safe. Only while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@dataclass
class PageRecord:
    """A page as the help-seeker saw it: where, what, and how heavy."""

    name: str
    url: str
    html: str
    weight: int


@dataclass
class Harness:
    """A help-seeker's browser: JavaScript off, every request logged, every page weighed."""

    context: object
    page: object
    origin: str
    language: str
    prefix: str = ""
    requests: list[str] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    _responses: list[object] = field(default_factory=list)

    def new_navigation(self) -> None:
        """Start weighing afresh: the next page's weight is its own requests only."""
        self._responses.clear()

    def mark(self, name: str, screenshot: bool = True) -> PageRecord:
        """Record the current page: its HTML (for the audit), weight and a screenshot."""
        page = self.page
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        weight = 0
        for response in self._responses:
            try:
                body = response.body()  # type: ignore[attr-defined]
            except Exception:  # redirects have no body
                body = b""
            headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())  # type: ignore[attr-defined]
            weight += len(body) + headers
        self._responses.clear()
        record = PageRecord(name, page.url, page.content(), weight)  # type: ignore[attr-defined]
        self.pages.append(record)
        if screenshot:
            SCREENSHOTS.mkdir(exist_ok=True)
            path = SCREENSHOTS / f"{self.prefix or self.language}-{len(self.pages):02d}-{name}.png"
            page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return record

    def goto(self, path: str) -> object:
        """Open ``path`` on the test server as a new navigation (weighed afresh)."""
        self.new_navigation()
        return self.page.goto(self.origin + path)  # type: ignore[attr-defined]

    def click(self, selector: str) -> object:
        """Click ``selector`` and wait for the page it leads to (weighed afresh)."""
        self.new_navigation()
        with self.page.expect_navigation() as navigation:  # type: ignore[attr-defined]
            self.page.click(selector)  # type: ignore[attr-defined]
        return navigation.value

    def assert_no_overflow(self) -> None:
        """Nothing wider than the window: wide tables scroll inside their own box."""
        widths = self.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
        assert widths[0] <= widths[1], f"{self.page.url}: page {widths[0]} px wide in a {widths[1]} px window"  # type: ignore[attr-defined]

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin) and not url.startswith("data:")]


@pytest.fixture
def harness_factory(browser: object, live_server: object) -> Iterator[object]:
    contexts = []

    def make(language: str, *, width: int | None = None, prefix: str = "") -> Harness:
        """A JavaScript-free browser in ``language``; ``width`` narrows the window (a phone is 390)."""
        sized = {"viewport": {"width": width, "height": 844}} if width else {}
        context = browser.new_context(  # type: ignore[attr-defined]
            java_script_enabled=False, locale=language, accept_downloads=True, **sized
        )
        page = context.new_page()
        # Weigh every page as a first visit would: no cache.
        context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
        origin = str(live_server.url)  # type: ignore[attr-defined]
        harness = Harness(context=context, page=page, origin=origin, language=language, prefix=prefix)
        page.on("request", lambda request: harness.requests.append(request.url))
        page.on("response", lambda response: harness._responses.append(response))
        contexts.append(context)
        return harness

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def audit(browser: object, live_server: object) -> Iterator[object]:
    """Run axe-core on recorded pages, with JavaScript on only in this separate context."""
    context = browser.new_context(java_script_enabled=True, bypass_csp=True)  # type: ignore[attr-defined]
    page = context.new_page()
    # On the test server's origin, so the recorded pages' stylesheet loads.
    page.goto(f"{live_server.url}/static/redirection/site.css")  # type: ignore[attr-defined]

    def run(record: PageRecord, width: int | None = None) -> list[dict[str, object]]:
        # ``width``: audit in a window that narrow (what overflows only on a phone), then restore it.
        default = page.viewport_size  # type: ignore[attr-defined]
        if width:
            page.set_viewport_size({"width": width, "height": 844})  # type: ignore[attr-defined]
        # The recorded markup replaces the document; the window, and axe once loaded, stay.
        page.set_content(record.html, wait_until="load")
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => (await axe.run(document, {
                   runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
               })).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
        )
        page.set_viewport_size(default)  # type: ignore[attr-defined]
        return [v for v in result if v["impact"] in ("serious", "critical")]

    yield run
    context.close()


def write_report(name: str, data: object) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))


def same_origin(url: str, origin: str) -> bool:
    return urlsplit(url)[:2] == urlsplit(origin)[:2]


@pytest.fixture
def live_course(transactional_db: None) -> Course:
    """The test course in English and Finnish, committed so that the live server's thread reads it."""
    return course(languages=("en", "fi"))
