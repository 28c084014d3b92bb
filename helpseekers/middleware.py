"""Who is signed in on a web request (``helpseekers.current.signed_in``), from the cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from helpseekers.current import signed_in_record
from helpseekers.services import SignedIn, session_resolve


def set_session_cookie(response: HttpResponse, token: str) -> None:
    """The session token as a browser-session cookie: HttpOnly, SameSite=Strict."""
    response.set_cookie(
        settings.HELPSEEKER_COOKIE_NAME,
        token,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/",
    )


def clear_session_cookie(response: HttpResponse) -> None:
    response.delete_cookie(settings.HELPSEEKER_COOKIE_NAME, path="/", samesite="Strict")


class HelpSeekerMiddleware:
    """Resolve the help-seeker's session cookie; drop it when it has ended or timed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.COOKIES.get(settings.HELPSEEKER_COOKIE_NAME)
        signed_in: SignedIn | None = session_resolve(token=token) if token else None
        signed_in_record(request, signed_in)
        response = self.get_response(request)
        if token and signed_in is None and settings.HELPSEEKER_COOKIE_NAME not in response.cookies:
            clear_session_cookie(response)
        if token or signed_in is not None:
            # A page for a signed-in reader shows their own words: never cache it anywhere.
            response.headers["Cache-Control"] = "no-store, private"
        return response
