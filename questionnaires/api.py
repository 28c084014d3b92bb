"""JSON API for a signed-in help-seeker's questionnaires: what is due, submit, my results.

Refusals are ``ApplicationError``s (``questionnaires.errors``), turned into JSON by the
project's one API exception handler; responses come from their output serializers.
Texts (feedback, subscale titles) follow the program's language gate, like its content.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpseekers.authentication import IsHelpSeeker
from helpseekers.current import signed_in_required
from modules import selectors as content
from modules.api import StepLinkSerializer
from questionnaires import selectors, services
from questionnaires.models import Occasion


class HistoryPointSerializer(serializers.Serializer):
    occasion = serializers.CharField(source="occasion_slug")
    date = serializers.DateField(source="submitted_on")
    score = serializers.FloatField()


class FeedbackMessageSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text='"concern", "safety" (show the helplines) or "crisis" (show crisis lines).')
    text = serializers.CharField()
    step = serializers.SerializerMethodField(help_text="The step this feedback points to, if any.")

    @extend_schema_field(StepLinkSerializer(allow_null=True))
    def get_step(self, message: selectors.FeedbackMessage) -> dict[str, str] | None:
        target = message.step
        if target is None:
            return None
        return {"module": target.module_slug, "slug": target.step_slug, "title": target.title}


class ResultSerializer(serializers.Serializer):
    """My result at one occasion (``questionnaires.selectors.Result``)."""

    questionnaire = serializers.CharField(source="instrument_slug")
    language = serializers.CharField(help_text="The language the feedback is in.")
    submitted_on = serializers.DateField()
    score = serializers.FloatField(allow_null=True)
    possible_range = serializers.SerializerMethodField()
    feedback = serializers.CharField(
        source="band_text",
        help_text="The score band's text; empty when a message on the answers (messages) takes its place.",
    )
    subscales = serializers.DictField(
        child=serializers.FloatField(), source="subscale_scores", help_text="By title, as answered."
    )
    change_from_baseline = serializers.FloatField(allow_null=True)
    better = serializers.CharField(help_text='Which scores are better: "lower" or "higher".')
    change_is_improvement = serializers.BooleanField(allow_null=True)
    messages = FeedbackMessageSerializer(many=True, help_text="Feedback on the answers, shown before the score.")
    history = HistoryPointSerializer(many=True)
    show_help_now = serializers.BooleanField(source="safety", help_text="Show the helplines and what to do right now.")

    def get_possible_range(self, result: selectors.Result) -> list[float]:
        return [float(result.low), float(result.high)]


def _occasion_in_language(program_slug: str, occasion_slug: str) -> tuple[Occasion, str]:
    """The occasion of a published program, and the language its texts are served in."""
    program = content.program_get(slug=program_slug)
    language = content.content_language_for(program=program, requested=get_language())
    return selectors.occasion_get(program_id=program.id, slug=occasion_slug), language


class DueSerializer(serializers.Serializer):
    program = serializers.CharField(source="program.slug")
    occasion = serializers.CharField(source="slug")
    questionnaire = serializers.CharField(source="instrument.slug")
    kind = serializers.CharField()


class DueApi(APIView):
    """Questionnaires offered to me now, in every program."""

    permission_classes = [IsHelpSeeker]

    class OutputSerializer(serializers.Serializer):
        due = DueSerializer(many=True)

    @extend_schema(operation_id="questionnaires_due", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        profile = signed_in_required(request).profile
        due = [
            occasion
            for program in content.program_list()
            for occasion in selectors.occasions_due(profile=profile, program_id=program.id)
        ]
        return Response(self.OutputSerializer({"due": due}).data)


class SubmitApi(APIView):
    """Submit (or skip) the questionnaire of one occasion; returns my result."""

    permission_classes = [IsHelpSeeker]

    class InputSerializer(serializers.Serializer):
        answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
        skip = serializers.BooleanField(default=False)

    @extend_schema(
        operation_id="questionnaire_submit", request=InputSerializer, responses={201: ResultSerializer, 204: None}
    )
    def post(self, request: Request, program_slug: str, occasion_slug: str) -> Response:
        profile = signed_in_required(request).profile
        occasion, language = _occasion_in_language(program_slug, occasion_slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["skip"]:
            services.response_skip(profile=profile, occasion=occasion)
            return Response(status=status.HTTP_204_NO_CONTENT)
        services.response_submit(
            profile=profile, occasion=occasion, answers=serializer.validated_data.get("answers", {})
        )
        result = selectors.response_result(profile=profile, occasion=occasion, language=language)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ResultApi(APIView):
    """My result at one occasion, with my history on the same questionnaire."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="questionnaire_result", responses=ResultSerializer)
    def get(self, request: Request, program_slug: str, occasion_slug: str) -> Response:
        occasion, language = _occasion_in_language(program_slug, occasion_slug)
        result = selectors.response_result(
            profile=signed_in_required(request).profile, occasion=occasion, language=language
        )
        if result is None:
            raise Http404
        return Response(ResultSerializer(result).data)
