"""The answer when the database cannot be reached: 503, never 500.

A PostgreSQL restart, a failover or a full connection limit is not a fault of the page. The
project's ``handler500`` (``redirection.api.server_error``) asks ``database_unavailable``
about the exception it was called for, and answers with ``service_unavailable``: a 503 with
``Retry-After``, a page in the reader's language that says what was and was not saved (JSON
under ``/api/``), rendered without touching the database. With ``ATOMIC_REQUESTS`` the
request's own writes were rolled back as a whole, so nothing is half-saved; Django drops the
broken connection at the end of the request and the next request opens a new one, so the
service recovers when the database returns, without a restart.
"""

from __future__ import annotations

from django import db
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

# How long a reader is asked to wait before trying again: a PostgreSQL restart or failover.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says the database could not be reached or the
    connection broke, rather than a fault in a query."""
    while exc is not None:
        if isinstance(exc, db.OperationalError | db.InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: JSON under ``/api/``, else a page in the reader's language
    (the language of the path, as the page itself would have had). Nothing here touches the
    database."""
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    with translation.override(language):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": _("The service is briefly unavailable. Please try again in a minute.")}, status=503
            )
        else:
            response = HttpResponse(
                loader.render_to_string("503.html", {"quick_exit_url": settings.QUICK_EXIT_URL}), status=503
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
