"""Reads staff need about content: what each language still lacks, and which languages are
complete. They span the program's content and its questionnaires, which is why they live
here, above both apps, and never on the help-seekers' reading path (which reads only the
languages recorded as published)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Model, Q

from modules.models import FALLBACK_LANGUAGE, Block, BlockOption, Module, Program, Step
from modules.translation import translated_fields, translated_languages
from questionnaires.models import FeedbackBand, FeedbackRule, Instrument, Item, ItemOption, Subscale


def _offered_by(prefix: str) -> Callable[[int], Q]:
    """Rows reached through an occasion in use of the program (``prefix`` leads to the instrument)."""
    return lambda program_id: Q(
        **{f"{prefix}occasions__program_id": program_id, f"{prefix}occasions__retired_on__isnull": True}
    )


# Every translated model of a program's content in use, with the filter that finds its rows.
# Helplines are shared by every program and fall back field by field, so they are not part
# of a program's completeness.
PROGRAM_CONTENT: tuple[tuple[type[Model], Callable[[int], Q]], ...] = (
    (Program, lambda program_id: Q(id=program_id)),
    (Module, lambda program_id: Q(program_id=program_id, retired_on__isnull=True)),
    (
        Step,
        lambda program_id: (
            Q(module__program_id=program_id) & Q(retired_on__isnull=True, module__retired_on__isnull=True)
        ),
    ),
    (
        Block,
        lambda program_id: (
            Q(step__module__program_id=program_id, retired_on__isnull=True)
            & Q(step__retired_on__isnull=True, step__module__retired_on__isnull=True)
        ),
    ),
    (
        BlockOption,
        lambda program_id: (
            Q(block__step__module__program_id=program_id, retired_on__isnull=True)
            & Q(block__retired_on__isnull=True, block__step__retired_on__isnull=True)
            & Q(block__step__module__retired_on__isnull=True)
        ),
    ),
    (Instrument, _offered_by("")),
    (Subscale, _offered_by("instrument__")),
    (Item, lambda program_id: _offered_by("instrument__")(program_id) & Q(retired_on__isnull=True)),
    (
        ItemOption,
        lambda program_id: (
            _offered_by("item__instrument__")(program_id) & Q(retired_on__isnull=True, item__retired_on__isnull=True)
        ),
    ),
    (FeedbackBand, _offered_by("instrument__")),
    (FeedbackRule, _offered_by("instrument__")),
)


def _missing(field_name: str, language: str) -> Q:
    """The row has fallback-language text in the field but none in ``language``."""
    localized = f"{field_name}_{language}"
    has_fallback = ~Q(**{f"{field_name}_{FALLBACK_LANGUAGE}": ""}) & Q(
        **{f"{field_name}_{FALLBACK_LANGUAGE}__isnull": False}
    )
    return has_fallback & (Q(**{f"{localized}__isnull": True}) | Q(**{localized: ""}))


@dataclass(frozen=True)
class MissingTranslation:
    """One translated field that is empty in a language while the fallback language has it."""

    model: str
    object_id: int
    label: str
    field: str


def program_missing_translations(*, program: Program, language: str) -> list[MissingTranslation]:
    """Every field of ``program``'s content in use that still needs a ``language`` translation."""
    if language == FALLBACK_LANGUAGE:
        return []
    missing: list[MissingTranslation] = []
    for model, rows_of in PROGRAM_CONTENT:
        for field_name in translated_fields(model):
            rows = model._default_manager.filter(rows_of(program.pk), _missing(field_name, language)).distinct()
            missing.extend(
                MissingTranslation(model._meta.model_name or "", row.pk, str(row), field_name)
                for row in rows.order_by("pk")
            )
    return missing


def program_complete_languages(*, program: Program) -> frozenset[str]:
    """Languages in which every translated field of the program's content in use has text.

    One aggregate query per content model counts the missing fields of every language.
    """
    languages = translated_languages()
    incomplete: set[str] = set()
    for model, rows_of in PROGRAM_CONTENT:
        fields = translated_fields(model)
        ids = model._default_manager.filter(rows_of(program.pk)).values("pk")
        aggregates = {
            f"{language}__{field_name}": Count("pk", filter=_missing(field_name, language))
            for language in languages
            for field_name in fields
        }
        counts = model._default_manager.filter(pk__in=ids).aggregate(**aggregates)
        incomplete.update(name.split("__", 1)[0] for name, count in counts.items() if count)
    return frozenset({FALLBACK_LANGUAGE, *(code for code in languages if code not in incomplete)})
