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
from modules.models import FALLBACK_LANGUAGE, Block, BlockOption, Module, Program, Step
from modules.translation import translated_fields, translated_languages

# What ``_part_of`` reads through, joined in the same query.
LABEL_JOINS: dict[type[Model], tuple[str, ...]] = {
    Step: ("module",),
    Block: ("step__module",),
    BlockOption: ("block__step__module",),
}


def digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def _sources(instance: Model, pairs: Iterable[tuple[str, str]]) -> list[TranslationSource]:
    content_type = ContentType.objects.get_for_model(type(instance))
    fields = translated_fields(type(instance))
    return [
        TranslationSource(
            content_type=content_type,
            object_id=str(instance.pk),
            field=field,
            language=language,
            source_digest=digest(getattr(instance, f"{field}_{FALLBACK_LANGUAGE}")),
        )
        for field, language in pairs
        if language != FALLBACK_LANGUAGE and field in fields
    ]


def _upsert(sources: list[TranslationSource]) -> int:
    """Write ``sources`` in bulk, replacing the digest of any already recorded."""
    TranslationSource.objects.bulk_create(
        sources,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field", "language"],
        update_fields=["source_digest", "updated_at"],
    )
    return len(sources)


def record(instance: Model, pairs: Iterable[tuple[str, str]]) -> int:
    """Record that ``instance``'s ``(field, language)`` translations are made from its
    current source text. Returns how many were recorded."""
    return _upsert(_sources(instance, pairs))


def _translated_pairs(instance: Model, languages: Iterable[str]) -> list[tuple[str, str]]:
    return [
        (field, language)
        for field in translated_fields(type(instance))
        for language in languages
        if getattr(instance, f"{field}_{language}", "")
    ]


def record_translated(instance: Model, languages: Iterable[str] | None = None) -> int:
    """Record every non-empty translation of ``instance`` (in ``languages``) as current."""
    chosen = list(languages) if languages is not None else translated_languages()
    return record(instance, _translated_pairs(instance, chosen))


def program_record_all(*, program: Program) -> int:
    """Every translation of the program's content in use, as current (after a bundle load:
    a bundle's translations are made from its own source)."""
    languages = translated_languages()
    return _upsert(
        [
            source
            for model, rows_of in PROGRAM_CONTENT
            for row in model._default_manager.filter(rows_of(program.pk)).distinct()
            for source in _sources(row, _translated_pairs(row, languages))
        ]
    )


@dataclass(frozen=True)
class OutdatedTranslation:
    model: str
    object_id: str
    label: str
    field: str


def _content_rows(program: Program) -> list[tuple[type[Model], dict[str, Model]]]:
    """The program's content in use, by model, with what labels need already joined."""
    found = []
    for model, rows_of in PROGRAM_CONTENT:
        rows = model._default_manager.filter(rows_of(program.pk)).distinct().order_by("pk")
        if joins := LABEL_JOINS.get(model):  # (an empty select_related() would join every key)
            rows = rows.select_related(*joins)
        found.append((model, {str(row.pk): row for row in rows}))
    return found


def _outdated(
    content: list[tuple[type[Model], dict[str, Model]]], languages: list[str]
) -> set[tuple[str, str, str, str]]:
    """(model, object id, field, language) of every non-empty translation whose source
    changed since it was made: one query per content model."""
    found: set[tuple[str, str, str, str]] = set()
    for model, rows in content:
        if not rows:
            continue
        fields = translated_fields(model)
        sources = TranslationSource.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=list(rows), language__in=languages
        )
        for source in sources:
            row = rows[source.object_id]
            if source.field not in fields or not getattr(row, f"{source.field}_{source.language}", ""):
                continue
            if source.source_digest != digest(getattr(row, f"{source.field}_{FALLBACK_LANGUAGE}")):
                found.add((model._meta.model_name or "", source.object_id, source.field, source.language))
    return found


def program_outdated_translations(*, program: Program, language: str) -> list[OutdatedTranslation]:
    """Every non-empty ``language`` translation of the program's content in use whose source
    text changed since it was made."""
    if language == FALLBACK_LANGUAGE:
        return []
    content = _content_rows(program)
    labels = {(model._meta.model_name, pk): str(row) for model, rows in content for pk, row in rows.items()}
    return [
        OutdatedTranslation(model, object_id, labels[(model, object_id)], field)
        for model, object_id, field, _language in sorted(_outdated(content, [language]))
    ]


def program_outdated_keys(*, program: Program, language: str) -> set[tuple[str, str, str]]:
    """(model, object id, field) of every outdated ``language`` translation of the program."""
    return {(model, object_id, field) for model, object_id, field, _ in _outdated(_content_rows(program), [language])}


@dataclass(frozen=True)
class FieldStatus:
    label: str
    field: str
    state: str  # "translated", "missing" or "outdated"
    url: str


@dataclass
class PartStatus:
    """One module's (or the program's, or its questionnaires') translation state."""

    key: str  # the module's slug; "" for the program itself, "questionnaires" for those
    title: str
    fields: list[FieldStatus]

    def share(self, state: str) -> int:
        total = len(self.fields)
        return round(100 * sum(1 for field in self.fields if field.state == state) / total) if total else 100


def _module_of(row: Model) -> Module | None:
    if isinstance(row, Module):
        return row
    if isinstance(row, Step):
        return row.module
    if isinstance(row, Block):
        return row.step.module
    if isinstance(row, BlockOption):
        return row.block.step.module
    return None


def _part_of(row: Model) -> tuple[str, str]:
    """(key, title) of the part of the program ``row`` belongs to: its module's slug and title."""
    if (module := _module_of(row)) is not None:
        return module.slug, module.title
    if isinstance(row, Program):
        return "", "Program"
    return "questionnaires", "Questionnaires"


def program_translation_status(*, program: Program, languages: list[str]) -> dict[str, list[PartStatus]]:
    """Every translated field of the program's content in use, in each of ``languages``:
    translated, missing or outdated, grouped by module, with a link to where it is edited.
    The content is read once, whatever the number of languages."""
    from django.urls import NoReverseMatch, reverse

    content = _content_rows(program)
    outdated = _outdated(content, languages)
    status: dict[str, dict[str, PartStatus]] = {language: {} for language in languages}
    for model, rows in content:
        opts = model._meta
        for pk, row in rows.items():
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            except NoReverseMatch:  # a model edited only inline in its parent
                url = ""
            (key, title), label = _part_of(row), str(row)
            for field in translated_fields(model):
                if not getattr(row, f"{field}_{FALLBACK_LANGUAGE}", ""):
                    continue  # nothing to translate
                for language in languages:
                    if not getattr(row, f"{field}_{language}", ""):
                        state = "missing"
                    elif (opts.model_name, pk, field, language) in outdated:
                        state = "outdated"
                    else:
                        state = "translated"
                    part = status[language].setdefault(key, PartStatus(key, title, []))
                    part.fields.append(FieldStatus(label, field, state, url))
    return {language: list(parts.values()) for language, parts in status.items()}
