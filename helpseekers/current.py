"""Who is signed in on this request: the one typed way to ask, for web pages and the API.

Web pages are signed in by the help-seeker's cookie (``HelpSeekerMiddleware`` records the
result here); the API only by its bearer token (``HelpSeekerTokenAuthentication``, which
DRF keeps as ``request.auth``), so the web cookie never authenticates an API call.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from helpseekers.services import SignedIn

_ATTRIBUTE = "_helpseeker_signed_in"


def signed_in(request: HttpRequest | Request) -> SignedIn | None:
    """The help-seeker signed in on this request, or ``None``."""
    if isinstance(request, Request):
        auth = request.auth
        return auth if isinstance(auth, SignedIn) else None
    value = getattr(request, _ATTRIBUTE, None)
    return value if isinstance(value, SignedIn) else None


def signed_in_record(request: HttpRequest, value: SignedIn | None) -> None:
    """Record the help-seeker a web request's cookie signed in (the middleware's job)."""
    setattr(request, _ATTRIBUTE, value)


def signed_in_required(request: Request) -> SignedIn:
    """The signed-in help-seeker of an API request; 401 when there is none."""
    value = signed_in(request)
    if value is None:
        raise NotAuthenticated
    return value
