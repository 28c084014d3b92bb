"""Questionnaires through the API: due, submit, result."""

import pytest
from django.test import Client

from modules.models import Program

BASE = "/api/v1/helpseekers/"


@pytest.fixture
def token(client: Client, sample_program: Program) -> dict[str, str]:
    body = client.post(BASE + "start/").json()
    return {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}


@pytest.mark.django_db
def test_due_submit_and_result(client: Client, token: dict[str, str]) -> None:
    due = client.get(BASE + "me/questionnaires/", **token).json()["due"]
    assert due == [{"program": "sample", "occasion": "start", "questionnaire": "my-situation", "kind": "baseline"}]

    submitted = client.post(
        BASE + "me/questionnaires/sample/start/",
        {"answers": {"urge-strength": "4", "confidence": "7"}},
        content_type="application/json",
        **token,
    )
    assert submitted.status_code == 201
    body = submitted.json()
    assert body["score"] == 7.0
    assert body["possible_range"] == [0.0, 20.0]
    assert body["feedback"].startswith("Your urges and your confidence are somewhere in the middle.")
    assert body["show_help_now"] is False

    assert client.get(BASE + "me/questionnaires/", **token).json()["due"] == []
    result = client.get(BASE + "me/questionnaires/sample/start/result/", **token).json()
    assert [point["score"] for point in result["history"]] == [7.0]


@pytest.mark.django_db
def test_errors_and_conflicts(client: Client, token: dict[str, str]) -> None:
    bad = client.post(
        BASE + "me/questionnaires/sample/start/",
        {"answers": {"urge-strength": "12", "made-up": "1"}},
        content_type="application/json",
        **token,
    )
    assert bad.status_code == 400
    assert set(bad.json()["answers"]) == {"urge-strength", "made-up"}

    assert (
        client.post(
            BASE + "me/questionnaires/sample/start/", {"skip": True}, content_type="application/json", **token
        ).status_code
        == 204
    )
    again = client.post(
        BASE + "me/questionnaires/sample/start/",
        {"answers": {"urge-strength": "2"}},
        content_type="application/json",
        **token,
    )
    assert again.status_code == 409
    assert client.get(BASE + "me/questionnaires/sample/nope/result/", **token).status_code == 404
