"""A database that cannot be reached gets a 503 in the reader's language, never a 500.

The real outage (PostgreSQL restarted under traffic, served by gunicorn) is in
``tests/faults/test_faults.py``; these tests pin the responses themselves.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import Client

from redirection.unavailable import RETRY_AFTER_SECONDS, database_unavailable
from tests.redirection.test_headers import assert_privacy_headers

pytestmark = pytest.mark.django_db

RESTARTING = OperationalError("the database system is starting up")


def _client_with_cookie() -> Client:
    from django.conf import settings

    client = Client(raise_request_exception=False)
    client.cookies[settings.HELPSEEKER_COOKIE_NAME] = "a-session-token-that-needs-the-database"
    return client


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/fi/", "Palvelu ei ole hetkeen käytettävissä"),
        ("/es/me/", "El servicio no está disponible por un momento"),
        ("/ar/", "الخدمة غير متاحة للحظات"),
        ("/en/urge/", "Briefly unavailable"),
    ],
)
def test_a_page_during_a_database_outage_is_a_503_in_the_readers_language(path: str, words: str) -> None:
    with mock.patch("helpseekers.middleware.session_resolve", side_effect=RESTARTING):
        response = _client_with_cookie().get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert words in body
    assert f'lang="{path.split("/")[1]}"' in body
    assert 'class="quick-exit"' in body
    assert "OperationalError" not in body
    assert "starting up" not in body
    assert "<script" not in body
    assert_privacy_headers(response)


def test_an_api_call_during_a_database_outage_is_a_json_503() -> None:
    with mock.patch("helpseekers.middleware.session_resolve", side_effect=InterfaceError("connection already closed")):
        response = _client_with_cookie().post(
            "/api/v1/helpseekers/me/diary/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fi"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": "Palvelu ei ole hetkeen käytettävissä. Yritä uudelleen minuutin päästä."}


def test_a_fault_in_a_query_is_still_a_500_not_a_503() -> None:
    with mock.patch("helpseekers.middleware.session_resolve", side_effect=IntegrityError("duplicate key")):
        response = _client_with_cookie().get("/en/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_an_outage_is_recognised_through_the_exceptions_it_caused() -> None:
    wrapped = RuntimeError("while rendering")
    wrapped.__cause__ = RESTARTING

    assert database_unavailable(wrapped)
    assert database_unavailable(InterfaceError("connection already closed"))
    assert not database_unavailable(RuntimeError("boom"))
    assert not database_unavailable(IntegrityError("duplicate key"))
    assert not database_unavailable(None)
