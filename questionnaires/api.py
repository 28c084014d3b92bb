"""JSON API for a signed-in help-seeker's questionnaires: what is due, submit, my results."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpseekers.api import _signed_in
from helpseekers.authentication import IsHelpSeeker
from modules import selectors as content
from questionnaires import selectors, services
from questionnaires.models import Occasion


class NotOpen(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This questionnaire is not open: already answered or skipped, or not due yet."


def _occasion(program_slug: str, occasion_slug: str) -> Occasion:
    occasion = (
        Occasion.objects.select_related("instrument", "module")
        .filter(program__slug=program_slug, program__is_published=True, slug=occasion_slug)
        .first()
    )
    if occasion is None:
        raise Http404
    return occasion


class ResultSerializer(serializers.Serializer):
    """A result as the API returns it (documented shape of ``_result_data``)."""

    questionnaire = serializers.CharField()
    submitted_on = serializers.DateField()
    score = serializers.FloatField(allow_null=True)
    possible_range = serializers.ListField(child=serializers.FloatField())
    feedback = serializers.CharField()
    subscales = serializers.DictField(child=serializers.FloatField())
    change_from_baseline = serializers.FloatField(allow_null=True)
    history = serializers.ListField(child=serializers.DictField())
    show_help_now = serializers.BooleanField(help_text="Show the helplines and what to do right now.")


def _result_data(result: selectors.Result) -> dict[str, Any]:
    return {
        "questionnaire": result.instrument.slug,
        "submitted_on": result.response.submitted_on,
        "score": result.response.score,
        "possible_range": [result.low, result.high],
        "feedback": result.band_text,
        "subscales": dict(result.subscales),
        "change_from_baseline": result.change_from_baseline,
        "history": [{"occasion": p.occasion_slug, "date": p.submitted_on, "score": p.score} for p in result.history],
        "show_help_now": result.safety,
    }


class DueApi(APIView):
    """Questionnaires offered to me now, in every program."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(
        operation_id="questionnaires_due",
        responses=inline_serializer("DueQuestionnaires", {"due": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request: Request) -> Response:
        profile = _signed_in(request).profile
        due = [
            {"program": program.slug, "occasion": o.slug, "questionnaire": o.instrument.slug, "kind": o.kind}
            for program in content.program_list()
            for o in selectors.occasions_due(profile=profile, program_id=program.id)
        ]
        return Response({"due": due})


class SubmitApi(APIView):
    """Submit (or skip) the questionnaire of one occasion; returns my result."""

    permission_classes = [IsHelpSeeker]

    class SubmitInputSerializer(serializers.Serializer):
        answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
        skip = serializers.BooleanField(default=False)

    @extend_schema(
        operation_id="questionnaire_submit",
        request=SubmitInputSerializer,
        responses={201: ResultSerializer, 204: None},
    )
    def post(self, request: Request, program_slug: str, occasion_slug: str) -> Response:
        profile = _signed_in(request).profile
        occasion = _occasion(program_slug, occasion_slug)
        serializer = self.SubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["skip"]:
            services.response_skip(profile=profile, occasion=occasion)
            return Response(status=status.HTTP_204_NO_CONTENT)
        try:
            services.response_submit(
                profile=profile, occasion=occasion, answers=serializer.validated_data.get("answers", {})
            )
        except services.NotDue as exc:
            raise NotOpen from exc
        except services.ResponseInvalid as invalid:
            raise ValidationError({"answers": invalid.errors}) from invalid
        result = selectors.response_result(profile=profile, occasion=occasion, language=request.LANGUAGE_CODE)
        return Response(_result_data(result) if result else {}, status=status.HTTP_201_CREATED)


class ResultApi(APIView):
    """My result at one occasion, with my history on the same questionnaire."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="questionnaire_result", responses=ResultSerializer)
    def get(self, request: Request, program_slug: str, occasion_slug: str) -> Response:
        occasion = _occasion(program_slug, occasion_slug)
        result = selectors.response_result(
            profile=_signed_in(request).profile, occasion=occasion, language=request.LANGUAGE_CODE
        )
        if result is None:
            raise Http404
        return Response(_result_data(result))
