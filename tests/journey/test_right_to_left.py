"""Right to left: content in another direction is isolated (its punctuation stays in place),
the help-seeker's own words run in their own direction, and the chart writes numbers exactly
as its table does, for the reader's locale."""

import re

import pytest
from django.test import Client

from tests.factories import PLAN, WELCOME, WHY, Course, course


@pytest.mark.django_db
def test_english_fallback_links_and_labels_inside_arabic_pages_are_isolated(client: Client) -> None:
    made = course(languages=("en",))
    client.post("/ar/start/")
    client.post(made.answers_url(WELCOME, "ar"), {"action": "complete"})

    me = client.get("/ar/me/").content.decode()
    landing = client.get("/ar/").content.decode()

    assert re.search(r'<a href="/ar/program/course/first/" lang="en" dir="ltr">First module</a>', me)
    assert '<h2 id="program-course" lang="en" dir="ltr">' in me
    assert 'lang="en" dir="ltr">My situation</a> <span class="meta">(<bdi>' in me
    assert 'lang="en" dir="ltr">Finding a way</a>' in landing


@pytest.mark.django_db
def test_the_help_seekers_own_words_run_in_their_own_direction(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WHY), {"reasons": "لأجل عائلتي", "action": "save"})
    browser.post(program.answers_url(PLAN), {"first-link": "سأتصل بأخي", "action": "save"})

    step = browser.get(program.step_url(WHY)).content.decode()
    plan = browser.get("/en/me/plan/").content.decode()

    assert '<textarea id="answer-reasons" name="reasons" dir="auto" rows="5"' in step
    assert "لأجل عائلتي</textarea>" in step
    assert '<p class="plan-answer" dir="auto">سأتصل بأخي</p>' in plan


@pytest.mark.django_db
def test_chart_and_table_write_numbers_alike_for_the_readers_locale(client: Client) -> None:
    made = course(languages=("en", "fi"))
    client.post("/fi/start/")
    client.post(made.questionnaire_url("start", "fi"), {"urge-strength": "8", "confidence": "2", "action": "submit"})

    html = client.get(made.questionnaire_url("start", "fi") + "result/").content.decode()

    chart = html.split("<svg")[1].split("</svg>")[0]
    table = html.split('<table class="history">')[1].split("</table>")[0]
    assert ">16,00</text>" in chart
    assert "<td>16,00</td>" in table
    assert ">20,00</text>" in chart
    assert "16.00" not in chart
