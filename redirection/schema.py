"""OpenAPI schema generation for every app's API (drf-spectacular).

Each API view declares its own ``InputSerializer`` and ``OutputSerializer`` (one view per
endpoint). Their components are named after the view that declares them
(``ProgressApiOutput``), so two views' ``OutputSerializer``s never collide in the schema.
"""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Literal["request", "response"]) -> str:
        name: str = super().get_serializer_name(serializer, direction)
        owner, _dot, _own_name = type(serializer).__qualname__.rpartition(".")
        return f"{owner.replace('.', '')}{name}" if owner else name
