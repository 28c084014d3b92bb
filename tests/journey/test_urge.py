"""In-the-moment help: "Urge now" signed in and signed out, its wait and "did it pass?",
the quick exit on every page, and the page on using the program safely."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.models import HelplineKind
from tests.factories import PLAN, WHY, Course, HelplineFactory, texts

REASONS = "I want my sister to trust me again. <b>not bold</b>"
PLAN_TEXT = "Call Tom and go for a walk."


def _sections(html: str) -> list[str]:
    return re.findall(r'<h2 id="([a-z-]+)">', html)


@pytest.mark.django_db
def test_signed_out_the_page_gives_the_programs_guidance_exercise_wait_helplines_and_line(
    client: Client, program: Course
) -> None:
    response = client.get("/en/urge/")

    html = response.content.decode()
    assert response.status_code == 200
    assert _sections(html) == ["right-now", "delay", "call", "line"]
    assert "Step <strong>away</strong> from the device." in html
    assert "<li>Breathe in.</li>" in html
    assert "Then wait 15 minutes before you decide anything." in html
    assert 'href="/en/urge/wait/"' in html
    assert "Never seek contact with a child." in html
    assert 'href="/en/resume/"' in html, "a reader who is not signed in is offered their own words"
    assert "In your own words" not in html


@pytest.mark.django_db
def test_signed_in_the_page_starts_with_the_readers_own_words_in_the_programs_order(
    started: tuple[Client, str], program: Course
) -> None:
    browser, _codename = started
    browser.post(program.answers_url(PLAN), {"first-link": PLAN_TEXT})
    browser.post(program.answers_url(WHY), {"reasons": REASONS})

    html = browser.get("/en/urge/").content.decode()

    assert _sections(html) == ["own-words", "delay", "call", "line"]
    assert html.index("I want my sister") < html.index(PLAN_TEXT), "reasons first, then the plan"
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html, "the reader's words are text, never markup"
    assert "<p>Why do you want to change?</p>" in html, "each answer comes with its prompt"
    assert 'href="/en/me/diary/entry/"' in html


@pytest.mark.django_db
def test_a_retired_exercise_or_an_unanswered_one_drops_out(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WHY), {"reasons": REASONS})
    browser.post(program.answers_url(PLAN), {"first-link": PLAN_TEXT})
    block = program.blocks["reasons"]
    block.retired_on = timezone.now().date()
    block.save()
    program.program.content_version += 1
    program.program.save()

    html = browser.get("/en/urge/").content.decode()

    assert "I want my sister" not in html
    assert PLAN_TEXT in html


@pytest.mark.django_db
def test_signed_in_without_answers_the_page_falls_back_to_the_guidance(started: tuple[Client, str]) -> None:
    browser, _codename = started

    html = browser.get("/en/urge/").content.decode()

    assert _sections(html)[0] == "right-now"
    assert 'href="/en/resume/"' not in html


@pytest.mark.django_db
def test_the_signed_in_page_costs_a_fixed_number_of_queries(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WHY), {"reasons": REASONS})
    browser.post(program.answers_url(PLAN), {"first-link": PLAN_TEXT})
    browser.get("/en/urge/")  # fills the content cache

    with CaptureQueriesContext(connection) as queries:
        browser.get("/en/urge/")

    # session, last step, program lookup, answers, helpline countries, helplines
    assert len(queries) <= 8, [query["sql"] for query in queries]


@pytest.mark.django_db
def test_helplines_are_for_the_chosen_country_and_the_readers_language_crisis_lines_first(
    client: Client, program: Course
) -> None:
    HelplineFactory(slug="crisis-fi", country="FI", kind=HelplineKind.CRISIS, **texts({"name": "Crisis FI"}, ["en"]))

    finland = client.get("/en/urge/?country=fi").content.decode()
    everywhere = client.get("/en/urge/?country=ZZ").content.decode()
    german = client.get("/de/urge/").content.decode()

    call = finland.split('id="call"')[1].split("</ul>")[0]
    assert call.index("Crisis FI") < call.index("Finnish line")
    assert "German line" not in call
    assert '<option value="FI" selected>' in finland
    assert '<option value="FI" selected>' not in everywhere, "an unknown country shows all countries"
    german_call = german.split('id="call"')[1].split("</ul>")[0]
    assert "German line" in german_call
    assert "Line for everyone" not in german_call, "the reader's language first, where a line serves it"


@pytest.mark.django_db
def test_the_wait_asks_again_after_the_set_delay_without_script(client: Client, program: Course, settings) -> None:
    settings.URGE_WAIT_MINUTES = 10

    html = client.get("/en/urge/wait/").content.decode()

    assert '<meta http-equiv="refresh" content="600;url=/en/urge/after/">' in html
    assert 'href="/en/urge/after/"' in html
    assert "<script" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "expected"),
    [("", "Yes, it passed"), ("yes", "Well done."), ("no", "That is all right."), ("maybe", "Yes, it passed")],
)
def test_did_the_urge_pass_is_a_link_and_nothing_is_recorded(
    started: tuple[Client, str], answer: str, expected: str
) -> None:
    browser, _codename = started
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(f"/en/urge/after/?passed={answer}")

    assert response.status_code == 200
    assert expected in response.content.decode()
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


@pytest.mark.django_db
def test_when_it_did_not_pass_the_page_offers_helplines(client: Client, program: Course) -> None:
    html = client.get("/en/urge/after/?passed=no").content.decode()

    assert "Finnish line" in html
    assert 'href="/en/urge/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/urge/", "/en/help/", "/en/program/course/first/why/", "/en/nowhere/"])
def test_quick_exit_is_the_first_link_of_every_page_and_urge_now_is_in_the_header(
    client: Client, program: Course, path: str, settings
) -> None:
    settings.QUICK_EXIT_URL = "https://example.org/weather"

    html = client.get(path).content.decode()

    body = html.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body)
    assert first_link is not None
    expected = '<a href="https://example.org/weather" class="quick-exit" rel="noreferrer">Quick exit</a>'
    assert first_link.group(0) == expected
    header = body.split("</header>")[0]
    assert 'href="/en/urge/">Urge now</a>' in header


@pytest.mark.django_db
def test_the_safety_page_covers_tor_private_windows_shared_devices_and_what_the_browser_keeps(
    client: Client, program: Course
) -> None:
    html = client.get("/en/safety/").content.decode()

    for heading in ("Tor Browser", "A private window", "A shared device", "What your browser keeps"):
        assert f"<h2>{heading}</h2>" in html
    assert "signed out after 60 minutes" in html
    assert 'href="/en/safety/"' in client.get("/en/").content.decode(), "linked from every page's footer"


@pytest.mark.django_db
def test_without_a_program_the_page_still_gives_the_wait_and_what_to_do_about_to_act(client: Client) -> None:
    response = client.get("/en/urge/")

    html = response.content.decode()
    assert response.status_code == 200
    assert _sections(html) == ["delay", "call", "line"]
    assert "Stop. Take your hands off the keyboard or the phone." in html
