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
    response = client.get("/staff/login/")

    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"


@pytest.mark.django_db
def test_csrf_cookie_ends_with_the_browser_session(client: Client) -> None:
    response = client.get("/en/start/")

    cookie = response.cookies["csrftoken"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert "Max-Age" not in cookie.output()


def test_secure_deployments_name_every_session_cookie_with_the_host_prefix() -> None:
    from tests.redirection.test_deploy import PRODUCTION_ENV, _manage

    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.HELPSEEKER_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_AGE)",
        env=PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-helpseeker",
        "__Host-csrftoken",
        "__Host-sessionid",
        "None",
    ], result.stderr


@pytest.mark.django_db
def test_host_prefixed_cookies_are_secure_for_the_whole_site_and_no_domain(program, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.HELPSEEKER_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-helpseeker", "__Host-csrftoken"
    browser = Client()

    started = browser.post("/en/start/", secure=True)

    for name in ("__Host-helpseeker", "__Host-csrftoken"):
        cookie = started.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["path"] == "/", name
        assert cookie["domain"] == "", name
    assert browser.get("/en/me/", secure=True).status_code == 200, "the prefixed cookie signs the reader in"
