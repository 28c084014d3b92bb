"""Read-only JSON API for content, in the requested language.

The language comes from ``?lang=``, else ``Accept-Language``. Every response says which
language was requested and which one the content is actually served in (English when the
program is not complete in the requested language), also as ``Content-Language``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules import selectors

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description="Language code; defaults to the Accept-Language header.",
    enum=[code for code, _name in settings.LANGUAGES],
)


class ContentApiView(APIView):
    """Content is public: no authentication, so a stale token never blocks reading."""

    authentication_classes: list[type] = []


def _requested_language(request: Request) -> str:
    code = request.query_params.get("lang")
    if code is None:
        return translation.get_language()
    if code not in {c for c, _name in settings.LANGUAGES}:
        raise ValidationError({"lang": [_("This language is not offered.")]})
    translation.activate(code)
    return code


def _program_in_language(
    request: Request, program_slug: str
) -> tuple[selectors.ProgramRef, str, str, selectors.ProgramOutline]:
    """(program, requested language, served language, outline in the served language), or 404."""
    requested = _requested_language(request)
    program = selectors.program_get(slug=program_slug)
    served = selectors.content_language_for(program=program, requested=requested)
    return program, requested, served, selectors.program_outline(program=program, language=served)


def _respond(data: dict[str, Any], *, requested: str, served: str) -> Response:
    response = Response({"requested_language": requested, "language": served, **data})
    response["Content-Language"] = served
    return response


class StepLinkSerializer(serializers.Serializer):
    module = serializers.CharField(source="module_slug")
    slug = serializers.CharField(source="step_slug")
    title = serializers.CharField()


class ModuleOutlineSerializer(serializers.Serializer):
    slug = serializers.CharField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    minutes = serializers.IntegerField()
    steps = StepLinkSerializer(many=True)


class StepBlockSerializer(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.CharField()
    html = serializers.CharField()
    options = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    scale_min_label = serializers.CharField()
    scale_max_label = serializers.CharField()


class ProgramListApi(ContentApiView):
    """Published programs."""

    class ProgramSummarySerializer(serializers.Serializer):
        slug = serializers.CharField()
        title = serializers.CharField()
        summary = serializers.CharField()
        is_sample = serializers.BooleanField()
        language = serializers.CharField(help_text="The language this program's content is served in.")

    class ProgramListOutputSerializer(serializers.Serializer):
        requested_language = serializers.CharField()
        programs = serializers.ListField(child=serializers.DictField())

    @extend_schema(operation_id="programs_list", parameters=[LANG_PARAMETER], responses=ProgramListOutputSerializer)
    def get(self, request: Request) -> Response:
        requested = _requested_language(request)
        programs = []
        for program in selectors.program_list():
            language = selectors.content_language_for(program=program, requested=requested)
            outline = selectors.program_outline(program=program, language=language)
            programs.append(self.ProgramSummarySerializer(outline).data)
        return Response({"requested_language": requested, "programs": programs})


class ProgramDetailApi(ContentApiView):
    """One program with its modules and steps, in order."""

    class ProgramDetailOutputSerializer(serializers.Serializer):
        requested_language = serializers.CharField()
        language = serializers.CharField()
        slug = serializers.CharField()
        title = serializers.CharField()
        summary = serializers.CharField()
        is_sample = serializers.BooleanField()
        modules = ModuleOutlineSerializer(many=True)

    @extend_schema(operation_id="program_detail", parameters=[LANG_PARAMETER], responses=ProgramDetailOutputSerializer)
    def get(self, request: Request, program_slug: str) -> Response:
        _program, requested, served, outline = _program_in_language(request, program_slug)
        data = ModuleOutlineSerializer(outline.modules, many=True).data
        return _respond(
            {
                "slug": outline.slug,
                "title": outline.title,
                "summary": outline.summary,
                "is_sample": outline.is_sample,
                "modules": data,
            },
            requested=requested,
            served=served,
        )


class ModuleDetailApi(ContentApiView):
    """One module with its steps."""

    class ModuleDetailOutputSerializer(ModuleOutlineSerializer):
        requested_language = serializers.CharField()
        language = serializers.CharField()

    @extend_schema(operation_id="module_detail", parameters=[LANG_PARAMETER], responses=ModuleDetailOutputSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str) -> Response:
        _program, requested, served, outline = _program_in_language(request, program_slug)
        module = outline.module(module_slug)
        return _respond(dict(ModuleOutlineSerializer(module).data), requested=requested, served=served)


class StepDetailApi(ContentApiView):
    """One step: its blocks (sanitised HTML), options and scale labels, and its neighbours."""

    class StepDetailOutputSerializer(serializers.Serializer):
        requested_language = serializers.CharField()
        language = serializers.CharField()
        module = serializers.CharField()
        slug = serializers.CharField()
        title = serializers.CharField()
        position = serializers.IntegerField()
        step_count = serializers.IntegerField()
        estimated_minutes = serializers.IntegerField()
        blocks = StepBlockSerializer(many=True)
        previous = StepLinkSerializer(allow_null=True)
        next = StepLinkSerializer(allow_null=True)

    @extend_schema(operation_id="step_detail", parameters=[LANG_PARAMETER], responses=StepDetailOutputSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        program, requested, served, outline = _program_in_language(request, program_slug)
        step = selectors.step_view(program=program, module_slug=module_slug, step_slug=step_slug, language=served)
        previous, following = outline.neighbours(module_slug, step_slug)
        blocks = [
            {
                "slug": block.slug,
                "kind": block.kind,
                "html": block.html,
                "options": [{"value": o.value, "label": o.label} for o in block.options],
                "scale_min_label": block.scale_min_label,
                "scale_max_label": block.scale_max_label,
            }
            for block in step.blocks
        ]
        return _respond(
            {
                "module": step.module_slug,
                "slug": step.slug,
                "title": step.title,
                "position": step.position,
                "step_count": step.step_count,
                "estimated_minutes": step.estimated_minutes,
                "blocks": blocks,
                "previous": StepLinkSerializer(previous).data if previous else None,
                "next": StepLinkSerializer(following).data if following else None,
            },
            requested=requested,
            served=served,
        )


class HelplineListApi(ContentApiView):
    """The helpline directory, optionally for one country (plus international services)."""

    class HelplineSerializer(serializers.Serializer):
        slug = serializers.CharField()
        country = serializers.CharField()
        languages = serializers.ListField(child=serializers.CharField())
        name = serializers.CharField()
        description_html = serializers.CharField()
        opening_hours = serializers.CharField()
        website = serializers.CharField()
        onion_url = serializers.CharField()
        phone = serializers.CharField()
        is_sample = serializers.BooleanField()

    class HelplineListOutputSerializer(serializers.Serializer):
        requested_language = serializers.CharField()
        language = serializers.CharField()
        helplines = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        operation_id="helplines_list",
        parameters=[LANG_PARAMETER, OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2")],
        responses=HelplineListOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        requested = _requested_language(request)
        country = request.query_params.get("country", "").upper() or None
        if country is not None and (len(country) != 2 or not country.isalpha()):
            raise ValidationError({"country": [_("Use a two-letter country code.")]})
        helplines = self.HelplineSerializer(selectors.helpline_list(country=country), many=True).data
        # Helplines fall back field by field, so the served language is the requested one.
        return _respond({"helplines": helplines}, requested=requested, served=requested)
