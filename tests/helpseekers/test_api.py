"""The help-seeker JSON API: the same flows, authenticated by a token, never the codename;
refusals mapped to HTTP in one place; every response as its schema says."""

import pytest
from django.test import Client

from helpseekers.models import ExerciseAnswer, HelpSeekerProfile
from tests.factories import Course

BASE = "/api/v1/helpseekers/"
WHY = "course/first/why/"


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api_start(api: Client, program: Course) -> dict[str, str]:
    response = api.post(BASE + "start/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 201
    return response.json()


@pytest.mark.django_db
def test_start_returns_the_codename_once_and_a_token(api_start: dict[str, str]) -> None:
    assert len(api_start["codename"].split(" ")) == 7
    assert api_start["codename"] not in api_start["token"]
    assert HelpSeekerProfile.objects.get().language == "de"


@pytest.mark.django_db
def test_full_api_journey(api: Client, api_start: dict[str, str]) -> None:
    auth = _bearer(api_start["token"])

    saved = api.put(
        BASE + f"me/steps/{WHY}answers/",
        {"answers": {"reasons": "Through the API.", "importance": 4}},
        content_type="application/json",
        **auth,
    )
    assert saved.status_code == 200
    assert saved.json()["answers"] == {"reasons": "Through the API.", "importance": 4}
    completed = api.post(BASE + f"me/steps/{WHY}complete/", **auth)
    assert completed.json() == {"module_completed": False}
    progress = api.get(BASE + "me/progress/", **auth).json()
    assert progress["programs"][0]["modules"][0] == {
        "slug": "first",
        "steps_total": 4,
        "steps_completed": 1,
        "completed": False,
    }
    assert progress["continue"] is None

    # sign out, resume with the codename, and the answers are there
    assert api.post(BASE + "sign-out/", **auth).status_code == 204
    assert api.get(BASE + "me/progress/", **auth).status_code == 401
    resumed = api.post(BASE + "resume/", {"codename": api_start["codename"]}, content_type="application/json")
    assert resumed.status_code == 200
    auth = _bearer(resumed.json()["token"])
    state = api.get(BASE + f"me/steps/{WHY}answers/", **auth).json()
    assert state == {"completed": True, "answers": {"reasons": "Through the API.", "importance": 4}}
    export = api.get(BASE + "me/export/", **auth).json()
    assert any(a["answer"] == "Through the API." for a in export["answers"])
    assert export["format"] == "redirection-helpseeker-export/3"
    assert export["questionnaires"] == []

    # delete everything
    assert api.delete(BASE + "me/", **auth).status_code == 204
    assert not HelpSeekerProfile.objects.exists()
    again = api.post(BASE + "resume/", {"codename": api_start["codename"]}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["codename"] == [again.json()["detail"]]


@pytest.mark.django_db
def test_invalid_answers_get_field_errors_in_the_readers_language_and_nothing_is_saved(
    api: Client, api_start: dict[str, str]
) -> None:
    auth = _bearer(api_start["token"])

    response = api.put(
        BASE + f"me/steps/{WHY}answers/",
        {"answers": {"reasons": "fine", "importance": 12, "unknown": "x"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **auth,
    )

    body = response.json()
    assert response.status_code == 400
    assert set(body["answers"]) == {"importance", "unknown"}
    assert body["answers"]["importance"] != "Choose a number from 0 to 10."
    assert not ExerciseAnswer.objects.exists()


@pytest.mark.django_db
def test_resume_past_a_full_queue_is_a_503_with_its_message(api: Client, program: Course, settings) -> None:
    settings.RESUME_GLOBAL_BURST = 1
    settings.RESUME_GLOBAL_PER_SECOND = 0.001
    settings.SIGNIN_WAIT_SECONDS = 0
    codename = {"codename": "abacus abacus abacus abacus abacus abacus abacus"}

    first = api.post(BASE + "resume/", codename, content_type="application/json")
    second = api.post(BASE + "resume/", codename, content_type="application/json")

    assert (first.status_code, second.status_code) == (400, 503)
    assert second.json() == {"detail": "Many people are signing in right now. Try again in a moment."}


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer a.b", "Bearer", "Bearer x y"])
def test_bad_tokens_are_refused(api: Client, program: Course, header: str) -> None:
    response = api.get(BASE + "me/progress/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


@pytest.mark.django_db
def test_no_token_is_refused(api: Client, program: Course) -> None:
    assert api.get(BASE + "me/export/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_web_cookie_does_not_authenticate_the_api(api: Client, program: Course) -> None:
    api.post("/en/start/")

    assert api.get(BASE + "me/progress/").status_code in (401, 403)


@pytest.mark.django_db
def test_resume_with_a_malformed_codename_is_a_400(api: Client, program: Course) -> None:
    response = api.post(BASE + "resume/", {"codename": "x" * 200}, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_unknown_step_is_a_404(api: Client, api_start: dict[str, str]) -> None:
    response = api.get(BASE + "me/steps/course/first/nope/answers/", **_bearer(api_start["token"]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_progress_names_where_to_continue(api: Client, api_start: dict[str, str], program: Course) -> None:
    auth = _bearer(api_start["token"])
    profile = HelpSeekerProfile.objects.get()
    profile.last_step = program.steps["values"]
    profile.save(update_fields=["last_step"])

    progress = api.get(BASE + "me/progress/", **auth).json()

    assert progress["continue"] == {"program": "course", "module": "first", "step": "values"}


@pytest.mark.django_db
def test_schema_documents_the_help_seeker_flows(client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()

    assert {"/api/v1/helpseekers/start/", "/api/v1/helpseekers/resume/", "/api/v1/helpseekers/me/export/"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["helpSeekerToken"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_start_with_an_open_session_is_refused_and_changes_nothing(api: Client, program: Course) -> None:
    token = api.post(BASE + "start/").json()["token"]

    refused = api.post(BASE + "start/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "You are signed in. Sign out first to start anew: your current work stays with your codename."
    }
    assert api.get(BASE + "me/progress/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    api.post(BASE + "sign-out/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.post(BASE + "start/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 201


@pytest.mark.django_db
def test_the_diary_through_the_api(api: Client, api_start: dict[str, str]) -> None:
    from helpseekers.models import DiaryEntry, today

    auth = _bearer(api_start["token"])
    day = today().isoformat()

    written = api.post(
        BASE + "me/diary/",
        {"day": day, "urge": "5", "viewed": "yes", "hours": "1.5", "helped": ["people"], "note": "Via the API."},
        content_type="application/json",
        **auth,
    )
    second = api.post(
        BASE + "me/diary/", {"day": day, "urge": "11", "viewed": "no"}, content_type="application/json", **auth
    )
    replaced = api.post(
        BASE + "me/diary/",
        {"day": day, "urge": "3", "viewed": "no", "replace": True},
        content_type="application/json",
        **auth,
    )
    diary = api.get(BASE + "me/diary/", **auth).json()
    export = api.get(BASE + "me/export/", **auth).json()

    assert written.status_code == 201
    assert written.json()["hours"] == 1.5
    assert written.json()["note"] == "Via the API."
    assert second.status_code == 400
    assert {"day", "urge"} <= set(second.json())
    assert second.json()["urge"] == "Choose a number from 0 to 10."
    assert replaced.status_code == 201
    assert [(e["urge"], e["viewed"], e["hours"]) for e in diary["entries"]] == [(3, "no", None)]
    assert (diary["runs"]["current"], len(diary["weeks"])) == (1, 12)
    assert [e["urge"] for e in export["diary"]] == [3]
    assert DiaryEntry.objects.count() == 1
    assert api.get(BASE + "me/diary/").status_code == 401
