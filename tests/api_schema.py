"""Every successful API response must match the OpenAPI schema the project publishes.

``SchemaCheckedClient`` is a test client that validates each 2xx response of ``/api/v1/``
against the generated schema (drf-spectacular), with every object closed to keys the schema
does not name. A response built by hand, or a serializer changed without its schema, fails
the test that made the request.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jsonschema
from django.http import HttpResponse
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

API_PREFIX = "/api/v1/"


@functools.cache
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _as_json_schema(node: Any, components: dict[str, Any]) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, ``nullable`` spelled out,
    objects closed to the properties they declare."""
    if isinstance(node, list):
        return [_as_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _as_json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    converted = {key: _as_json_schema(value, components) for key, value in node.items()}
    nullable = converted.pop("nullable", False)
    if converted.get("type") == "object" and "properties" in converted:
        converted.setdefault("additionalProperties", False)
    return {"anyOf": [converted, {"type": "null"}]} if nullable else converted


@functools.cache
def _operations() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    paths = openapi()["paths"]
    return [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), operations) for path, operations in paths.items()
    ]


def assert_matches_schema(response: HttpResponse, method: str, path: str) -> None:
    """The response's status is documented for the operation, and its body matches."""
    for pattern, operations in _operations():
        if pattern.match(path):
            operation = operations[method.lower()]
            break
    else:
        raise AssertionError(f"{method} {path} is not in the OpenAPI schema")
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {path} answered {status}, documented: {sorted(documented)}"
    content = documented[status].get("content")
    if content is None:
        assert not response.content, f"{method} {path} {status} has a body its schema does not describe"
        return
    if "application/json" not in content:  # a download (CSV): its media type must be the documented one
        media = response["Content-Type"].split(";")[0]
        assert media in content, f"{method} {path} {status} sent {media}, documented: {sorted(content)}"
        return
    schema = _as_json_schema(content["application/json"]["schema"], openapi()["components"]["schemas"])
    jsonschema.validate(response.json(), schema)


class SchemaCheckedClient(Client):
    """A test client that checks every successful API response against the schema."""

    def request(self, **request: Any) -> HttpResponse:  # type: ignore[override]
        response = super().request(**request)
        path = request["PATH_INFO"]
        if path.startswith(API_PREFIX) and 200 <= response.status_code < 300:
            assert_matches_schema(response, request["REQUEST_METHOD"], path)
        return response
