"""Anonymous help-seekers: profiles, sign-in sessions, progress and answers.

A profile holds no name, address, contact or device detail. It is found by a keyed digest
of its codename; free-text answers are encrypted with a key derived from the codename, which
the server never stores. Everything is dated by day except sign-in sessions, which need
minutes for their timeouts and are deleted when they end. Deleting a profile deletes every
row that belongs to it (every foreign key to the profile cascades). Content is pointed at with
``PROTECT``: a clinician's edit retires content and never deletes anyone's progress or answers.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.models import SCALE_MAX, SCALE_MIN, Block, Module, Step


def today() -> date:
    """The current UTC date: profiles are dated by day, never by time."""
    return timezone.now().date()


class HelpSeekerProfile(models.Model):
    """One anonymous help-seeker. Everything they own points here and is deleted with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Argon2id(normalised codename, installation pepper): deterministic, so it finds the
    # profile, and useless without the pepper, which is not in the database.
    codename_digest = models.BinaryField(max_length=32, unique=True, editable=False)
    # Salt for deriving the answer key (HKDF). Not secret.
    key_salt = models.BinaryField(max_length=16, editable=False)
    # Which key scheme the digest, the answer key and the answers follow (helpseekers.crypto):
    # 2 for every profile made or signed in since it came; 1 until an older one signs in.
    key_scheme = models.PositiveSmallIntegerField(default=2, editable=False)
    language = models.CharField(max_length=8, default="en")
    created_on = models.DateField(default=today, editable=False)
    last_active_on = models.DateField(default=today, db_index=True)
    last_step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_active_on__gte=F("created_on")),
                name="helpseekerprofile_active_not_before_created",
            ),
            models.CheckConstraint(condition=Q(key_scheme__in=(1, 2)), name="helpseekerprofile_known_key_scheme"),
        ]
        indexes = [
            # Finding the profiles still on the old scheme is one index probe.
            models.Index(fields=["key_scheme"], condition=Q(key_scheme=1), name="profile_legacy_scheme"),
        ]

    def __str__(self) -> str:
        # Never show anything that could be tied to a person; the id is opaque.
        return f"profile {str(self.id)[:8]}"


class HelpSeekerSession(models.Model):
    """A signed-in session, for the web pages (a cookie) and the API (a bearer token).

    The token is ``<id>.<wrapped key>``; only a SHA-256 digest of the id is stored, and the
    answer key travels inside the token, encrypted with a key derived from ``SECRET_KEY``.
    A database dump therefore holds neither a usable token nor any answer key.
    """

    token_digest = models.BinaryField(max_length=32, primary_key=True, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="sessions")
    # Minute resolution is enough for idle and absolute timeouts.
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_seen_at__gte=F("signed_in_at")), name="helpseekersession_seen_after_sign_in"
            ),
        ]

    def __str__(self) -> str:
        return f"session of {self.profile}"


class StepProgress(models.Model):
    """A help-seeker's progress on one step: viewed on a day, completed on a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="step_progress")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    first_viewed_on = models.DateField(default=today)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "step"], name="stepprogress_once_per_step"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("first_viewed_on")),
                name="stepprogress_completed_after_viewed",
            ),
        ]
        indexes = [models.Index(fields=["step", "completed_on"], name="stepprogress_step_completed")]

    def __str__(self) -> str:
        return f"progress on step {self.step_id}"


class ModuleCompletion(models.Model):
    """The day a help-seeker completed every step of a module (for progress and statistics)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(default=today)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "module"], name="modulecompletion_once_per_module"),
        ]

    def __str__(self) -> str:
        return f"module {self.module_id} completed"


class ExerciseAnswer(models.Model):
    """A help-seeker's answer to one exercise.

    Free text and plan items are stored only encrypted (AES-GCM, key derived from the
    codename). Choices and scale values are stored as values, since they feed statistics;
    they never contain free text.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="answers")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="+")
    updated_on = models.DateField(default=today)
    encrypted_text = models.BinaryField(null=True, blank=True, editable=False)
    choices = models.JSONField(null=True, blank=True)
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "block"], name="exerciseanswer_once_per_exercise"),
            models.CheckConstraint(
                condition=(
                    Q(encrypted_text__isnull=False, choices__isnull=True, scale_value__isnull=True)
                    | Q(encrypted_text__isnull=True, choices__isnull=False, scale_value__isnull=True)
                    | Q(encrypted_text__isnull=True, choices__isnull=True, scale_value__isnull=False)
                ),
                name="exerciseanswer_exactly_one_value",
            ),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=SCALE_MIN, scale_value__lte=SCALE_MAX),
                name="exerciseanswer_scale_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to block {self.block_id}"


class Viewed(models.TextChoices):
    """The diary's question "did you view abuse material today?"."""

    NO = "no", _("No")
    YES = "yes", _("Yes")
    UNSAID = "unsaid", _("I prefer not to say")


class Helped(models.TextChoices):
    """What helped, as the diary offers it to everyone (besides the reader's own plan items)."""

    BREATHING = "breathing", _("A breathing or grounding exercise")
    LEFT_DEVICE = "left-device", _("Leaving the device")
    PEOPLE = "people", _("Being with other people")
    TALKED = "talked", _("Talking to someone I trust")
    HELPLINE = "helpline", _("A helpline or a professional")
    MOVING = "moving", _("Exercise or a walk")
    ACTIVITY = "activity", _("Doing something I enjoy")
    REASONS = "reasons", _("Remembering my reasons to change")
    SLEEP = "sleep", _("Going to sleep")
    PROGRAM = "program", _("Working on this program")


PLAN_HELPED_PREFIX = "plan-"  # + the id of a plan item the reader wrote
DIARY_URGE_MAX = 10
DIARY_HOURS_MAX = 24


class DiaryEntry(models.Model):
    """One day of a help-seeker's private diary: the strongest urge, whether they viewed
    material (and for how long), what helped, and a note.

    One entry per day. The note is free text and stored only encrypted, like answers; the
    rest are values (codes and numbers, never free text). ``helped`` holds ``Helped`` codes
    and ``plan-<block id>`` for one of the reader's own plan items (only the codes may
    feed statistics). Nobody but the help-seeker sees an entry.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(HelpSeekerProfile, on_delete=models.CASCADE, related_name="diary_entries")
    day = models.DateField()
    urge = models.PositiveSmallIntegerField()
    viewed = models.CharField(max_length=8, choices=Viewed.choices)
    hours = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    helped = models.JSONField(default=list, blank=True)
    encrypted_note = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "day"], name="diaryentry_once_per_day"),
            models.CheckConstraint(condition=Q(urge__lte=DIARY_URGE_MAX), name="diaryentry_urge_in_range"),
            models.CheckConstraint(condition=Q(viewed__in=Viewed.values), name="diaryentry_viewed_known"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(viewed=Viewed.YES, hours__gte=0, hours__lte=DIARY_HOURS_MAX),
                name="diaryentry_hours_only_when_viewed",
            ),
        ]

    def __str__(self) -> str:
        return f"diary entry of {self.profile}"
