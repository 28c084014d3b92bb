"""Translated fields of instruments (django-modeltranslation). English is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from questionnaires.models import FeedbackBand, FeedbackRule, Instrument, Item, ItemOption, Subscale


@register(Instrument)
class InstrumentTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register(Subscale)
class SubscaleTranslation(TranslationOptions):
    fields = ("title",)


@register(Item)
class ItemTranslation(TranslationOptions):
    fields = ("text", "help_text", "min_label", "max_label")


@register(ItemOption)
class ItemOptionTranslation(TranslationOptions):
    fields = ("label",)


@register(FeedbackBand)
class FeedbackBandTranslation(TranslationOptions):
    fields = ("text",)


@register(FeedbackRule)
class FeedbackRuleTranslation(TranslationOptions):
    fields = ("text",)
