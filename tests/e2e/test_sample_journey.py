"""The shipped sample program from its first step to its end in a real browser with
JavaScript off: a reader who is in contact with other users and wants to leave is led
through every module in order (check-ins skipped), the contact module's steps included, and
the crisis lines stand where the content touches shame. Nothing is loaded from another
origin and no page carries a script. Bounded: at most 120 pages."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Harness

MAX_PAGES = 120
STEP = re.compile(r"/program/sample/([a-z0-9-]+)/([a-z0-9-]+)/$")


def test_the_whole_sample_without_javascript(harness_factory, transactional_db) -> None:  # type: ignore[no-untyped-def]
    from authoring.services import program_load_path
    from tests.test_sample_program import MODULES, SAMPLE

    language = "fi"  # a translation, end to end (English and Arabic walk the test course: test_journeys.py)
    program_load_path(path=SAMPLE)
    harness: Harness = harness_factory(language, prefix=f"sample-{language}")
    page = harness.page
    harness.goto(f"/{language}/")
    harness.click('main form[action$="/start/"] button[type=submit]')
    harness.goto(f"/{language}/program/sample/getting-started/welcome/")
    page.check('input[name="viewed-before"][value="yes-still"]')  # type: ignore[attr-defined]
    page.check('input[name="contact-with-users"][value="want-to-leave"]')  # type: ignore[attr-defined]
    harness.click('button[name="action"][value="complete"]')

    visited: list[tuple[str, str]] = [("getting-started", "welcome")]
    crisis_on: list[str] = []
    for _page in range(MAX_PAGES):
        url = page.url  # type: ignore[attr-defined]
        if url.endswith("/me/finished/sample/"):
            break
        assert "<script" not in page.content(), url  # type: ignore[attr-defined]
        if "/questionnaires/" in url:
            harness.click('button[name="action"][value="skip"]')
            continue
        match = STEP.search(url)
        assert match, f"neither a step, a questionnaire nor the end: {url}"
        visited.append((match.group(1), match.group(2)))
        if page.locator("section.block.crisis li").count():  # type: ignore[attr-defined]
            crisis_on.append(f"{match.group(1)}/{match.group(2)}")
        harness.click('button[name="action"][value="complete"]')
    else:
        pytest.fail(f"the journey did not end within {MAX_PAGES} pages")

    modules_in_order = list(dict.fromkeys(module for module, _step in visited))
    assert modules_in_order == MODULES
    assert ("contact-with-other-users", "leaving") in visited
    assert ("contact-with-other-users", "old-contacts") in visited
    assert ("urges-and-risky-situations", "escalation") in visited, "shown to a reader who viewed"
    assert {"feelings-that-drive-use/shame-and-guilt", "sexual-interest/my-own-history"} <= set(crisis_on)
    assert len(visited) == 43
    assert harness.foreign_requests() == []
    harness.mark("finished")
