"""Request and response hygiene for every page, with as little work per request as possible.

- ``PrivacyMiddleware`` comes first. It removes client addresses, the user agent and the
  referrer from the request before any other code runs, so no view, log call or task can
  store them; and it puts the Content-Security-Policy, Permissions-Policy and no-caching
  headers on every response. The headers are built once, at start-up, not per response.
- ``StaffSessionMiddleware`` and ``StaffAuthenticationMiddleware`` give Django sessions and
  ``request.user`` to the staff pages only. Help-seekers are not Django users and never get
  a Django session; their pages skip both.
- ``LazyMessageMiddleware`` makes the message storage only when a page adds or shows a
  message, so a page served from the cache pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import http_date

# Everything that names the client or where it came from. X-Forwarded-Proto stays: it says
# only whether the proxy received HTTPS.
CLIENT_DATA_META_KEYS = (
    *("REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT"),  # stripped: the client's address
    *("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"),  # stripped: addresses a proxy passes on
    *("HTTP_CLIENT_IP", "HTTP_TRUE_CLIENT_IP", "HTTP_CF_CONNECTING_IP"),  # stripped: the same, other names
    *("HTTP_USER_AGENT", "HTTP_REFERER"),  # stripped: browser details and where the reader came from
)

STAFF_PATH_PREFIXES = (f"/{settings.STAFF_PATH}", "/api/docs/", "/evaluation/", "/api/v1/evaluation/")
# What ``django.utils.cache.add_never_cache_headers`` writes when nothing set Cache-Control.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def content_security_policy(
    directives: Mapping[str, Sequence[str]], additions: Mapping[str, Sequence[str]] | None = None
) -> str:
    """A Content-Security-Policy header value: ``directives``, each extended by ``additions``."""
    merged = {name: list(sources) for name, sources in directives.items()}
    for name, sources in (additions or {}).items():
        merged.setdefault(name, []).extend(source for source in sources if source not in merged.get(name, []))
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in merged.items())


def on_staff_host(request: HttpRequest) -> bool:
    """Whether the request came to a host the staff site answers on (``STAFF_HOSTS``; every
    allowed host when empty). Ports and IPv6 brackets are handled as Django handles them."""
    domain, _port = split_domain_port(request.get_host())
    return not settings.STAFF_HOSTS or domain in {host.lower() for host in settings.STAFF_HOSTS}


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


class PrivacyMiddleware:
    """Drop every identifying header first; put the privacy headers on every response.

    Help-seeker pages keep ``script-src`` unset, so ``default-src 'none'`` forbids every
    script. The staff admin and the API docs need Django's bundled JavaScript, from this
    origin only. A response that set its own Cache-Control (static files) keeps it; every
    other response may show what a help-seeker read or wrote, so no cache may keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public_policy = content_security_policy(settings.CONTENT_SECURITY_POLICY)
        self.staff_policy = content_security_policy(settings.CONTENT_SECURITY_POLICY, settings.STAFF_CSP_ADDITIONS)
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        for key in CLIENT_DATA_META_KEYS:
            meta.pop(key, None)
        response = self.get_response(request)
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            headers["Content-Security-Policy"] = (
                self.staff_policy if is_staff_path(request.path) else self.public_policy
            )
        if "Permissions-Policy" not in headers:
            headers["Permissions-Policy"] = self.permissions_policy
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = NEVER_CACHE
            if "Expires" not in headers:
                headers["Expires"] = http_date()
        return response


class StaffSessionMiddleware(SessionMiddleware):
    """Django sessions, for the staff pages only (help-seekers have their own sign-in)."""

    def process_request(self, request: HttpRequest) -> None:
        if is_staff_path(request.path_info):
            if not on_staff_host(request):
                raise Http404  # the staff site does not exist on this host
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not hasattr(request, "session"):
            return response
        return super().process_response(request, response)


class StaffAuthenticationMiddleware(AuthenticationMiddleware):
    """``request.user`` (a staff member or anonymous), for the staff pages only."""

    def process_request(self, request: HttpRequest) -> None:
        if hasattr(request, "session"):
            super().process_request(request)


class _LazyStorage(SimpleLazyObject):
    """The request's message storage, made on first use."""


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, with the storage made only when a message is added or shown."""

    def process_request(self, request: HttpRequest) -> None:
        # ``_messages`` is where Django's messages framework keeps the storage on a request.
        request._messages = _LazyStorage(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        storage = getattr(request, "_messages", None)
        if type(storage) is _LazyStorage and storage._wrapped is empty:
            return response  # nothing was added or shown: nothing to store
        return super().process_response(request, response)
