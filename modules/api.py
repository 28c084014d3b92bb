"""Read-only JSON API for content, in the requested language.

The language comes from ``?lang=``, else ``Accept-Language``. Every response says which
language was requested and which one the content is actually served in (English when the
program is not published in the requested language), also as ``Content-Language``.
Responses come from their output serializers, so the OpenAPI schema cannot drift from them.
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


def _program_in_language(request: Request, program_slug: str) -> dict[str, Any]:
    """The program (404 if unknown), the requested and the served language, and its outline."""
    requested = _requested_language(request)
    program = selectors.program_get(slug=program_slug)
    served = selectors.content_language_for(program=program, requested=requested)
    return {
        "program": program,
        "requested_language": requested,
        "language": served,
        "outline": selectors.program_outline(program=program, language=served),
    }


def _respond(data: dict[str, Any], language: str) -> Response:
    response = Response(data)
    response["Content-Language"] = language
    return response


class StepLinkSerializer(serializers.Serializer):
    module = serializers.CharField(source="module_slug")
    slug = serializers.CharField(source="step_slug")
    title = serializers.CharField()


class ModuleOutlineSerializer(serializers.Serializer):
    slug = serializers.CharField()
    position = serializers.IntegerField(help_text="The module's number among the modules in use, from 1.")
    title = serializers.CharField()
    summary = serializers.CharField()
    minutes = serializers.IntegerField()
    steps = StepLinkSerializer(many=True)


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    # A field named "label" shadows Field.label for type checkers only; DRF collects it as a field.
    label = serializers.CharField()  # type: ignore[assignment]


class StepBlockSerializer(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.CharField()
    html = serializers.CharField(help_text="Sanitised HTML rendered from the block's Markdown.")
    options = OptionSerializer(many=True)
    scale_min_label = serializers.CharField()
    scale_max_label = serializers.CharField()


class ServedLanguageSerializer(serializers.Serializer):
    requested_language = serializers.CharField()
    language = serializers.CharField(help_text="The language the content is served in.")


class ProgramSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    is_sample = serializers.BooleanField()
    language = serializers.CharField(help_text="The language this program's content is served in.")


class ProgramListApi(ContentApiView):
    """Published programs."""

    class OutputSerializer(serializers.Serializer):
        requested_language = serializers.CharField()
        programs = ProgramSummarySerializer(many=True)

    @extend_schema(operation_id="programs_list", parameters=[LANG_PARAMETER], responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        requested = _requested_language(request)
        outlines = [
            selectors.program_outline(
                program=program, language=selectors.content_language_for(program=program, requested=requested)
            )
            for program in selectors.program_list()
        ]
        return Response(self.OutputSerializer({"requested_language": requested, "programs": outlines}).data)


class ProgramDetailApi(ContentApiView):
    """One program with its modules and steps, in order."""

    class OutputSerializer(ServedLanguageSerializer):
        slug = serializers.CharField(source="outline.slug")
        title = serializers.CharField(source="outline.title")
        summary = serializers.CharField(source="outline.summary")
        is_sample = serializers.BooleanField(source="outline.is_sample")
        modules = ModuleOutlineSerializer(source="outline.modules", many=True)

    @extend_schema(operation_id="program_detail", parameters=[LANG_PARAMETER], responses=OutputSerializer)
    def get(self, request: Request, program_slug: str) -> Response:
        served = _program_in_language(request, program_slug)
        return _respond(self.OutputSerializer(served).data, served["language"])


class ModuleDetailApi(ContentApiView):
    """One module with its steps."""

    class OutputSerializer(ServedLanguageSerializer):
        slug = serializers.CharField(source="module.slug")
        position = serializers.IntegerField(source="module.position")
        title = serializers.CharField(source="module.title")
        summary = serializers.CharField(source="module.summary")
        minutes = serializers.IntegerField(source="module.minutes")
        steps = StepLinkSerializer(source="module.steps", many=True)

    @extend_schema(operation_id="module_detail", parameters=[LANG_PARAMETER], responses=OutputSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str) -> Response:
        served = _program_in_language(request, program_slug)
        served["module"] = served["outline"].module(module_slug)
        return _respond(self.OutputSerializer(served).data, served["language"])


class StepDetailApi(ContentApiView):
    """One step: its blocks (sanitised HTML), options and scale labels, and its neighbours."""

    class OutputSerializer(ServedLanguageSerializer):
        module = serializers.CharField(source="step.module_slug")
        slug = serializers.CharField(source="step.slug")
        title = serializers.CharField(source="step.title")
        position = serializers.IntegerField(source="step.position", help_text="The step's number in its module.")
        step_count = serializers.IntegerField(source="step.step_count")
        estimated_minutes = serializers.IntegerField(source="step.estimated_minutes")
        blocks = StepBlockSerializer(source="step.blocks", many=True)
        previous = StepLinkSerializer(allow_null=True)
        next = StepLinkSerializer(allow_null=True)

    @extend_schema(operation_id="step_detail", parameters=[LANG_PARAMETER], responses=OutputSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        served = _program_in_language(request, program_slug)
        served["step"] = selectors.step_view(
            program=served["program"], module_slug=module_slug, step_slug=step_slug, language=served["language"]
        )
        served["previous"], served["next"] = served["outline"].neighbours(module_slug, step_slug)
        return _respond(self.OutputSerializer(served).data, served["language"])


class HelplineSerializer(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.CharField(help_text='"service", or "crisis" for a crisis line.')
    country = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField()
    description_html = serializers.CharField()
    opening_hours = serializers.CharField()
    website = serializers.CharField()
    onion_url = serializers.CharField()
    phone = serializers.CharField()
    chat_url = serializers.CharField()
    email = serializers.CharField()
    is_sample = serializers.BooleanField(help_text="Not yet verified by the operator.")


class HelplineListApi(ContentApiView):
    """The helpline directory, optionally for one country (plus international services)."""

    class OutputSerializer(ServedLanguageSerializer):
        helplines = HelplineSerializer(many=True)

    @extend_schema(
        operation_id="helplines_list",
        parameters=[LANG_PARAMETER, OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2")],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        requested = _requested_language(request)
        country = request.query_params.get("country", "").upper() or None
        if country is not None and (len(country) != 2 or not country.isalpha()):
            raise ValidationError({"country": [_("Use a two-letter country code.")]})
        # Helplines fall back field by field, so the served language is the requested one.
        data = {
            "requested_language": requested,
            "language": requested,
            "helplines": selectors.helpline_list(country=country),
        }
        return _respond(self.OutputSerializer(data).data, requested)
