"""What the staff site stores of its own: the sign-in lock on account names, and the audit
trail of staff events (sign-ins, publishing)."""

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
    KINDS = [
        (SIGN_IN, "signed in"),
        (SIGN_IN_FAILED, "wrong password"),
        (SIGN_OUT, "signed out"),
        (LOCKED, "name locked"),
        (PUBLISH, "languages published"),
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
