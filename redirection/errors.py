"""The one family of refusals that people see, and what each means in HTTP.

A service raises an ``ApplicationError`` (or a subclass owned by its app) carrying a message
already translated into the reader's language, the HTTP status it stands for and, where a
form or API field is at fault, the errors by field. Web views show ``message`` and use
``status``; the API turns the same exception into a JSON body in one place
(``redirection.api.api_exception_handler``). Messages never contain what a person typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApplicationError(Exception):
    """A refusal with a message for people, an HTTP status and optional errors by field."""

    status: int = 400

    def __init__(self, message: str, *, status: int | None = None, fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.fields: dict[str, Any] = dict(fields or {})


class FieldRefused(Exception):
    """One submitted value refused, with the message to show beside its field (already in
    the reader's language, and never containing the value). Services raise it while
    checking a form, and collect the messages into their ``ApplicationError``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
