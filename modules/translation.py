"""Translated fields of the content models (django-modeltranslation), and the helpers every
app uses to read and write them per language. English is the fallback.

modeltranslation adds a ``<field>_<language>`` column for every configured language; the
helpers below are the one place that spells those names, for content here and for the
questionnaires registered the same way in ``questionnaires/translation.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db.models import Model
from modeltranslation.translator import TranslationOptions, register, translator

from modules.models import FALLBACK_LANGUAGE, PROGRAM_TEXTS, Block, BlockOption, Helpline, Module, Program, Step


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = PROGRAM_TEXTS


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("title",)


@register(Block)
class BlockTranslation(TranslationOptions):
    fields = ("body", "scale_min_label", "scale_max_label")


@register(BlockOption)
class BlockOptionTranslation(TranslationOptions):
    fields = ("label",)


@register(Helpline)
class HelplineTranslation(TranslationOptions):
    fields = ("name", "description", "opening_hours")


def configured_languages() -> list[str]:
    """Every configured language code, the fallback first."""
    return [code for code, _name in settings.LANGUAGES]


def translated_languages() -> list[str]:
    """The configured languages that are translations of the fallback language."""
    return [code for code in configured_languages() if code != FALLBACK_LANGUAGE]


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The names of ``model``'s translated fields (without a language suffix)."""
    return tuple(translator.get_options_for_model(model).fields)  # type: ignore[attr-defined]


def translations_set(instance: Model, field_name: str, values: Mapping[str, str]) -> None:
    """Set ``<field>_<language>`` for every configured language (missing ones to "")."""
    for language in configured_languages():
        setattr(instance, f"{field_name}_{language}", values.get(language, ""))


def translation_get(instance: Model, field_name: str, language: str) -> str:
    """``<field>_<language>`` of ``instance``, with "" for no text."""
    return getattr(instance, f"{field_name}_{language}") or ""
