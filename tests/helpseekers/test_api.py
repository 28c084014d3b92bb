"""The help-seeker JSON API: the same flows, authenticated by a token, never the codename."""

import pytest
from django.test import Client

from helpseekers.models import ExerciseAnswer, HelpSeekerProfile
from modules.models import Program

BASE = "/api/v1/helpseekers/"
WHY = "sample/getting-started/why-change/"


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api_start(client: Client, sample_program: Program) -> dict[str, str]:
    response = client.post(BASE + "start/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 201
    return response.json()


@pytest.mark.django_db
def test_start_returns_the_codename_once_and_a_token(api_start: dict[str, str]) -> None:
    assert len(api_start["codename"].split(" ")) == 7
    assert api_start["codename"] not in api_start["token"]
    assert HelpSeekerProfile.objects.get().language == "de"


@pytest.mark.django_db
def test_full_api_journey(client: Client, api_start: dict[str, str]) -> None:
    auth = _bearer(api_start["token"])

    saved = client.put(
        BASE + f"me/steps/{WHY}answers/",
        {"answers": {"my-reasons": "Through the API.", "importance": 4}},
        content_type="application/json",
        **auth,
    )
    assert saved.status_code == 200
    assert saved.json()["answers"] == {"my-reasons": "Through the API.", "importance": 4}
    completed = client.post(BASE + f"me/steps/{WHY}complete/", **auth)
    assert completed.json() == {"module_completed": False}
    progress = client.get(BASE + "me/progress/", **auth).json()
    assert progress["programs"][0]["modules"][0] == {
        "slug": "getting-started",
        "steps_total": 4,
        "steps_completed": 1,
        "completed": False,
    }

    # sign out, resume with the codename, and the answers are there
    assert client.post(BASE + "sign-out/", **auth).status_code == 204
    assert client.get(BASE + "me/progress/", **auth).status_code == 401
    resumed = client.post(BASE + "resume/", {"codename": api_start["codename"]}, content_type="application/json")
    assert resumed.status_code == 200
    auth = _bearer(resumed.json()["token"])
    state = client.get(BASE + f"me/steps/{WHY}answers/", **auth).json()
    assert state == {"completed": True, "answers": {"my-reasons": "Through the API.", "importance": 4}}
    export = client.get(BASE + "me/export/", **auth).json()
    assert any(a["answer"] == "Through the API." for a in export["answers"])

    # delete everything
    assert client.delete(BASE + "me/", **auth).status_code == 204
    assert not HelpSeekerProfile.objects.exists()
    again = client.post(BASE + "resume/", {"codename": api_start["codename"]}, content_type="application/json")
    assert again.status_code == 400


@pytest.mark.django_db
def test_invalid_answers_get_field_errors_and_nothing_is_saved(client: Client, api_start: dict[str, str]) -> None:
    auth = _bearer(api_start["token"])

    response = client.put(
        BASE + f"me/steps/{WHY}answers/",
        {"answers": {"my-reasons": "fine", "importance": 12, "unknown": "x"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **auth,
    )

    errors = response.json()["answers"]
    assert response.status_code == 400
    assert set(errors) == {"importance", "unknown"}
    assert not ExerciseAnswer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer a.b", "Bearer", "Bearer x y"])
def test_bad_tokens_are_refused(client: Client, sample_program: Program, header: str) -> None:
    response = client.get(BASE + "me/progress/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


@pytest.mark.django_db
def test_no_token_is_refused(client: Client, sample_program: Program) -> None:
    assert client.get(BASE + "me/export/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_web_cookie_does_not_authenticate_the_api(client: Client, sample_program: Program) -> None:
    client.post("/en/start/")

    assert client.get(BASE + "me/progress/").status_code in (401, 403)


@pytest.mark.django_db
def test_resume_with_a_malformed_codename_is_a_400(client: Client, sample_program: Program) -> None:
    response = client.post(BASE + "resume/", {"codename": "x" * 200}, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_unknown_step_is_a_404(client: Client, api_start: dict[str, str]) -> None:
    response = client.get(BASE + "me/steps/sample/getting-started/nope/answers/", **_bearer(api_start["token"]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_schema_documents_the_help_seeker_flows(client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()

    assert {"/api/v1/helpseekers/start/", "/api/v1/helpseekers/resume/", "/api/v1/helpseekers/me/export/"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["helpSeekerToken"]["scheme"] == "bearer"
