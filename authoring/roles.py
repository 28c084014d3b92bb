"""Staff roles, made as groups by a migration, and what each may edit.

- *author*: writes content in the source language (English) and its structure (slugs,
  order, kinds);
- *translator*: edits only the translations of the languages assigned to them
  (``TranslatorLanguage``); the structure and every other language are read-only, and a
  request that changes them is refused (403);
- *reviewer*: reads content, and publishes or returns a language submitted for review, never
  one they changed or submitted (``authoring.workflow``);
- *evaluator*: only the evaluation pages (``analytics.view_release``);
- *administrator*: everything, including accounts, roles, translator languages and the
  audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from authoring.models import TranslatorLanguage
from modules.models import FALLBACK_LANGUAGE

AUTHOR, TRANSLATOR, REVIEWER, EVALUATOR, ADMINISTRATOR = (
    "author",
    "translator",
    "reviewer",
    "evaluator",
    "administrator",
)
ROLES = (AUTHOR, TRANSLATOR, REVIEWER, EVALUATOR, ADMINISTRATOR)


@dataclass(frozen=True)
class EditScope:
    """What one staff member may change in content: the languages, and the structure."""

    languages: frozenset[str]
    structure: bool

    def language_allowed(self, language: str) -> bool:
        return language in self.languages


def edit_scope(user: Any) -> EditScope:
    """The user's edit scope, cached on the user object for the request."""
    cached = getattr(user, "_edit_scope", None)
    if cached is not None:
        return cached
    every = frozenset(code for code, _name in settings.LANGUAGES)
    if user.is_superuser:
        scope = EditScope(every, True)
    else:
        roles = set(user.groups.values_list("name", flat=True))
        languages: set[str] = set()
        structure = False
        if ADMINISTRATOR in roles:
            languages, structure = set(every), True
        if AUTHOR in roles:
            languages.add(FALLBACK_LANGUAGE)
            structure = True
        if TRANSLATOR in roles:
            languages |= set(TranslatorLanguage.objects.filter(user=user).values_list("language", flat=True))
        scope = EditScope(frozenset(languages), structure)
    user._edit_scope = scope
    return scope
