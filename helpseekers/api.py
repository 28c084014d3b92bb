"""JSON API for help-seekers: start, resume, sign out, progress, answers, export, delete.

Start returns the codename once, with a session token; resume takes the codename and
returns a token. Every other call authenticates with ``Authorization: Bearer <token>``:
the codename never travels again after sign-in.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpseekers import selectors, services
from helpseekers.authentication import IsHelpSeeker
from helpseekers.views import SIGN_IN_MESSAGES
from modules import selectors as content


class SignInUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE


class SignInThrottled(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS


def _signed_in(request: Request) -> services.SignedIn:
    """The signed-in help-seeker (``IsHelpSeeker`` has let only them through)."""
    return cast(services.SignedIn, request.auth)


def _refusal(refused: services.SignInRefused) -> APIException:
    message, http_status = SIGN_IN_MESSAGES[refused.reason]
    if http_status == status.HTTP_429_TOO_MANY_REQUESTS:
        return SignInThrottled(str(message))
    if http_status == status.HTTP_503_SERVICE_UNAVAILABLE:
        return SignInUnavailable(str(message))
    return ValidationError({"codename": [str(message)]})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")


class StartApi(APIView):
    """Create an anonymous profile. The codename is in this response only: keep it safe."""

    authentication_classes: list[type] = []

    class StartOutputSerializer(TokenSerializer):
        codename = serializers.CharField()
        created_on = serializers.DateField()

    @extend_schema(operation_id="helpseeker_start", request=None, responses={201: StartOutputSerializer})
    def post(self, request: Request) -> Response:
        try:
            started = services.profile_start(language=get_language())
        except services.SignInRefused as refused:
            raise _refusal(refused) from refused
        data = {"codename": started.codename, "token": started.token, "created_on": started.profile.created_on}
        return Response(self.StartOutputSerializer(data).data, status=status.HTTP_201_CREATED)


class ResumeApi(APIView):
    """Sign in with the codename; returns a session token."""

    authentication_classes: list[type] = []

    class ResumeInputSerializer(serializers.Serializer):
        codename = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(operation_id="helpseeker_resume", request=ResumeInputSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.ResumeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            _profile, token = services.profile_resume(
                codename_text=serializer.validated_data["codename"], browser_key=None
            )
        except services.SignInRefused as refused:
            raise _refusal(refused) from refused
        return Response(TokenSerializer({"token": token}).data)


class SignOutApi(APIView):
    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_sign_out", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.session_end(token_digest=_signed_in(request).token_digest)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """Delete everything: the profile and every row that belongs to it."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_delete", responses={204: None})
    def delete(self, request: Request) -> Response:
        services.profile_delete(profile=_signed_in(request).profile)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgressApi(APIView):
    """Steps completed per module of every program, and where to continue."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(
        operation_id="helpseeker_progress",
        responses=inline_serializer(
            "HelpSeekerProgress",
            {"programs": serializers.ListField(child=serializers.DictField()), "continue": serializers.DictField()},
        ),
    )
    def get(self, request: Request) -> Response:
        signed_in = _signed_in(request)
        programs = []
        for program in content.program_list():
            progress = selectors.program_progress(signed_in=signed_in, program_id=program.id)
            modules = [
                {
                    "slug": entry.slug,
                    "steps_total": entry.steps_total,
                    "steps_completed": entry.steps_completed,
                    "completed": entry.completed,
                }
                for entry in progress.values()
            ]
            programs.append({"slug": program.slug, "modules": modules})
        step = selectors.continue_step(signed_in=signed_in)
        continue_at = (
            {"program": step.module.program.slug, "module": step.module.slug, "step": step.slug} if step else None
        )
        return Response({"programs": programs, "continue": continue_at})


def _step(program_slug: str, module_slug: str, step_slug: str) -> content.StepView:
    """The step's cached content (ids, exercise kinds, options), or 404."""
    program = content.program_get(slug=program_slug)
    return content.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=content.FALLBACK_LANGUAGE
    )


class StepAnswersApi(APIView):
    """Read or save my answers to one step's exercises."""

    permission_classes = [IsHelpSeeker]

    class AnswersInputSerializer(serializers.Serializer):
        answers = serializers.DictField(
            child=serializers.JSONField(allow_null=True),
            help_text="Exercise slug → text, number (scale), list of option values, or null to clear.",
        )

    class StepStateSerializer(serializers.Serializer):
        completed = serializers.BooleanField()
        answers = serializers.DictField(child=serializers.JSONField())

    @extend_schema(operation_id="helpseeker_step_answers", responses=StepStateSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        step = _step(program_slug, module_slug, step_slug)
        state = selectors.step_state(signed_in=_signed_in(request), step_id=step.id)
        return Response({"completed": state.completed, "answers": state.answers})

    @extend_schema(
        operation_id="helpseeker_step_answers_save", request=AnswersInputSerializer, responses=StepStateSerializer
    )
    def put(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        step = _step(program_slug, module_slug, step_slug)
        serializer = self.AnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submitted = {slug: _as_values(value) for slug, value in serializer.validated_data["answers"].items()}
        try:
            services.step_answers_save(signed_in=_signed_in(request), exercises=step.blocks, submitted=submitted)
        except services.AnswersInvalid as invalid:
            raise ValidationError({"answers": invalid.errors}) from invalid
        state = selectors.step_state(signed_in=_signed_in(request), step_id=step.id)
        return Response({"completed": state.completed, "answers": state.answers})


def _as_values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, bool):
        return [str(value)]
    return [str(value)]


class StepCompleteApi(APIView):
    """Mark one step completed (idempotent)."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(
        operation_id="helpseeker_step_complete",
        request=None,
        responses=inline_serializer("StepCompleted", {"module_completed": serializers.BooleanField()}),
    )
    def post(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        step = _step(program_slug, module_slug, step_slug)
        module_completed = services.step_complete(
            profile=_signed_in(request).profile, step_id=step.id, module_id=step.module_id
        )
        return Response({"module_completed": module_completed})


class ExportApi(APIView):
    """Everything stored about me, readable (free text decrypted with my session's key)."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_export", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(selectors.profile_export(signed_in=_signed_in(request)))
