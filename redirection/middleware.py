"""Request and response hygiene for every page.

``ClientDataScrubbingMiddleware`` removes client addresses, the user agent and the referrer
from the request before any other code runs, so no view, log call or task can store them.
``SecurityHeadersMiddleware`` adds the headers Django does not set itself.
"""

from collections.abc import Callable

from csp.constants import SELF
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Everything that names the client or where it came from. X-Forwarded-Proto stays: it says
# only whether the proxy received HTTPS.
CLIENT_DATA_META_KEYS = (
    *("REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT"),  # stripped: the client's address
    *("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"),  # stripped: addresses a proxy passes on
    *("HTTP_CLIENT_IP", "HTTP_TRUE_CLIENT_IP", "HTTP_CF_CONNECTING_IP"),  # stripped: the same, other names
    *("HTTP_USER_AGENT", "HTTP_REFERER"),  # stripped: browser details and where the reader came from
)


STAFF_PATH_PREFIXES = ("/admin/", "/api/docs/")


class ClientDataScrubbingMiddleware:
    """Drop every identifying header before the rest of the stack sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in CLIENT_DATA_META_KEYS:
            request.META.pop(key, None)
        return self.get_response(request)


class StaffPolicyMiddleware:
    """Let the staff admin run its own scripts (from this origin only).

    Help-seeker pages keep ``script-src`` unset, so ``default-src 'none'`` forbids every
    script; the admin's widgets and translation tabs need Django's bundled JavaScript.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(STAFF_PATH_PREFIXES):
            response._csp_update = {  # type: ignore[attr-defined]
                "script-src": [SELF],
                "img-src": [SELF, "data:"],
                "connect-src": [SELF],
                "style-src": [SELF, "'unsafe-inline'"],
            }
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no caching of anything dynamic."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Static files come back from whitenoise with their own long-lived Cache-Control.
        # Everything else may show what a help-seeker read or wrote, so a shared or
        # later user of the same browser must not find it in the cache.
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
