"""Questionnaires through the pages: baseline, after modules, end, follow-up, feedback."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from helpseekers.models import HelpSeekerProfile, ModuleCompletion
from helpseekers.services import step_complete
from modules.models import Program, Step
from questionnaires.charts import history_svg
from questionnaires.models import Item, ItemResponse, QuestionnaireResponse

BASE = "/en/questionnaires/sample/"


def _complete_every_step(profile: HelpSeekerProfile) -> None:
    for step in Step.objects.filter(module__program__slug="sample"):
        step_complete(profile=profile, step_id=step.pk, module_id=step.module_id)


@pytest.mark.django_db
def test_baseline_modules_end_and_follow_up_with_feedback(started: tuple[Client, str]) -> None:
    browser, _codename = started
    profile = HelpSeekerProfile.objects.get()

    # baseline: offered on "my progress", answered, feedback with a one-point chart
    assert 'href="/en/questionnaires/sample/start/"' in browser.get("/en/me/").content.decode()
    assert browser.get(BASE + "start/").status_code == 200
    answers = {
        "viewing-frequency": "weekly",
        "hours-per-week": "5",
        "urge-strength": "8",
        "confidence": "2",
        "contact-with-users": "sometimes",
        "sought-contact-with-child": "no-contact",
        "action": "submit",
    }
    submitted = browser.post(BASE + "start/", answers)
    assert submitted.status_code == 302
    assert submitted["Location"] == BASE + "start/result/"
    result = browser.get(BASE + "start/result/").content.decode()
    assert "Your score: 16.00 (possible scores run from 0.00 to 20.00)" in result
    assert "Right now your urges seem strong, or your confidence low." in result
    assert result.count("<circle") == 1
    assert 'id="about-to-act"' not in result

    # after the first module, its check-in is offered at once; skipping it is respected
    steps = list(Step.objects.filter(module__slug="getting-started").order_by("position"))
    for step in steps:
        response = browser.post(f"/en/me/answers/sample/getting-started/{step.slug}/", {"action": "complete"})
    assert response["Location"] == BASE + "after-getting-started/"
    assert browser.post(BASE + "after-getting-started/", {"action": "skip"})["Location"] == "/en/me/"
    assert 'href="/en/questionnaires/sample/after-getting-started/"' not in browser.get("/en/me/").content.decode()

    # the end: offered when every module is complete
    assert browser.get(BASE + "end/").status_code == 409
    _complete_every_step(profile)
    me = browser.get("/en/me/").content.decode()
    assert 'href="/en/questionnaires/sample/end/"' in me
    assert 'href="/en/questionnaires/sample/follow-up/"' not in me
    browser.post(BASE + "end/", {"urge-strength": "2", "confidence": "9", "action": "submit"})
    end = browser.get(BASE + "end/result/").content.decode()
    assert "Your score: 3.00" in end
    assert "Change since you started: -13.00" in end
    assert end.count("<circle") == 2

    # the follow-up: offered 90 days after the end, when the help-seeker comes back
    ModuleCompletion.objects.update(completed_on=ModuleCompletion.objects.first().completed_on - timedelta(days=91))  # type: ignore[union-attr]
    assert 'href="/en/questionnaires/sample/follow-up/"' in browser.get("/en/me/").content.decode()
    browser.post(BASE + "follow-up/", {"urge-strength": "1", "confidence": "10", "action": "submit"})
    follow_up = browser.get(BASE + "follow-up/result/").content.decode()
    assert follow_up.count("<circle") == 3
    assert len(re.findall(r"<tr><td>", follow_up)) == 3

    # a resubmission gets a clear message and changes nothing
    again = browser.post(BASE + "start/", answers)
    assert again.status_code == 409
    assert "already answered or skipped" in again.content.decode()
    assert QuestionnaireResponse.objects.filter(profile=profile, skipped=False).count() == 3

    # deleting everything removes every response
    browser.post("/en/me/delete/")
    assert not QuestionnaireResponse.objects.exists()
    assert not ItemResponse.objects.exists()


@pytest.mark.django_db
def test_a_safety_answer_shows_help_at_once_and_stores_nothing_extra(started: tuple[Client, str]) -> None:
    browser, _codename = started

    browser.post(BASE + "start/", {"sought-contact-with-child": "tried-contact", "action": "submit"})
    result = browser.get(BASE + "start/result/").content.decode()

    assert 'id="about-to-act"' in result
    assert "Stop It Now" in result
    assert list(ItemResponse.objects.values_list("item__slug", "option_value", "number")) == [
        ("sought-contact-with-child", "tried-contact", None)
    ]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"urge-strength": "11"}, "urge-strength", "Enter a whole number from 0 to 10."),
        ({"hours-per-week": "-3"}, "hours-per-week", "Enter a whole number from 0 to 80."),
        ({"viewing-frequency": "sometimes"}, "viewing-frequency", "Choose from the options shown."),
    ],
)
@pytest.mark.django_db
def test_bad_answers_get_clear_errors_and_nothing_is_stored(
    started: tuple[Client, str], answers: dict[str, str], field: str, message: str
) -> None:
    browser, _codename = started

    response = browser.post(BASE + "start/", {**answers, "confidence": "5", "action": "submit"})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.django_db
def test_a_required_item_left_empty_is_asked_for(started: tuple[Client, str]) -> None:
    browser, _codename = started
    Item.objects.filter(instrument__slug="my-situation", slug="urge-strength").update(required=True)

    response = browser.post(BASE + "start/", {"confidence": "5", "action": "submit"})

    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert 'name="confidence" value="5" checked' in response.content.decode(), "what was typed is kept"


@pytest.mark.django_db
def test_a_questionnaire_not_due_is_not_open(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.post(BASE + "after-the-harm-is-real/", {"urge-strength": "3", "action": "submit"})

    assert response.status_code == 409
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.django_db
def test_questionnaires_need_a_signed_in_reader(client: Client, sample_program: Program) -> None:
    assert client.get(BASE + "start/")["Location"] == "/en/resume/"


@pytest.mark.parametrize("count", [1, 2, 7])
def test_chart_renders_for_one_two_and_many_occasions(count: int) -> None:
    from decimal import Decimal

    scores = [Decimal(n * 2) for n in range(count)]
    svg = history_svg(scores, [f"2026-0{n + 1}-01" for n in range(count)], Decimal(0), Decimal(20))

    assert svg.startswith("<svg")
    assert svg.count("<circle") == count
    assert ("<polyline" in svg) == (count > 1)
    assert 'aria-hidden="true"' in svg
    assert "<script" not in svg


@pytest.mark.django_db
def test_statistics_see_structured_values_only(started: tuple[Client, str]) -> None:
    from questionnaires.models import Occasion
    from questionnaires.selectors import responses_for_statistics

    browser, _codename = started
    browser.post(BASE + "start/", {"urge-strength": "6", "viewing-frequency": "weekly", "action": "submit"})

    rows = list(responses_for_statistics(occasion_id=Occasion.objects.get(slug="start").pk))

    assert sorted(rows, key=lambda row: row["item__slug"]) == [
        {"item__slug": "urge-strength", "option_value": None, "number": 6},
        {"item__slug": "viewing-frequency", "option_value": "weekly", "number": None},
    ]
