"""The staff admin for content.

Every save bumps the program's content version and re-publishes the languages the program is
complete in, so help-seekers see the change at once and never read a half-translated
language. Content is never deleted here: "Retire" hides it from help-seekers and keeps every
help-seeker's progress and answers that point at it; "Restore" brings it back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from authoring.models import StaffEvent
from authoring.services import program_languages_refresh
from modules.models import Block, BlockOption, Helpline, Module, Program, Step
from modules.services import content_restore, content_retire, program_touch


def _program_of(instance: Model) -> Program | None:
    if isinstance(instance, Program):
        return instance
    if isinstance(instance, Module):
        return instance.program
    if isinstance(instance, Step):
        return instance.module.program
    if isinstance(instance, Block):
        return instance.step.module.program
    return None


def _programs_of(rows: QuerySet[Any]) -> set[Program]:
    return {program for row in rows if (program := _program_of(row)) is not None}


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
    for program in _programs_of(queryset):
        program_languages_refresh(program=program, actor=request.user)
    modeladmin.message_user(request, f"{count} retired.", messages.SUCCESS)


@admin.action(description="Restore: show to help-seekers again, after the content in use")
def restore(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> None:
    count = content_restore(rows=list(queryset))
    for program in _programs_of(queryset):
        program_languages_refresh(program=program, actor=request.user)
    modeladmin.message_user(request, f"{count} restored.", messages.SUCCESS)


class ContentAdmin(TranslationAdmin):
    """Admin for program content: saves invalidate caches and re-publish complete languages."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        program = _program_of(form.instance)
        if program is not None and not program_languages_refresh(program=program, actor=request.user):
            program_touch(program=program)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Help-seekers' rows point at content (PROTECT): content is retired, never deleted.
        return False


class RetirableAdmin(ContentAdmin):
    actions = [retire, restore]
    readonly_fields = ("retired_on",)


class RetirableInline:
    """An inline of content: shows when a row was retired; no delete box (retire it instead)."""

    readonly_fields: ClassVar[list[str] | tuple[str, ...]] = ("retired_on",)
    extra = 0
    can_delete = False
    show_change_link = True


class ModuleInline(RetirableInline, TranslationTabularInline):
    model = Module
    fields = ("position", "slug", "title", "retired_on")


class StepInline(RetirableInline, TranslationTabularInline):
    model = Step
    fields = ("position", "slug", "title", "estimated_minutes", "retired_on")


class BlockInline(RetirableInline, TranslationStackedInline):
    model = Block
    fields = ("position", "slug", "kind", "body", "scale_min_label", "scale_max_label", "retired_on")


class BlockOptionInline(RetirableInline, TranslationTabularInline):
    model = BlockOption
    fields = ("position", "value", "label", "retired_on")
    show_change_link = False


@admin.register(Program)
class ProgramAdmin(ContentAdmin):
    list_display = ("slug", "title", "is_published", "is_sample", "published_languages", "content_version")
    readonly_fields = ("published_languages",)
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(RetirableAdmin):
    list_display = ("title", "program", "position", "slug", "retired_on")
    list_filter = ("program", RetiredFilter)
    list_select_related = ("program",)
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(RetirableAdmin):
    list_display = ("title", "module", "position", "slug", "estimated_minutes", "retired_on")
    list_filter = ("module__program", "module", RetiredFilter)
    list_select_related = ("module",)
    inlines = [BlockInline]


@admin.register(Block)
class BlockAdmin(RetirableAdmin):
    list_display = ("slug", "kind", "step", "position", "retired_on")
    list_filter = ("kind", "step__module", RetiredFilter)
    list_select_related = ("step",)
    inlines = [BlockOptionInline]


@admin.register(Helpline)
class HelplineAdmin(TranslationAdmin):
    list_display = ("name", "country", "website", "is_sample")
    list_filter = ("country", "is_sample")


class ReadOnlyForAdministrators(admin.ModelAdmin):
    """The audit trail: administrators read it; nobody adds, changes or deletes a row."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

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
