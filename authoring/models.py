"""What the staff site stores of its own: for now, the sign-in lock on account names."""

from __future__ import annotations

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
