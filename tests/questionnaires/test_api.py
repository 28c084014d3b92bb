"""Questionnaires through the API: due, submit, result; refusals; the language gate."""

import pytest
from django.test import Client

from tests.factories import Course, course

BASE = "/api/v1/helpseekers/"


@pytest.fixture
def token(api: Client, program: Course) -> dict[str, str]:
    body = api.post(BASE + "start/").json()
    return {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}


@pytest.mark.django_db
def test_due_submit_and_result(api: Client, token: dict[str, str]) -> None:
    due = api.get(BASE + "me/questionnaires/", **token).json()["due"]
    assert due == [{"program": "course", "occasion": "start", "questionnaire": "situation", "kind": "baseline"}]

    submitted = api.post(
        BASE + "me/questionnaires/course/start/",
        {"answers": {"urge-strength": "4", "confidence": "7"}},
        content_type="application/json",
        **token,
    )
    assert submitted.status_code == 201
    body = submitted.json()
    assert body["score"] == 7.0
    assert body["possible_range"] == [0.0, 20.0]
    assert body["feedback"] == "Things look calmer."
    assert body["show_help_now"] is False
    assert body["language"] == "en"

    assert api.get(BASE + "me/questionnaires/", **token).json()["due"] == []
    result = api.get(BASE + "me/questionnaires/course/start/result/", **token).json()
    assert [point["score"] for point in result["history"]] == [7.0]


@pytest.mark.django_db
def test_errors_and_conflicts(api: Client, token: dict[str, str]) -> None:
    bad = api.post(
        BASE + "me/questionnaires/course/start/",
        {"answers": {"urge-strength": "12", "made-up": "1"}},
        content_type="application/json",
        **token,
    )
    assert bad.status_code == 400
    assert set(bad.json()["answers"]) == {"urge-strength", "made-up"}

    skipped = api.post(
        BASE + "me/questionnaires/course/start/", {"skip": True}, content_type="application/json", **token
    )
    assert skipped.status_code == 204
    again = api.post(
        BASE + "me/questionnaires/course/start/",
        {"answers": {"urge-strength": "2"}},
        content_type="application/json",
        **token,
    )
    assert again.status_code == 409
    assert "already answered or skipped" in again.json()["detail"]
    assert api.get(BASE + "me/questionnaires/course/nope/result/", **token).status_code == 404
    assert api.get(BASE + "me/questionnaires/course/start/result/", **token).status_code == 404


@pytest.mark.django_db
def test_feedback_follows_the_programs_published_languages(api: Client) -> None:
    course(languages=("en", "fi", "sv"), published=("en", "fi"))
    token = {"HTTP_AUTHORIZATION": f"Bearer {api.post(BASE + 'start/').json()['token']}"}
    answers = {"answers": {"urge-strength": "9", "confidence": "1"}}

    finnish = api.post(
        BASE + "me/questionnaires/course/start/",
        answers,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **token,
    ).json()
    swedish = api.get(BASE + "me/questionnaires/course/start/result/", HTTP_ACCEPT_LANGUAGE="sv", **token).json()

    assert (finnish["language"], finnish["feedback"]) == ("fi", "FI Urges seem strong.")
    assert (swedish["language"], swedish["feedback"]) == ("en", "Urges seem strong.")


@pytest.mark.django_db
def test_a_message_on_the_answers_takes_the_place_of_the_bands_text(
    api: Client, token: dict[str, str], program: Course
) -> None:
    from questionnaires.models import FeedbackRule

    FeedbackRule.objects.create(
        instrument=program.items["frequency"].instrument,
        slug="views-often",
        item=program.items["frequency"],
        text_en="You view often.",
        any_of=["daily"],
    )
    body = api.post(
        BASE + "me/questionnaires/course/start/",
        {"answers": {"urge-strength": "1", "confidence": "9", "frequency": "daily"}},
        content_type="application/json",
        **token,
    ).json()

    assert body["score"] == 2.0
    assert body["feedback"] == ""
    assert body["messages"] == [{"kind": "concern", "text": "You view often.", "step": None}]
