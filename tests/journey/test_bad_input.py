"""No input reaches a 500: each case the audit found, then arbitrary Unicode and numbers
thrown at every form and JSON endpoint. A refusal is a 4xx or a form error in the reader's
language, Python's error text never reaches anyone, and nothing submitted reaches a log."""

import json
import logging

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpseekers.models import ExerciseAnswer
from tests.factories import START, WHY, Course

API = "/api/v1/helpseekers/"
NESTED = "[" * 1100 + "]" * 1100
PYTHON_ERROR_TEXT = ("invalid literal", "Traceback", "codec can't", "recursion", "Exceeds the limit")


@pytest.fixture
def token(api: Client, program: Course) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api.post(API + 'start/').json()['token']}"}


def _answers_url() -> str:
    return API + "me/steps/course/first/why/answers/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["resume/", "me/steps/course/first/why/answers/", "me/questionnaires/course/start/"])
@pytest.mark.parametrize("language", ["en", "fi"])
def test_deeply_nested_json_is_a_400_in_the_readers_language(
    api: Client, token: dict[str, str], path: str, language: str
) -> None:
    method = api.put if path.endswith("answers/") else api.post
    response = method(API + path, NESTED, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **token)

    assert response.status_code == 400
    expected = {
        "en": "The request could not be read: it nests too deeply or holds characters that are not text.",
        "fi": "Pyyntöä ei voitu lukea: se on sisäkkäinen liian syvälle tai sisältää merkkejä, jotka eivät ole tekstiä.",
    }
    assert response.json() == {"detail": expected[language]}


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_free_text_answer_is_a_400_and_the_saved_answer_stays(
    api: Client, token: dict[str, str]
) -> None:
    api.put(_answers_url(), {"answers": {"reasons": "Kept words."}}, content_type="application/json", **token)

    response = api.put(
        _answers_url(), '{"answers": {"reasons": "a\\ud800b"}}', content_type="application/json", **token
    )

    assert response.status_code == 400
    assert ExerciseAnswer.objects.count() == 1
    saved = api.get(_answers_url(), **token).json()["answers"]
    assert saved["reasons"] == "Kept words."


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "7" * 5000, "-1", "1e1", " 11 "])
def test_a_scale_value_that_is_not_a_plain_number_is_a_form_error(
    started: tuple[Client, str], program: Course, value: str
) -> None:
    browser, _codename = started

    response = browser.post(program.answers_url(WHY), {"importance": value, "reasons": "Typed.", "action": "save"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in html
    assert ">Typed.</textarea>" in html, "what was typed comes back"
    assert not any(text in html for text in PYTHON_ERROR_TEXT)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_scale_value_through_the_api_gets_the_message_not_pythons(
    api: Client, token: dict[str, str], value: str
) -> None:
    response = api.put(_answers_url(), {"answers": {"importance": value}}, content_type="application/json", **token)

    assert response.status_code == 400
    assert response.json()["answers"] == {"importance": "Choose a number from 0 to 10."}


@pytest.mark.django_db
def test_a_questionnaire_number_that_is_not_plain_is_a_form_error(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started

    response = browser.post(
        program.questionnaire_url(START), {"urge-strength": "3", "confidence": "4", "hours": "²", "action": "submit"}
    )

    assert response.status_code == 400
    assert "Enter a whole number from 0 to 80." in response.content.decode()


@pytest.mark.django_db
def test_nothing_submitted_reaches_the_log(
    started: tuple[Client, str], program: Course, api: Client, token: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    browser, _codename = started
    caplog.set_level(logging.DEBUG)
    marker = "7" * 40 + "²"

    browser.post(program.answers_url(WHY), {"importance": marker, "action": "save"})
    api.put(_answers_url(), {"answers": {"importance": marker}}, content_type="application/json", **token)
    api.put(_answers_url(), NESTED, content_type="application/json", **token)

    assert caplog.records, "the refusals were logged, so this proves something"
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "7" * 40 not in logged
    assert "²" not in logged


# --- Arbitrary input at every endpoint --------------------------------------------------

TEXT = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[0-9\u00b2\u00b3\u00b9\u0660-\u0669]{1,12}", fullmatch=True),  # ASCII, superscript, Arabic-Indic
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just("9" * 5000),
)
# JSON can carry what a form cannot: lone surrogates, nesting, numbers of any size, nulls.
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False),
        TEXT,
        st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
ENDPOINTS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _no_500(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.content[:500]
    assert not any(text in response.content.decode(errors="replace") for text in PYTHON_ERROR_TEXT)


@pytest.mark.django_db
@ENDPOINTS
@given(fields=st.dictionaries(st.sampled_from(["reasons", "importance", "unknown", "action", "codename"]), TEXT))
def test_every_form_refuses_arbitrary_input_without_a_500(started: tuple[Client, str], program: Course, fields) -> None:  # type: ignore[no-untyped-def]
    browser, _codename = started
    for url in (
        program.answers_url(WHY),
        program.questionnaire_url(START),
        "/en/resume/",
        "/fi/resume/",
        "/en/start/",
    ):
        _no_500(browser.post(url, fields))
    _no_500(Client().post(program.answers_url(WHY), fields))  # signed out: the step comes back


# Real transactions: start and resume run outside any transaction, as in production, and a
# refusal there must not be taken for one inside the test's own transaction.
@pytest.mark.django_db(transaction=True)
@ENDPOINTS
@given(body=st.one_of(JSON_VALUE, st.dictionaries(st.sampled_from(["answers", "codename", "skip"]), JSON_VALUE)))
def test_every_json_endpoint_refuses_arbitrary_input_without_a_500(api: Client, token: dict[str, str], body) -> None:  # type: ignore[no-untyped-def]
    payload = json.dumps(body)  # lone surrogates travel as \\ud800 escapes, as a script would send them
    for method, path in (
        (api.put, "me/steps/course/first/why/answers/"),
        (api.put, "me/steps/course/first/why/answers/"),
        (api.post, "me/steps/course/first/why/complete/"),
        (api.post, "me/questionnaires/course/start/"),
        (api.post, "resume/"),
    ):
        _no_500(method(API + path, payload, content_type="application/json", **token))
    wrapped = json.dumps({"answers": body if isinstance(body, dict) else {"reasons": body, "importance": body}})
    _no_500(api.put(API + "me/steps/course/first/why/answers/", wrapped, content_type="application/json", **token))
    _no_500(api.post(API + "me/questionnaires/course/start/", wrapped, content_type="application/json", **token))
