"""The plan page: one heading per step, the prompt and the answer told apart, and what to do in
a hard moment on the page itself, so a printed plan keeps it."""

import pytest
from django.test import Client

from modules.models import BlockKind
from tests.factories import PLAN, BlockFactory, Course


@pytest.mark.django_db
def test_one_heading_per_step_prompts_and_answers_apart_and_help_on_the_printed_page(
    started: tuple[Client, str], program: Course
) -> None:
    # given a step with two plan items, both answered
    BlockFactory(step=program.steps[PLAN], slug="who-to-call", kind=BlockKind.PLAN_ITEM, position=2,
                 body_en="Who will you **call**?")  # fmt: skip
    browser, _codename = started
    browser.post(program.answers_url(PLAN), {"first-link": "Go for a walk.", "who-to-call": "My brother."})

    html = browser.get("/en/me/plan/").content.decode()

    assert html.count('<h2 dir="auto">My first plan</h2>') == 1
    assert html.count('<div class="plan-prompt" dir="auto">') == 2
    assert "<p>Who will you <strong>call</strong>?</p>" in html, "the prompt is rendered, not shown as Markdown"
    assert '<p class="plan-answer" dir="auto">My brother.</p>' in html
    help_box = html.split('<section class="urgent"')[1]
    assert "If you are about to act" in help_box
    assert "Finnish line" in help_box
    assert 'class="urgent no-print"' not in html


@pytest.mark.django_db
def test_an_empty_plan_says_so_and_still_shows_help(started: tuple[Client, str]) -> None:
    browser, _codename = started

    html = browser.get("/en/me/plan/").content.decode()

    assert "Your plan is empty." in html
    assert "If you are about to act" in html
