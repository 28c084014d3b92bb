"""JSON API for help-seekers: start, resume, sign out, progress, answers, diary, export, delete.

Start returns the codename once, with a session token; resume takes the codename and
returns a token. Every other call authenticates with ``Authorization: Bearer <token>``:
the codename never travels again after sign-in. Refusals are ``ApplicationError``s, turned
into JSON by the project's one API exception handler; every response comes from its output
serializer, so the OpenAPI schema and the responses cannot drift.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpseekers import selectors, services
from helpseekers.authentication import HelpSeekerTokenAuthentication, IsHelpSeeker
from helpseekers.current import signed_in_required
from helpseekers.errors import AlreadySignedIn
from helpseekers.models import Viewed, today
from modules import selectors as content


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")


class StartApi(APIView):
    """Create an anonymous profile. The codename is in this response only: keep it safe."""

    authentication_classes: list[type] = []

    class OutputSerializer(TokenSerializer):
        codename = serializers.CharField()
        created_on = serializers.DateField(source="profile.created_on")

    @extend_schema(operation_id="helpseeker_start", request=None, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        # A client that is signed in is refused (409), never silently given a second profile.
        try:
            if HelpSeekerTokenAuthentication().authenticate(request) is not None:
                raise AlreadySignedIn
        except AuthenticationFailed:
            pass  # an ended or unknown session: starting is what the client wants
        started = services.profile_start(language=get_language())
        return Response(self.OutputSerializer(started).data, status=status.HTTP_201_CREATED)


class ResumeApi(APIView):
    """Sign in with the codename; returns a session token."""

    authentication_classes: list[type] = []

    class InputSerializer(serializers.Serializer):
        codename = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(operation_id="helpseeker_resume", request=InputSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _profile, token = services.profile_resume(codename_text=serializer.validated_data["codename"], browser_key=None)
        return Response(TokenSerializer({"token": token}).data)


class SignOutApi(APIView):
    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_sign_out", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.session_end(token_digest=signed_in_required(request).token_digest)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """Delete everything: the profile and every row that belongs to it."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_delete", responses={204: None})
    def delete(self, request: Request) -> Response:
        services.profile_delete(profile=signed_in_required(request).profile)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ModuleProgressSerializer(serializers.Serializer):
    slug = serializers.CharField()
    steps_total = serializers.IntegerField()
    steps_completed = serializers.IntegerField()
    completed = serializers.BooleanField()


class ProgramProgressSerializer(serializers.Serializer):
    slug = serializers.CharField()
    modules = ModuleProgressSerializer(many=True)


class ContinueSerializer(serializers.Serializer):
    program = serializers.CharField(source="module.program.slug")
    module = serializers.CharField(source="module.slug")
    step = serializers.CharField(source="slug")


class ProgressApi(APIView):
    """Steps completed per module of every program, and where to continue."""

    permission_classes = [IsHelpSeeker]

    class OutputSerializer(serializers.Serializer):
        programs = ProgramProgressSerializer(many=True)

        def get_fields(self) -> dict[str, serializers.Field]:
            # "continue" is a Python keyword, so that field is added here, not as an attribute.
            fields = super().get_fields()
            fields["continue"] = ContinueSerializer(
                source="continue_at", allow_null=True, help_text="The step opened last, if it is still in use."
            )
            return fields

    @extend_schema(operation_id="helpseeker_progress", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        signed_in = signed_in_required(request)
        programs = [
            {
                "slug": program.slug,
                "modules": list(selectors.program_progress(signed_in=signed_in, program_id=program.id).values()),
            }
            for program in content.program_list()
        ]
        data = {"programs": programs, "continue_at": selectors.continue_step(signed_in=signed_in)}
        return Response(self.OutputSerializer(data).data)


def _step(program_slug: str, module_slug: str, step_slug: str) -> content.StepView:
    """The step's cached content (ids, exercise kinds, options), or 404."""
    program = content.program_get(slug=program_slug)
    return content.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=content.FALLBACK_LANGUAGE
    )


class StepStateSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="Exercise slug → text, number (scale) or list of option values."
    )


class StepAnswersApi(APIView):
    """Read or save my answers to one step's exercises."""

    permission_classes = [IsHelpSeeker]

    class InputSerializer(serializers.Serializer):
        answers = serializers.DictField(
            child=serializers.JSONField(allow_null=True),
            help_text="Exercise slug → text, number (scale), list of option values, or null to clear.",
        )

    @extend_schema(operation_id="helpseeker_step_answers", responses=StepStateSerializer)
    def get(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        step = _step(program_slug, module_slug, step_slug)
        state = selectors.step_state(signed_in=signed_in_required(request), step_id=step.id)
        return Response(StepStateSerializer(state).data)

    @extend_schema(operation_id="helpseeker_step_answers_save", request=InputSerializer, responses=StepStateSerializer)
    def put(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        signed_in = signed_in_required(request)
        step = _step(program_slug, module_slug, step_slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submitted = {slug: _as_values(value) for slug, value in serializer.validated_data["answers"].items()}
        services.step_answers_save(signed_in=signed_in, exercises=step.blocks, submitted=submitted)
        state = selectors.step_state(signed_in=signed_in, step_id=step.id)
        return Response(StepStateSerializer(state).data)


def _as_values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


class StepCompleteApi(APIView):
    """Mark one step completed (idempotent)."""

    permission_classes = [IsHelpSeeker]

    class OutputSerializer(serializers.Serializer):
        module_completed = serializers.BooleanField(help_text="Whether this completed the step's module.")

    @extend_schema(operation_id="helpseeker_step_complete", request=None, responses=OutputSerializer)
    def post(self, request: Request, program_slug: str, module_slug: str, step_slug: str) -> Response:
        signed_in = signed_in_required(request)
        step = _step(program_slug, module_slug, step_slug)
        module_completed = services.step_complete(
            profile=signed_in.profile, step_id=step.id, module_id=step.module_id, program_id=step.program_id
        )
        return Response(self.OutputSerializer({"module_completed": module_completed}).data)


# --- Diary ------------------------------------------------------------------------------


class DiaryEntrySerializer(serializers.Serializer):
    day = serializers.DateField()
    urge = serializers.IntegerField(min_value=0, max_value=10, help_text="The day's strongest urge, 0 to 10.")
    viewed = serializers.ChoiceField(choices=Viewed.values, help_text="no, yes, or unsaid (prefer not to say).")
    hours = serializers.FloatField(allow_null=True, help_text="Hours of viewing, when the reader viewed.")
    helped = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of what helped, and plan-<id> for the reader's own plan items."
    )
    note = serializers.CharField(allow_blank=True, help_text="The reader's note, decrypted for them only.")


class DiaryRunsSerializer(serializers.Serializer):
    without_viewing = serializers.IntegerField(help_text="Days recorded without viewing.")
    current = serializers.IntegerField(help_text="The run without viewing now.")
    longest = serializers.IntegerField()
    slipped_on = serializers.DateField(allow_null=True, help_text="The latest entry's day, when it records viewing.")


class DiaryWeekSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    recorded = serializers.IntegerField()
    without_viewing = serializers.IntegerField()
    viewed = serializers.IntegerField()
    highest_urge = serializers.IntegerField(allow_null=True)
    mean_urge = serializers.FloatField(allow_null=True)
    hours = serializers.FloatField(allow_null=True)


class DiaryApi(APIView):
    """My private diary: the last 12 weeks (entries, runs without viewing, weeks), and
    writing a day's entry (today's, or a missed day's; today's may be replaced)."""

    permission_classes = [IsHelpSeeker]

    class InputSerializer(serializers.Serializer):
        # Strings, checked by the service, so its messages (in the reader's language) are
        # the API's too, field by field.
        day = serializers.CharField(max_length=10, help_text="YYYY-MM-DD: today, or a missed day up to a few back.")
        urge = serializers.CharField(max_length=4)
        viewed = serializers.CharField(max_length=8)
        hours = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
        helped = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list)
        note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
        replace = serializers.BooleanField(required=False, default=False, help_text="Change the day's entry.")

    class OutputSerializer(serializers.Serializer):
        entries = DiaryEntrySerializer(many=True)
        runs = DiaryRunsSerializer()
        weeks = DiaryWeekSerializer(many=True)

    def _diary(self, signed_in: services.SignedIn) -> dict[str, Any]:
        weeks = selectors.diary_weeks(profile=signed_in.profile, on=today())
        return {
            "entries": selectors.diary_entries(signed_in=signed_in, since=weeks[0].starts_on),
            "runs": selectors.diary_runs(profile=signed_in.profile),
            "weeks": weeks,
        }

    @extend_schema(operation_id="helpseeker_diary", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(self._diary(signed_in_required(request))).data)

    @extend_schema(
        operation_id="helpseeker_diary_write", request=InputSerializer, responses={201: DiaryEntrySerializer}
    )
    def post(self, request: Request) -> Response:
        signed_in = signed_in_required(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = services.diary_save(
            signed_in=signed_in,
            submitted=services.DiaryInput(
                day=data["day"],
                urge=data["urge"],
                viewed=data["viewed"],
                hours=data["hours"],
                helped=data["helped"],
                note=data["note"],
                replace=data["replace"],
            ),
        )
        entry = selectors.diary_day(signed_in=signed_in, entry=saved)
        return Response(DiaryEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
