"""Content API: the requested and the served language, errors in the reader's language."""

import pytest
from django.test import Client
from django.utils import translation

from modules.models import Program


@pytest.mark.django_db
def test_program_detail_in_a_complete_language_is_served_in_it(client: Client, sample_program: Program) -> None:
    response = client.get("/api/v1/programs/sample/?lang=fi")

    body = response.json()
    assert response.status_code == 200
    assert (body["requested_language"], body["language"]) == ("fi", "fi")
    assert response["Content-Language"] == "fi"
    assert body["title"] != "Finding another way"
    assert [m["slug"] for m in body["modules"]][:2] == ["getting-started", "understanding-my-use"]


@pytest.mark.django_db
def test_incomplete_language_is_served_in_english_and_says_so(client: Client, sample_program: Program) -> None:
    response = client.get("/api/v1/programs/sample/", HTTP_ACCEPT_LANGUAGE="de")

    body = response.json()
    assert (body["requested_language"], body["language"]) == ("de", "en")
    assert response["Content-Language"] == "en"
    assert body["title"] == "Finding another way"


@pytest.mark.django_db
def test_lang_parameter_wins_over_accept_language(client: Client, sample_program: Program) -> None:
    body = client.get("/api/v1/programs/sample/?lang=es", HTTP_ACCEPT_LANGUAGE="fi").json()

    assert body["requested_language"] == "es"
    assert body["language"] == "es"


@pytest.mark.django_db
def test_step_detail_has_sanitised_blocks_options_and_neighbours(client: Client, sample_program: Program) -> None:
    body = client.get("/api/v1/programs/sample/modules/getting-started/steps/welcome/?lang=en").json()

    assert body["title"] == "Welcome"
    assert body["previous"] is None
    assert body["next"] == {"module": "getting-started", "slug": "why-change", "title": "Why change?"}
    choice = next(b for b in body["blocks"] if b["kind"] == "single_choice")
    assert [o["value"] for o in choice["options"]] == [
        "stop-viewing",
        "worried-about-urges",
        "understand-myself",
        "not-sure",
    ]
    assert body["blocks"][0]["html"].startswith("<p>")


@pytest.mark.django_db
def test_module_detail_lists_steps(client: Client, sample_program: Program) -> None:
    body = client.get("/api/v1/programs/sample/modules/the-harm-is-real/").json()

    assert body["position"] == 3
    assert len(body["steps"]) == 5


@pytest.mark.django_db
def test_program_list_names_the_served_language_per_program(client: Client, sample_program: Program) -> None:
    body = client.get("/api/v1/programs/?lang=sv").json()

    assert body["requested_language"] == "sv"
    assert body["programs"] == [
        {
            "slug": "sample",
            "title": "Finding another way",
            "summary": body["programs"][0]["summary"],
            "is_sample": True,
            "language": "en",
        }
    ]


@pytest.mark.django_db
def test_helplines_filter_by_country(client: Client, sample_program: Program) -> None:
    body = client.get("/api/v1/helplines/?country=de").json()

    assert {h["slug"] for h in body["helplines"]} == {"kein-taeter-werden", "troubled-desire"}


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/programs/sample/?lang=xx", 400, "lang"),
        ("/api/v1/helplines/?country=FIN", 400, "country"),
        ("/api/v1/programs/nope/", 404, "detail"),
        ("/api/v1/programs/sample/modules/nope/", 404, "detail"),
        ("/api/v1/programs/sample/modules/getting-started/steps/nope/", 404, "detail"),
    ],
)
@pytest.mark.django_db
def test_bad_input_gets_a_clear_error_in_the_readers_language(
    client: Client, sample_program: Program, url: str, status: int, field: str
) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")

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
def test_api_docs_page_loads_only_from_this_server(client: Client) -> None:
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
