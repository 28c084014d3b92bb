"""Writes for anonymous profiles."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpseekers.models import HelpSeekerProfile


def profile_purge_inactive(*, today: date | None = None, batch_size: int = 500) -> int:
    """Delete one batch of profiles inactive for more than ``RETENTION_DAYS``.

    Returns how many profiles were deleted; a result equal to ``batch_size`` means more may
    remain. Deleting a profile deletes every row that belongs to it (cascades), so one
    batch is one transaction. Running it again deletes nothing more: it is idempotent.
    """
    today = today or timezone.now().date()
    cutoff = today - timedelta(days=settings.RETENTION_DAYS)
    with transaction.atomic():
        ids = list(
            HelpSeekerProfile.objects.filter(last_active_on__lt=cutoff)
            .order_by("last_active_on")
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            HelpSeekerProfile.objects.filter(id__in=ids).delete()
    return len(ids)
