"""Questionnaires through the pages: baseline, after modules, end, follow-up, feedback, and
the same language gate as the program's content."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from helpseekers.models import HelpSeekerProfile, ModuleCompletion
from helpseekers.services import step_complete
from modules.models import Step
from questionnaires.charts import history_svg
from questionnaires.models import ItemResponse, QuestionnaireResponse
from tests.conftest import codename_from
from tests.factories import FIRST, Course, course

BASE = "/en/questionnaires/course/"
BASELINE_ANSWERS = {
    "frequency": "weekly",
    "hours": "5",
    "urge-strength": "8",
    "confidence": "2",
    "contact": "no-contact",
    "action": "submit",
}


def _complete_every_step(profile: HelpSeekerProfile) -> None:
    for step in Step.objects.filter(module__program__slug="course"):
        step_complete(profile=profile, step_id=step.pk, module_id=step.module_id, program_id=step.module.program_id)


@pytest.mark.django_db
def test_baseline_modules_end_and_follow_up_with_feedback(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    profile = HelpSeekerProfile.objects.get()

    # baseline: offered on "my progress", answered, feedback with a one-point chart
    assert f'href="{BASE}start/"' in browser.get("/en/me/").content.decode()
    assert browser.get(BASE + "start/").status_code == 200
    submitted = browser.post(BASE + "start/", BASELINE_ANSWERS)
    assert submitted.status_code == 302
    assert submitted["Location"] == BASE + "start/result/"
    result = browser.get(BASE + "start/result/").content.decode()
    assert "Your score: 16.00 (possible scores run from 0.00 to 20.00)" in result
    assert "Urges seem strong." in result
    assert result.count("<circle") == 1
    assert 'id="about-to-act"' not in result

    # after the first module, its check-in is offered at once; skipping it is respected
    for step in Step.objects.filter(module__slug=FIRST).order_by("position"):
        response = browser.post(f"/en/me/answers/course/{FIRST}/{step.slug}/", {"action": "complete"})
    assert response["Location"] == BASE + "after-first/"
    assert browser.post(BASE + "after-first/", {"action": "skip"})["Location"] == "/en/program/course/second/waves/"
    assert f'href="{BASE}after-first/"' not in browser.get("/en/me/").content.decode()

    # the end: offered when every module is complete
    assert browser.get(BASE + "end/").status_code == 409
    _complete_every_step(profile)
    me = browser.get("/en/me/").content.decode()
    assert f'href="{BASE}end/"' in me
    assert f'href="{BASE}follow-up/"' not in me
    browser.post(BASE + "end/", {"urge-strength": "2", "confidence": "9", "action": "submit"})
    end = browser.get(BASE + "end/result/").content.decode()
    assert "Your score: 3.00" in end
    assert "Change since you started: -13.00" in end
    assert end.count("<circle") == 2

    # the follow-up: offered 90 days after the end, when the help-seeker comes back
    first_completion = ModuleCompletion.objects.order_by("completed_on").first()
    assert first_completion is not None
    ModuleCompletion.objects.update(completed_on=first_completion.completed_on - timedelta(days=91))
    assert f'href="{BASE}follow-up/"' in browser.get("/en/me/").content.decode()
    browser.post(BASE + "follow-up/", {"urge-strength": "1", "confidence": "10", "action": "submit"})
    follow_up = browser.get(BASE + "follow-up/result/").content.decode()
    assert follow_up.count("<circle") == 3
    assert len(re.findall(r"<tr><td>", follow_up)) == 3

    # a resubmission gets a clear message and changes nothing
    again = browser.post(BASE + "start/", BASELINE_ANSWERS)
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

    browser.post(BASE + "start/", {"contact": "tried", "action": "submit"})
    result = browser.get(BASE + "start/result/").content.decode()

    assert 'id="about-to-act"' in result
    assert "Finnish line" in result
    assert list(ItemResponse.objects.values_list("item__slug", "option_value", "number")) == [
        ("contact", "tried", None)
    ]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"urge-strength": "11"}, "urge-strength", "Enter a whole number from 0 to 10."),
        ({"hours": "-3"}, "hours", "Enter a whole number from 0 to 80."),
        ({"frequency": "sometimes"}, "frequency", "Choose from the options shown."),
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
    assert f'id="error-{field}"' in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.django_db
def test_a_required_item_left_empty_is_asked_for(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    program.items["urge-strength"].required = True
    program.items["urge-strength"].save(update_fields=["required"])

    response = browser.post(BASE + "start/", {"confidence": "5", "action": "submit"})

    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert 'name="confidence" value="5" checked' in response.content.decode(), "what was typed is kept"


@pytest.mark.django_db
def test_a_questionnaire_not_due_is_not_open(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.post(BASE + "end/", {"urge-strength": "3", "action": "submit"})

    assert response.status_code == 409
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.django_db
def test_questionnaires_need_a_signed_in_reader(client: Client, program: Course) -> None:
    assert client.get(BASE + "start/")["Location"] == "/en/resume/"


@pytest.mark.django_db
def test_an_unknown_occasion_or_program_is_a_404(started: tuple[Client, str]) -> None:
    browser, _codename = started

    assert browser.get(BASE + "nope/").status_code == 404
    assert browser.get("/en/questionnaires/nope/start/").status_code == 404
    assert browser.get(BASE + "start/result/").status_code == 404


@pytest.mark.django_db
def test_questionnaire_pages_use_the_programs_language_gate(client: Client) -> None:
    # given a course translated into Finnish and Swedish, published in Finnish only
    course(languages=("en", "fi", "sv"), published=("en", "fi"))
    started = client.post("/fi/start/")
    assert codename_from(started.content.decode())

    # then Finnish readers get Finnish texts, and Swedish readers all of it in English, with a notice
    finnish = client.get("/fi/questionnaires/course/start/").content.decode()
    swedish = client.get("/sv/questionnaires/course/start/").content.decode()
    assert "FI My situation" in finnish
    assert "FI How strong were your urges?" in finnish
    assert "SV " not in swedish
    assert "My situation" in swedish
    assert "How strong were your urges?" in swedish
    assert 'lang="en" dir="ltr"' in swedish
    with translation.override("sv"):
        notice = translation.gettext("This program is not yet available in %(language)s. It is shown in English.")
    assert notice % {"language": "svenska"} in swedish

    client.post("/sv/questionnaires/course/start/", {"urge-strength": "3", "confidence": "9", "action": "submit"})
    result = client.get("/sv/questionnaires/course/start/result/").content.decode()
    assert "Things look calmer." in result
    assert "SV Things look calmer." not in result


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
