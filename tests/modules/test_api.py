"""Content API: the requested and the served language, errors in the reader's language, and
every response matching the published OpenAPI schema (the ``api`` client checks it)."""

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import Course, course


@pytest.fixture
def translated(db: None) -> Course:
    """The course in English and Finnish (published), with Swedish texts not yet published."""
    return course(languages=("en", "fi", "sv"), published=("en", "fi"))


@pytest.mark.django_db
def test_program_detail_in_a_published_language_is_served_in_it(api: Client, translated: Course) -> None:
    response = api.get("/api/v1/programs/course/?lang=fi")

    body = response.json()
    assert response.status_code == 200
    assert (body["requested_language"], body["language"]) == ("fi", "fi")
    assert response["Content-Language"] == "fi"
    assert body["title"] == "FI Finding a way"
    assert [m["slug"] for m in body["modules"]] == ["first", "second"]
    assert body["modules"][0]["steps"][1] == {"module": "first", "slug": "why", "title": "FI Why change?"}


@pytest.mark.django_db
def test_unpublished_language_is_served_in_english_and_says_so(api: Client, translated: Course) -> None:
    response = api.get("/api/v1/programs/course/", HTTP_ACCEPT_LANGUAGE="sv")

    body = response.json()
    assert (body["requested_language"], body["language"]) == ("sv", "en")
    assert response["Content-Language"] == "en"
    assert body["title"] == "Finding a way"


@pytest.mark.django_db
def test_lang_parameter_wins_over_accept_language(api: Client, translated: Course) -> None:
    body = api.get("/api/v1/programs/course/?lang=fi", HTTP_ACCEPT_LANGUAGE="de").json()

    assert body["requested_language"] == "fi"
    assert body["language"] == "fi"


@pytest.mark.django_db
def test_step_detail_has_sanitised_blocks_options_and_neighbours(api: Client, program: Course) -> None:
    body = api.get("/api/v1/programs/course/modules/first/steps/welcome/?lang=en").json()

    assert body["title"] == "Welcome"
    assert (body["position"], body["step_count"]) == (1, 4)
    assert body["previous"] is None
    assert body["next"] == {"module": "first", "slug": "why", "title": "Why change?"}
    choice = next(b for b in body["blocks"] if b["kind"] == "single_choice")
    assert choice["options"] == [
        {"value": "stop", "label": "I want to stop"},
        {"value": "worried", "label": "I am worried"},
        {"value": "unsure", "label": "I am not sure"},
    ]
    assert body["blocks"][0]["html"] == "<p>You are <strong>welcome</strong> here.</p>\n"


@pytest.mark.django_db
def test_module_detail_lists_steps(api: Client, program: Course) -> None:
    body = api.get("/api/v1/programs/course/modules/second/").json()

    assert body["position"] == 2
    assert [step["slug"] for step in body["steps"]] == ["waves", "help"]
    assert body["minutes"] == 10


@pytest.mark.django_db
def test_program_list_names_the_served_language_per_program(api: Client, translated: Course) -> None:
    body = api.get("/api/v1/programs/?lang=sv").json()

    assert body == {
        "requested_language": "sv",
        "programs": [
            {
                "slug": "course",
                "title": "Finding a way",
                "summary": "A short course for tests.",
                "is_sample": False,
                "language": "en",
            }
        ],
    }


@pytest.mark.django_db
def test_helplines_filter_by_country(api: Client, program: Course) -> None:
    body = api.get("/api/v1/helplines/?country=de").json()

    assert {h["slug"] for h in body["helplines"]} == {"german-line", "everywhere"}


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/programs/course/?lang=xx", 400, "lang"),
        ("/api/v1/helplines/?country=FIN", 400, "country"),
        ("/api/v1/programs/nope/", 404, "detail"),
        ("/api/v1/programs/course/modules/nope/", 404, "detail"),
        ("/api/v1/programs/course/modules/first/steps/nope/", 404, "detail"),
    ],
)
@pytest.mark.django_db
def test_bad_input_gets_a_clear_error_in_the_readers_language(
    api: Client, program: Course, url: str, status: int, field: str
) -> None:
    response = api.get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == status
    message = response.json()[field]
    text = message[0] if isinstance(message, list) else message
    with translation.override("en"):
        english = {
            "lang": "This language is not offered.",
            "country": "Use a two-letter country code.",
            "detail": "Not found.",
        }[field]
    assert text
    assert text != english


@pytest.mark.django_db
def test_openapi_schema_documents_the_content_endpoints(client: Client) -> None:
    response = client.get("/api/schema/?format=json")

    paths = response.json()["paths"]
    for path in (
        "/api/v1/programs/",
        "/api/v1/programs/{program_slug}/",
        "/api/v1/programs/{program_slug}/modules/{module_slug}/steps/{step_slug}/",
        "/api/v1/helplines/",
    ):
        assert path in paths


@pytest.mark.django_db
def test_the_schema_check_catches_a_response_that_drifts(api: Client, program: Course, monkeypatch) -> None:
    from jsonschema import ValidationError

    from modules import api as content_api

    monkeypatch.setattr(
        content_api.HelplineSerializer, "to_representation", lambda self, obj: {"slug": obj.slug, "extra": 1}
    )

    with pytest.raises(ValidationError):
        api.get("/api/v1/helplines/")


@pytest.mark.django_db
def test_api_docs_page_loads_only_from_this_server(client: Client) -> None:
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
