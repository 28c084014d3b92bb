"""The API's one exception handler: ``ApplicationError`` becomes a JSON refusal.

The body is ``{"detail": <message>, <field>: <errors>...}`` with the error's own status, so
every app maps its refusals to HTTP by raising, and no view maps them again. Everything else
goes to DRF's handler (validation errors, 401, 404) unchanged.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

from redirection.errors import ApplicationError


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.fields}, status=exc.status)
    return exception_handler(exc, context)
