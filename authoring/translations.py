"""Outdated translations: each translated field remembers, per language, a digest of the
source text it was translated from (``TranslationSource``). Saving a translation in the
staff site, loading a bundle or confirming a translation records the current source; an
author's change to the source makes every translation made from the old text outdated."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from authoring.models import TranslationSource
from authoring.selectors import PROGRAM_CONTENT
from modules.models import FALLBACK_LANGUAGE, Program
from modules.translation import translated_fields, translated_languages


def digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def record(instance: Model, pairs: Iterable[tuple[str, str]]) -> int:
    """Record that ``instance``'s ``(field, language)`` translations are made from its
    current source text. Returns how many were recorded."""
    content_type = ContentType.objects.get_for_model(type(instance))
    count = 0
    for field, language in pairs:
        if language == FALLBACK_LANGUAGE or field not in translated_fields(type(instance)):
            continue
        TranslationSource.objects.update_or_create(
            content_type=content_type,
            object_id=str(instance.pk),
            field=field,
            language=language,
            defaults={"source_digest": digest(getattr(instance, f"{field}_{FALLBACK_LANGUAGE}"))},
        )
        count += 1
    return count


def record_translated(instance: Model, languages: Iterable[str] | None = None) -> int:
    """Record every non-empty translation of ``instance`` (in ``languages``) as current."""
    chosen = list(languages) if languages is not None else translated_languages()
    return record(
        instance,
        [
            (field, language)
            for field in translated_fields(type(instance))
            for language in chosen
            if getattr(instance, f"{field}_{language}", "")
        ],
    )


def program_record_all(*, program: Program) -> int:
    """Every translation of the program's content in use, as current (after a bundle load:
    a bundle's translations are made from its own source)."""
    return sum(
        record_translated(row)
        for model, rows_of in PROGRAM_CONTENT
        for row in model._default_manager.filter(rows_of(program.pk)).distinct()
    )


@dataclass(frozen=True)
class OutdatedTranslation:
    model: str
    object_id: str
    label: str
    field: str


def program_outdated_translations(*, program: Program, language: str) -> list[OutdatedTranslation]:
    """Every non-empty ``language`` translation of the program's content in use whose source
    text changed since it was made."""
    if language == FALLBACK_LANGUAGE:
        return []
    found: list[OutdatedTranslation] = []
    for model, rows_of in PROGRAM_CONTENT:
        fields = translated_fields(model)
        rows = {str(row.pk): row for row in model._default_manager.filter(rows_of(program.pk)).distinct()}
        if not rows:
            continue
        sources = TranslationSource.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=list(rows), language=language
        )
        for source in sources.order_by("object_id", "field"):
            row = rows[source.object_id]
            if source.field not in fields or not getattr(row, f"{source.field}_{language}", ""):
                continue
            if source.source_digest != digest(getattr(row, f"{source.field}_{FALLBACK_LANGUAGE}")):
                found.append(
                    OutdatedTranslation(model._meta.model_name or "", source.object_id, str(row), source.field)
                )
    return found


@dataclass(frozen=True)
class FieldStatus:
    label: str
    field: str
    state: str  # "translated", "missing" or "outdated"
    url: str


@dataclass
class PartStatus:
    """One module's (or the program's, or its questionnaires') translation state."""

    title: str
    fields: list[FieldStatus]

    def share(self, state: str) -> int:
        total = len(self.fields)
        return round(100 * sum(1 for field in self.fields if field.state == state) / total) if total else 100


def _part_of(row: Model) -> str:
    from modules.models import Block, BlockOption, Module, Step

    if isinstance(row, Module):
        return row.title
    if isinstance(row, Step):
        return row.module.title
    if isinstance(row, Block):
        return row.step.module.title
    if isinstance(row, BlockOption):
        return row.block.step.module.title
    if isinstance(row, Program):
        return "Program"
    return "Questionnaires"


def program_language_status(*, program: Program, language: str) -> list[PartStatus]:
    """Every translated field of the program's content in use, in ``language``: translated,
    missing or outdated, grouped by module, with a link to where it is edited."""
    from django.urls import NoReverseMatch, reverse

    outdated = {
        (item.model, item.object_id, item.field)
        for item in program_outdated_translations(program=program, language=language)
    }
    parts: dict[str, PartStatus] = {}
    for model, rows_of in PROGRAM_CONTENT:
        opts = model._meta
        for row in model._default_manager.filter(rows_of(program.pk)).distinct().order_by("pk"):
            for field in translated_fields(model):
                if not getattr(row, f"{field}_{FALLBACK_LANGUAGE}", ""):
                    continue  # nothing to translate
                if not getattr(row, f"{field}_{language}", ""):
                    state = "missing"
                elif (opts.model_name, str(row.pk), field) in outdated:
                    state = "outdated"
                else:
                    state = "translated"
                try:
                    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
                except NoReverseMatch:  # a model edited only inline in its parent
                    url = ""
                title = _part_of(row)
                parts.setdefault(title, PartStatus(title, [])).fields.append(FieldStatus(str(row), field, state, url))
    return list(parts.values())
