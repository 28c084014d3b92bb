"""OpenAPI schema generation for every app's API (drf-spectacular).

Each API view declares its own ``InputSerializer`` and ``OutputSerializer`` (one view per
endpoint). Their components are named after the view that declares them
(``ProgressApiOutput``), so two views' ``OutputSerializer``s never collide in the schema.
Every operation also documents the refusals any API call can meet, in the one shape the
project's exception handler gives them (``redirection.api``): a ``detail`` message in the
reader's language and, where fields are at fault, their messages by field.
"""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

# The refusals an API call can meet: invalid input, no or an ended session, a role that may
# not, nothing there, a conflict (signed in already, a questionnaire not due), too many tries,
# and busy (sign-in queue full, database unreachable).
REFUSALS = {
    "400": "The input was refused; the messages say why, by field.",
    "401": "Not signed in (no or an ended session token).",
    "403": "Not allowed for this account.",
    "404": "Nothing there.",
    "409": "Not now: signed in already, or not due.",
    "429": "Too many tries; wait, then try again.",
    "503": "Busy or unavailable; try again in a moment.",
}
REFUSAL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What happened, in the reader's language."}},
    "additionalProperties": True,
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, description in REFUSALS.items():
            responses.setdefault(
                status, {"description": description, "content": {"application/json": {"schema": REFUSAL_SCHEMA}}}
            )
        return responses

    def get_serializer_name(self, serializer: Any, direction: Literal["request", "response"]) -> str:
        name: str = super().get_serializer_name(serializer, direction)
        owner, _dot, _own_name = type(serializer).__qualname__.rpartition(".")
        return f"{owner.replace('.', '')}{name}" if owner else name
