"""What the staff site stores of its own: the sign-in lock on account names, the audit trail
of staff events (sign-ins, review, publishing), translators' languages and the sources of
translations, and the review workflow: each language's review state, who edited a draft, and
the immutable published revisions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class SignInLock(models.Model):
    """Wrong passwords for one account name (existing or not), keyed by a digest of the
    name as typed after case-folding: never by a client address, which the application
    never sees. ``locked_until`` is set once the failures reach the limit."""

    name_digest = models.CharField(max_length=64, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"sign-in lock {self.name_digest[:8]}"


class StaffEvent(models.Model):
    """One staff event, appended and never changed: who (a staff account, kept by name too
    if the account is later removed), when, what. Help-seekers never appear here, and
    neither does anything typed into the sign-in form but a real account's name."""

    SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, LOCKED, PUBLISH = "sign_in", "sign_in_failed", "sign_out", "locked", "publish"
    SUBMIT, RETURN, RESTORE, IMPORT = "submit", "return", "restore", "import"
    KINDS = [
        (SIGN_IN, "signed in"),
        (SIGN_IN_FAILED, "wrong password"),
        (SIGN_OUT, "signed out"),
        (LOCKED, "name locked"),
        (PUBLISH, "languages published"),
        (SUBMIT, "submitted for review"),
        (RETURN, "returned to the draft"),
        (RESTORE, "revision restored into the draft"),
        (IMPORT, "translations imported"),
    ]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=16, choices=KINDS)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.kind}"


class TranslatorLanguage(models.Model):
    """A language a translator may edit. Administrators assign them in the staff site."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translator_languages")
    language = models.CharField(max_length=8, choices=[(code, name) for code, name in settings.LANGUAGES])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "language"], name="translatorlanguage_once")]

    def __str__(self) -> str:
        return f"{self.user} translates {self.language}"


class TranslationSource(models.Model):
    """Which source text (a digest of the fallback language's text) one translated field of
    one row was translated from, in one language. When the source changes, the digest no
    longer matches and the translation is outdated until a translator updates or confirms
    it. A translation with no record predates this and counts as current."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    field = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    source_digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"], name="translationsource_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}_{self.language} of {self.content_type_id}:{self.object_id}"


class LanguageReview(models.Model):
    """Where one language of one program stands in review: whether a change to its draft has
    been submitted, by whom, and when it was last published."""

    DRAFT, IN_REVIEW = "draft", "in_review"
    STATES = [(DRAFT, "draft"), (IN_REVIEW, "in review")]

    program = models.ForeignKey("modules.Program", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    state = models.CharField(max_length=12, choices=STATES, default=DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    returned_note = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "language"], name="languagereview_once"),
            models.CheckConstraint(
                condition=~models.Q(state="in_review") | models.Q(submitted_at__isnull=False),
                name="languagereview_submitted_has_time",
            ),
        ]
        permissions = [
            ("submit_review", "Can submit a language of a draft for review"),
            ("publish_language", "Can publish a reviewed language"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.get_state_display()}"


class DraftEdit(models.Model):
    """A staff member changed a language of a program's draft since that language was last
    published (structure counts as the source language). A reviewer who appears here for a
    language may not publish it: nobody reviews their own change."""

    program = models.ForeignKey("modules.Program", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "language", "user"], name="draftedit_once")]

    def __str__(self) -> str:
        return f"{self.user} edited {self.language}"


class RevisionImmutable(Exception):
    """A published revision is never changed or deleted."""


class Revision(models.Model):
    """One published state of a program, kept for ever: who published which languages, when,
    and the whole content as it then was, as a snapshot in the program-bundle shape
    (``authoring.revisions``). Saving an existing revision or deleting one is refused."""

    program = models.ForeignKey("modules.Program", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    languages = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="revision_number_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_from_one"),
        ]
        permissions = [("restore_revision", "Can restore a revision into the draft")]

    def __str__(self) -> str:
        return f"revision {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RevisionImmutable(f"revision {self.number} is published and never changes")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RevisionImmutable(f"revision {self.number} is published and never deleted")
