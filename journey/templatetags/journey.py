"""Template helpers for help-seeker pages."""

from typing import Any

from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``mapping[key]`` in a template, or ``None``."""
    return mapping.get(key)


@register.filter
def direction(language: str) -> str:
    """``rtl`` or ``ltr``: how text in ``language`` runs, for a ``dir`` attribute."""
    return "rtl" if get_language_info(language)["bidi"] else "ltr"
