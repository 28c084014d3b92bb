"""Staff admin for content. Every change bumps the program's content version (a service),
so cached help-seeker pages show the new text at once."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from modules.models import Block, BlockOption, Helpline, Module, Program, Step
from modules.services import program_touch


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


class ContentAdmin(TranslationAdmin):
    """Admin for program content: any save or delete invalidates the program's caches."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        program = _program_of(form.instance)
        if program is not None:
            program_touch(program=program)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        program = _program_of(obj)
        super().delete_model(request, obj)
        if program is not None and not isinstance(obj, Program):
            program_touch(program=program)


class ModuleInline(TranslationTabularInline):
    model = Module
    fields = ("position", "slug", "title")
    extra = 0
    show_change_link = True


class StepInline(TranslationTabularInline):
    model = Step
    fields = ("position", "slug", "title", "estimated_minutes")
    extra = 0
    show_change_link = True


class BlockInline(TranslationStackedInline):
    model = Block
    fields = ("position", "slug", "kind", "body", "scale_min_label", "scale_max_label")
    extra = 0
    show_change_link = True


class BlockOptionInline(TranslationTabularInline):
    model = BlockOption
    fields = ("position", "value", "label")
    extra = 0


@admin.register(Program)
class ProgramAdmin(ContentAdmin):
    list_display = ("slug", "title", "is_published", "is_sample", "content_version")
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(ContentAdmin):
    list_display = ("title", "program", "position", "slug")
    list_filter = ("program",)
    list_select_related = ("program",)
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(ContentAdmin):
    list_display = ("title", "module", "position", "slug", "estimated_minutes")
    list_filter = ("module__program", "module")
    list_select_related = ("module",)
    inlines = [BlockInline]


@admin.register(Block)
class BlockAdmin(ContentAdmin):
    list_display = ("slug", "kind", "step", "position")
    list_filter = ("kind", "step__module")
    list_select_related = ("step",)
    inlines = [BlockOptionInline]


@admin.register(Helpline)
class HelplineAdmin(TranslationAdmin):
    list_display = ("name", "country", "website", "is_sample")
    list_filter = ("country", "is_sample")
