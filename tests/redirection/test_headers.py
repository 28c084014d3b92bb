"""Every response carries the privacy and security headers, whatever its status."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from redirection import urls as root_urls


def _raise(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _raise), *root_urls.urlpatterns]

EXPECTED_CSP = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def assert_privacy_headers(response: HttpResponse) -> None:
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert all(item.strip().endswith("=()") for item in policy.split(","))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_landing_page_200_has_every_header(client: Client) -> None:
    response = client.get("/en/")

    assert response.status_code == 200
    assert_privacy_headers(response)


@pytest.mark.django_db
def test_unknown_page_404_has_every_header_and_a_page(client: Client) -> None:
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert_privacy_headers(response)


@pytest.mark.django_db
def test_unknown_language_prefix_is_a_404_page(client: Client) -> None:
    response = client.get("/xx/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_500_has_every_header_and_reveals_nothing() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"boom" not in response.content
    assert b"RuntimeError" not in response.content
    assert_privacy_headers(response)


@pytest.mark.django_db
def test_forged_host_header_gets_400_not_500(client: Client) -> None:
    response = client.get("/en/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert_privacy_headers(response)


@pytest.mark.django_db
def test_root_redirects_by_accept_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fi,en;q=0.5")

    assert response.status_code == 302
    assert response["Location"] == "/fi/"


@pytest.mark.django_db
def test_root_redirects_to_english_for_unconfigured_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")

    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_csrf_cookie_is_httponly_and_strict(client: Client) -> None:
    # The staff login form is the first page that sets a CSRF cookie.
    response = client.get("/admin/login/")

    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
