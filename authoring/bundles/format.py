"""The bundle file format's shared helpers: reading YAML, validating values, writing YAML.

Every reader reports the first problem as a ``BundleError`` naming the file, the key and the
reason, so a clinician can find it without a traceback. Writing is deterministic: the same
bundle gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from modules.models import FALLBACK_LANGUAGE, SLUG_VALIDATOR

FORMAT_VERSION = 1
STRUCTURE_FILE = "program.yaml"
MAX_TITLE = 200

__all__ = [
    "FALLBACK_LANGUAGE",
    "FORMAT_VERSION",
    "MAX_TITLE",
    "STRUCTURE_FILE",
    "BundleError",
    "ConditionSpec",
    "as_condition",
    "as_int",
    "as_list",
    "as_mapping",
    "as_slug",
    "as_text",
    "as_url",
    "dump_yaml",
    "load_yaml",
    "require_unique",
    "without_empty",
]


class BundleError(Exception):
    """A bundle problem, with the file and key it is in."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}" if key else f"{file}: {reason}")


def load_yaml(path: Path, root: Path) -> Any:
    """The YAML document at ``path``; errors name the file relative to the bundle ``root``."""
    name = str(path.relative_to(root))
    if not path.is_file():
        raise BundleError(name, "", "file is missing")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BundleError(name, "", f"not valid YAML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise BundleError(name, "", "not UTF-8 text") from exc


def as_mapping(value: Any, file: str, key: str) -> dict[str, Any]:
    """A mapping (``{}`` for nothing), or ``BundleError``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BundleError(file, key, "must be a mapping")
    return value


def as_list(value: Any, file: str, key: str, *, required: bool = True) -> list[Any]:
    """A list, non-empty when ``required`` (``[]`` for nothing otherwise), or ``BundleError``."""
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise BundleError(file, key, "must be a non-empty list")
    return value


def as_text(value: Any, file: str, key: str, *, max_length: int | None = None) -> str:
    """Text with outer blank lines (or, on one line, spaces) removed; "" for nothing."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BundleError(file, key, "must be text")
    text = value.strip("\n") if "\n" in value else value.strip()
    if max_length is not None and len(text) > max_length:
        raise BundleError(file, key, f"is longer than {max_length} characters")
    return text


def as_slug(value: Any, file: str, key: str) -> str:
    """A slug (lowercase letters, digits, single hyphens), or ``BundleError``."""
    if not isinstance(value, str):
        raise BundleError(file, key, "slug must be text")
    try:
        SLUG_VALIDATOR(value)
    except ValidationError as exc:
        raise BundleError(file, key, f"'{value}' is not a valid slug (lowercase letters, digits, hyphens)") from exc
    return value


def as_url(value: Any, file: str, key: str) -> str:
    """An http(s) URL or "", or ``BundleError``."""
    url = as_text(value, file, key)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise BundleError(file, key, f"'{url}' is not an http(s) URL") from exc
    return url


def require_unique(slugs: list[str], file: str, key: str) -> None:
    """``BundleError`` naming the first slug that appears twice."""
    seen: set[str] = set()
    for slug in slugs:
        if slug in seen:
            raise BundleError(file, key, f"'{slug}' appears twice")
        seen.add(slug)


def as_int(value: Any, file: str, key: str, *, low: int = 0, high: int = 10_000) -> int:
    """A whole number from ``low`` to ``high``, or ``BundleError``."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BundleError(file, key, f"must be a whole number from {low} to {high}")
    return value


@dataclass
class ConditionSpec:
    """``show_if``: shown only when the answer to ``exercise`` (``module/step/exercise``, a
    choice exercise) includes one of ``any_of``, or when it has not been answered."""

    exercise: str
    any_of: list[str]

    def as_data(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "any_of": list(self.any_of)}


def as_condition(value: Any, file: str, key: str, exercises: Mapping[str, Sequence[str]]) -> ConditionSpec | None:
    """A ``show_if`` condition on one of ``exercises`` (choice exercises by path, with their
    option values), or ``None``; ``BundleError`` names what is wrong."""
    if value is None:
        return None
    raw = as_mapping(value, file, key)
    exercise = as_text(raw.get("exercise"), file, f"{key}.exercise")
    if exercise not in exercises:
        raise BundleError(
            file, f"{key}.exercise", f"'{exercise}' is not a choice exercise before this point (module/step/exercise)"
        )
    values = [as_slug(v, file, f"{key}.any_of") for v in as_list(raw.get("any_of"), file, f"{key}.any_of")]
    for value_slug in values:
        if value_slug not in exercises[exercise]:
            raise BundleError(file, f"{key}.any_of", f"'{value_slug}' is not an option of {exercise}")
    require_unique(values, file, f"{key}.any_of")
    return ConditionSpec(exercise, values)


def without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    """The mapping without empty values: what a bundle file writes."""
    return {key: value for key, value in mapping.items() if value not in ("", None, {}, [])}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML, keys in the given order, multi-line text as literal blocks."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
