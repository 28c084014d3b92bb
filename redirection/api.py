"""The API's JSON parser and its one exception handler.

``JSONParser`` refuses, with a 400 in the reader's language, a body nested deeper than
``MAX_DEPTH`` (Python's parser would otherwise hit its recursion limit: a 500) or holding
strings that are not text (lone surrogates, which cannot be stored).

``api_exception_handler``: ``ApplicationError`` becomes a JSON refusal. The body is
``{"detail": <message>, <field>: <errors>...}`` with the error's own status, so every app
maps its refusals to HTTP by raising, and no view maps them again. Everything else goes to
DRF's handler (validation errors, 401, 404) unchanged.

The project's error handlers (``handler400``/``404``/``500``) live here too: under
``/api/`` they answer in JSON, and a database that cannot be reached gets a 503
(``redirection.unavailable``), not a 500.
"""

from __future__ import annotations

import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import parsers
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from redirection.errors import ApplicationError
from redirection.inputs import is_storable_text
from redirection.unavailable import database_unavailable, service_unavailable

MAX_DEPTH = 32


def _acceptable(data: Any) -> bool:
    """Whether ``data`` nests at most ``MAX_DEPTH`` deep and every string in it is text
    (walked with a stack, never by recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not is_storable_text(value):
                return False
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return False
            items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
            for key, item in items:
                if key is not None and not is_storable_text(key):
                    return False
                stack.append((item, depth + 1))
    return True


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing too deep a body or one that is not text with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            acceptable = False
        else:
            acceptable = _acceptable(data)
        if not acceptable:
            raise ParseError(
                _("The request could not be read: it nests too deeply or holds characters that are not text.")
            )
        return data


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.fields}, status=exc.status)
    return exception_handler(exc, context)


# --- Errors outside any API view ----------------------------------------------------------
# A path under /api/ that matches no operation, or a request that fails before any view,
# answers in the API's shape (JSON, ``{"detail": ...}`` in the reader's language, DRF's own
# messages); every other path gets the project's error pages.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": str(APIException.default_detail)}, status=500)
    return defaults.server_error(request)
