"""The shape of "Download my data": the JSON file and the API's export are the same document."""

from __future__ import annotations

from rest_framework import serializers


class ExportedProfileSerializer(serializers.Serializer):
    created_on = serializers.DateField()
    last_active_on = serializers.DateField()
    language = serializers.CharField()


class ExportedSessionSerializer(serializers.Serializer):
    signed_in_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()


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
    step_title = serializers.CharField()
    exercise = serializers.CharField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    answer = serializers.JSONField(help_text="Text, a number (scale), or a list of option values.")
    answer_labels = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="The chosen options in words, for choices."
    )
    updated_on = serializers.DateField()


class ExportedItemAnswerSerializer(serializers.Serializer):
    item = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.JSONField(help_text="An option value, or a number.")
    answer_label = serializers.CharField(allow_null=True)


class ExportedResponseSerializer(serializers.Serializer):
    program = serializers.CharField()
    occasion = serializers.CharField()
    round = serializers.IntegerField(help_text="The round of a repeating occasion (from 1); 0 for the others.")
    questionnaire = serializers.CharField()
    title = serializers.CharField()
    submitted_on = serializers.DateField()
    skipped = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    subscale_scores = serializers.DictField(child=serializers.FloatField(allow_null=True))
    answers = ExportedItemAnswerSerializer(many=True)


class ExportedDiaryEntrySerializer(serializers.Serializer):
    day = serializers.DateField()
    urge = serializers.IntegerField(help_text="The day's strongest urge, 0 to 10.")
    viewed = serializers.ChoiceField(choices=["no", "yes", "unsaid"])
    viewed_label = serializers.CharField()
    hours = serializers.FloatField(allow_null=True, help_text="Hours of viewing, when recorded.")
    helped = serializers.ListField(child=serializers.CharField())
    helped_labels = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)


class FullExportSerializer(serializers.Serializer):
    """Everything stored about the help-seeker (``journey.export.FullExport``)."""

    format = serializers.CharField()
    language = serializers.CharField()
    profile = ExportedProfileSerializer()
    sessions = ExportedSessionSerializer(many=True)
    progress = ExportedProgressSerializer(many=True)
    modules_completed = ExportedCompletionSerializer(many=True)
    answers = ExportedAnswerSerializer(many=True)
    plan = ExportedAnswerSerializer(many=True)
    questionnaires = ExportedResponseSerializer(many=True)
    diary = ExportedDiaryEntrySerializer(many=True)
    not_stored = serializers.ListField(child=serializers.CharField())
