"""Translated fields of the content models (django-modeltranslation). English is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from modules.models import Block, BlockOption, Helpline, Module, Program, Step


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("title", "summary")


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
