"""Anonymous help-seeker profiles.

A profile holds no name, address, contact or device detail. It is dated by day, not by
timestamp, and is deleted whole when the help-seeker asks or after a period of inactivity.
"""

import uuid
from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


def today() -> date:
    """The current UTC date: profiles are dated by day, never by time."""
    return timezone.now().date()


class HelpSeekerProfile(models.Model):
    """One anonymous help-seeker. Everything they own points here and is deleted with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_on = models.DateField(default=today, editable=False)
    last_active_on = models.DateField(default=today, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_active_on__gte=F("created_on")),
                name="helpseekerprofile_active_not_before_created",
            ),
        ]

    def __str__(self) -> str:
        # Never show anything that could be tied to a person; the id is opaque.
        return f"profile {str(self.id)[:8]}"
