"""The staff admin for content.

Program content is edited in each program's **draft** only (``authoring.workflow``): a save
records who changed which language, and nothing reaches help-seekers until a reviewer
publishes it. Questionnaires and helplines are edited in place: a save re-publishes the
languages the programs offering them are complete in. Content is never deleted here:
"Retire" hides it (from the draft, and from help-seekers once published) and keeps every
help-seeker's progress and answers that point at it; "Restore" brings it back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from authoring import translations, workflow
from authoring.models import StaffEvent, TranslatorLanguage
from authoring.roles import EditScope, edit_scope
from authoring.services import program_languages_refresh
from modules.markdown import render_markdown
from modules.models import FALLBACK_LANGUAGE, Block, BlockOption, Helpline, Module, Program, Step
from modules.services import (
    content_programs,
    content_restore,
    content_retire,
    helplines_touch,
    program_path,
    program_touch,
)
from modules.translation import translated_fields
from questionnaires.models import FeedbackBand, Instrument, Item, ItemOption, Occasion

# The staff site edits drafts' content only: how each content model reaches a draft.
DRAFT_FILTER: dict[type[Model], str] = {
    Program: "draft_of__isnull",
    **{model: f"{program_path(model)}__draft_of__isnull" for model in (Module, Step, Block, BlockOption)},
}


def _content_changed(rows: Any, request: HttpRequest, languages: set[str]) -> None:
    """After a change to ``rows``: each draft they belong to records who changed which
    language; each live program (through its questionnaires) re-publishes its complete
    languages."""
    for program in content_programs(rows):
        if program.draft_of_id is not None:
            if languages:
                workflow.draft_edited(draft=program, user=request.user, languages=languages)
        elif not program_languages_refresh(program=program, actor=request.user):
            program_touch(program=program)


class RetiredFilter(admin.SimpleListFilter):
    title = _("retired on")
    parameter_name = "retired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "—"), ("yes", "✓")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(retired_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(retired_on__isnull=False)
        return queryset


@admin.action(description="Retire: hide from help-seekers, keep their progress and answers")
def retire(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> None:
    count = content_retire(rows=list(queryset))
    _content_changed(queryset, request, {FALLBACK_LANGUAGE})
    modeladmin.message_user(request, f"{count} retired.", messages.SUCCESS)


@admin.action(description="Restore: show to help-seekers again, after the content in use")
def restore(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> None:
    count = content_restore(rows=list(queryset))
    _content_changed(queryset, request, {FALLBACK_LANGUAGE})
    modeladmin.message_user(request, f"{count} restored.", messages.SUCCESS)


@admin.action(description="Confirm my languages' translations: still right for the changed source")
def confirm_translations(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> None:
    languages = edit_scope(request.user).languages - {FALLBACK_LANGUAGE}
    count = sum(translations.record_translated(row, languages) for row in queryset)
    _content_changed(queryset, request, set(languages))
    modeladmin.message_user(request, f"{count} translation(s) confirmed.", messages.SUCCESS)


def _language_of(field: str, model: type[Model]) -> str | None:
    """The language of a translation field (``title_fi`` -> ``fi``), or None."""
    base, _sep, language = field.rpartition("_")
    if base in translated_fields(model) and language in {code for code, _name in settings.LANGUAGES}:
        return language
    return None


def _editable(field: str, model: type[Model], scope: EditScope) -> bool:
    language = _language_of(field, model)
    if language is not None:
        return scope.language_allowed(language)
    return scope.structure or field == "retired_on"


class LanguageScoped:
    """What a staff member may edit follows their role (``authoring.roles``): a translator
    changes only their languages' translations; an author the source language and the
    structure. The rest is shown read-only, and a request that changes it anyway is
    refused with 403."""

    model: type[Model]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        base = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        scope = edit_scope(request.user)
        return base + [
            field for field in self._candidates() if field not in base and not _editable(field, self.model, scope)
        ]

    def _candidates(self) -> list[str]:
        """The editable fields the form may show, translations by language (``title_fi``):
        the declared ones where the admin names them, else every editable field."""
        translated = translated_fields(self.model)
        languages = [code for code, _name in settings.LANGUAGES]
        declared = getattr(self, "fields", None)
        if declared is None:
            declared = [
                field.name
                for field in self.model._meta.concrete_fields
                if field.editable and not field.auto_created and _language_of(field.name, self.model) is None
            ]
        found: list[str] = []
        for name in declared:
            found.extend([f"{name}_{code}" for code in languages] if name in translated else [name])
        return found

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(super().has_add_permission(request, *args) and edit_scope(request.user).structure)  # type: ignore[misc]


class ScopedChangeForm(LanguageScoped):
    """A model admin whose change form refuses out-of-scope translations with 403, records
    which source text each saved translation was made from, and shows translation tabs per
    language (``authoring/static/authoring/translation_tabs.js``; without JavaScript every
    language shows)."""

    inlines: ClassVar[Any]

    class Media:
        js = ("authoring/translation_tabs.js",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        translations.record(obj, _changed_translations(form, type(obj)))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None and inline_form.has_changed():
                translations.record(inline_form.instance, _changed_translations(inline_form, formset.model))

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        if request.method == "POST":
            _refuse_out_of_scope(request, [self.model, *(inline.model for inline in self.inlines)])
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]


def _changed_fields(form: Any, model: type[Model]) -> list[tuple[str, str | None]]:
    """(field, language) of each field a form changed; no language for an untranslated one."""
    return [(name.rpartition("_")[0], language) if (language := _language_of(name, model)) else (name, None)
            for name in form.changed_data]  # fmt: skip


def _edited_languages(form: Any, model: type[Model]) -> set[str]:
    """The languages a saved form changed; a new row or a change to anything but a
    translation is a change to the source language (the structure)."""
    if not form.has_changed():
        return set()
    languages = {language or FALLBACK_LANGUAGE for _field, language in _changed_fields(form, model)}
    return languages | {FALLBACK_LANGUAGE} if form.instance._state.adding else languages


class RelatedContent:
    """Related program content is chosen among the drafts' rows (``drafts``) or the live ones."""

    drafts: ClassVar[bool]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if related in DRAFT_FILTER:
            kwargs["queryset"] = related._default_manager.filter(**{DRAFT_FILTER[related]: not self.drafts})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class DraftOnly(RelatedContent):
    """Lists and forms of program content show the drafts' rows only."""

    drafts = True
    model: type[Model]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(**{DRAFT_FILTER[self.model]: False})  # type: ignore[misc]


class ContentAdmin(DraftOnly, ScopedChangeForm, TranslationAdmin):
    """Admin for program content (drafts only): a save records who changed which language."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        languages = _edited_languages(form, type(form.instance))
        for formset in formsets:
            for inline_form in formset.forms:
                languages |= _edited_languages(inline_form, formset.model)
        super().save_related(request, form, formsets, change)
        _content_changed([form.instance], request, languages)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Help-seekers' rows point at content (PROTECT): content is retired, never deleted.
        return False


class RetirableAdmin(ContentAdmin):
    actions = [retire, restore, confirm_translations]
    readonly_fields: ClassVar[tuple[str, ...]] = ("retired_on",)


def _changed_translations(form: Any, model: type[Model]) -> list[tuple[str, str]]:
    return [
        (name, language) for name, language in _changed_fields(form, model) if language not in (None, FALLBACK_LANGUAGE)
    ]


def _refuse_out_of_scope(request: HttpRequest, models: list[type[Model]]) -> None:
    """403 for a submitted translation of a language the staff member may not edit (a
    field their form never showed: only a crafted request sends it)."""
    scope = edit_scope(request.user)
    for key in request.POST:
        field = key.rsplit("-", 1)[-1]
        for model in models:
            language = _language_of(field, model)
            if language is not None and not scope.language_allowed(language):
                raise PermissionDenied(f"{field}: not a language you may edit")


class RetirableInline(LanguageScoped):
    """An inline of content: shows when a row was retired; no delete box (retire it instead)."""

    readonly_fields: ClassVar[list[str] | tuple[str, ...]] = ("retired_on",)
    extra = 0
    can_delete = False
    show_change_link = True


class ModuleInline(DraftOnly, RetirableInline, TranslationTabularInline):
    model = Module
    fields = ("position", "slug", "title", "retired_on")


class StepInline(DraftOnly, RetirableInline, TranslationTabularInline):
    model = Step
    fields = ("position", "slug", "title", "estimated_minutes", "retired_on")


class BlockInline(DraftOnly, RetirableInline, TranslationStackedInline):
    model = Block
    fields = ("position", "slug", "kind", "body", "scale_min_label", "scale_max_label", "retired_on")


class BlockOptionInline(DraftOnly, RetirableInline, TranslationTabularInline):
    model = BlockOption
    fields = ("position", "value", "label", "retired_on")
    show_change_link = False


@admin.register(Program)
class ProgramAdmin(ContentAdmin):
    """A program's draft. Programs themselves come from bundle loads (``load_program``)."""

    list_display = ("live_program", "title", "is_sample")
    fields = (
        "live_program",
        "title",
        "summary",
        "is_sample",
        "urge_guidance",
        "urge_exercise",
        "urge_line",
        "urge_words",
        "setback_step",
    )
    # Which answers the "Urge now" page shows, and the setback step, come from the bundle.
    readonly_fields = ("live_program", "urge_words", "setback_step")
    inlines = [ModuleInline]

    @admin.display(description="Draft of")
    def live_program(self, draft: Program) -> str:
        return draft.draft_of.slug if draft.draft_of else "-"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("draft_of")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(Module)
class ModuleAdmin(RetirableAdmin):
    list_display = ("title", "program", "position", "slug", "retired_on")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), RetiredFilter)
    list_select_related = ("program",)
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(RetirableAdmin):
    list_display = ("title", "module", "position", "slug", "estimated_minutes", "retired_on")
    list_filter = (("module", admin.RelatedOnlyFieldListFilter), RetiredFilter)
    list_select_related = ("module",)
    inlines = [BlockInline]


@admin.register(Block)
class BlockAdmin(RetirableAdmin):
    readonly_fields = ("retired_on", "preview")
    list_display = ("slug", "kind", "step", "position", "retired_on")
    list_filter = ("kind", ("step__module", admin.RelatedOnlyFieldListFilter), RetiredFilter)
    list_select_related = ("step",)
    inlines = [BlockOptionInline]

    @admin.display(description="Preview, as help-seekers read it")
    def preview(self, block: Block) -> str:
        """The block's text rendered and sanitised exactly as on the help-seeker's page, in
        every language it has (the saved text: save to see a change)."""
        parts = [
            # render_markdown's output is sanitised (nh3), as on the help-seeker's page
            format_html('<section lang="{}"><h4>{}</h4>{}</section>', code, name, mark_safe(render_markdown(text)))  # noqa: S308
            for code, name in settings.LANGUAGES
            if (text := getattr(block, f"body_{code}", ""))
        ]
        return format_html_join("", "{}", ((part,) for part in parts)) if parts else "-"


@admin.register(Helpline)
class HelplineAdmin(ScopedChangeForm, TranslationAdmin):
    # a website typed without a scheme is https (Django 6's default, chosen now)
    formfield_overrides: ClassVar[dict[Any, dict[str, Any]]] = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "country", "website", "is_sample")
    list_filter = ("country", "is_sample")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        helplines_touch()  # steps that list the crisis lines show the change at once

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        helplines_touch()


class ReadOnlyForAdministrators(admin.ModelAdmin):
    """The audit trail: administrators read it; nobody adds, changes or deletes a row."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return bool(request.user.is_active and request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StaffEvent)
class StaffEventAdmin(ReadOnlyForAdministrators):
    list_display = ("at", "actor_name", "kind", "detail")
    list_filter = ("kind",)
    search_fields = ("actor_name", "detail")


@admin.register(LogEntry)
class ContentChangeAdmin(ReadOnlyForAdministrators):
    """Every add, change, retire and restore made in the staff site, by whom and when."""

    list_display = ("action_time", "user", "content_type", "object_repr", "action_flag", "change_message")
    list_filter = ("action_flag", "content_type")
    search_fields = ("object_repr", "change_message")


@admin.register(TranslatorLanguage)
class TranslatorLanguageAdmin(admin.ModelAdmin):
    """Which languages each translator may edit (administrators)."""

    list_display = ("user", "language")
    list_filter = ("language",)


# --- Questionnaires, in the same place as the content they belong to ------------------------


class LiveOnly(RelatedContent):
    """Questionnaires belong to live programs: related content is chosen among live rows."""

    drafts = False


class QuestionnaireAdmin(LiveOnly, ScopedChangeForm, TranslationAdmin):
    """Questionnaire content: a save re-publishes the complete languages of every program
    that offers the instrument (and invalidates their cached pages). Never deleted: help-
    seekers' responses point here (retire items, options and occasions instead)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        instrument = form.instance if isinstance(form.instance, Instrument) else form.instance.instrument
        _content_changed(instrument.occasions.all(), request, set())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ItemInline(LiveOnly, RetirableInline, TranslationStackedInline):
    model = Item
    fields = ("position", "slug", "kind", "text", "help_text", "min_label", "max_label", "min_value", "max_value",
              "required", "scored", "reverse_scored", "retired_on")  # fmt: skip


class ItemOptionInline(LiveOnly, RetirableInline, TranslationTabularInline):
    model = ItemOption
    fields = ("position", "value", "label", "score", "is_safety", "retired_on")
    show_change_link = False


class FeedbackBandInline(LanguageScoped, TranslationTabularInline):
    model = FeedbackBand
    fields = ("lower", "upper", "text")
    extra = 0
    can_delete = False


@admin.register(Instrument)
class InstrumentAdmin(QuestionnaireAdmin):
    list_display = ("slug", "title", "scoring", "is_scored")
    inlines = [ItemInline, FeedbackBandInline]


@admin.register(Item)
class ItemAdmin(QuestionnaireAdmin):
    list_display = ("slug", "instrument", "position", "kind", "retired_on")
    list_filter = ("instrument", "kind", RetiredFilter)
    list_select_related = ("instrument",)
    readonly_fields = ("retired_on",)
    actions = [retire, restore]
    inlines = [ItemOptionInline]


@admin.register(Occasion)
class OccasionAdmin(LiveOnly, admin.ModelAdmin):
    """When each program offers an instrument. Retired, never deleted."""

    list_display = ("slug", "program", "instrument", "kind", "position", "retired_on")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "kind", RetiredFilter)
    list_select_related = ("program", "instrument")
    readonly_fields = ("retired_on",)
    actions = [retire, restore]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_add_permission(request) and edit_scope(request.user).structure)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(super().has_change_permission(request, obj) and edit_scope(request.user).structure)
