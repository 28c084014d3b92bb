"""Output shapes shared by the help-seeker API and the web download of one's data."""

from __future__ import annotations

from rest_framework import serializers


class ExportedProfileSerializer(serializers.Serializer):
    created_on = serializers.DateField()
    last_active_on = serializers.DateField()
    language = serializers.CharField()


class ExportedProgressSerializer(serializers.Serializer):
    program = serializers.CharField()
    module = serializers.CharField()
    step = serializers.CharField()
    first_viewed_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)


class ExportedCompletionSerializer(serializers.Serializer):
    program = serializers.CharField()
    module = serializers.CharField()
    completed_on = serializers.DateField()


class ExportedAnswerSerializer(serializers.Serializer):
    program = serializers.CharField()
    module = serializers.CharField()
    step = serializers.CharField()
    exercise = serializers.CharField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    answer = serializers.JSONField(help_text="Text, a number (scale), or a list of option values.")
    updated_on = serializers.DateField()


class ProfileExportSerializer(serializers.Serializer):
    """Everything stored about the help-seeker (``helpseekers.selectors.ProfileExport``)."""

    format = serializers.CharField()
    profile = ExportedProfileSerializer()
    progress = ExportedProgressSerializer(many=True)
    modules_completed = ExportedCompletionSerializer(many=True)
    answers = ExportedAnswerSerializer(many=True)
    plan = ExportedAnswerSerializer(many=True)
    not_stored = serializers.ListField(child=serializers.CharField())
