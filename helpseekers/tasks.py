"""Housekeeping tasks for anonymous profiles. Thin: they take dates or nothing, never data."""

from celery import Task, shared_task

from helpseekers.services import profile_purge_inactive, session_purge_expired

PURGE_BATCH_SIZE = 500


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def profile_purge_inactive_task(self: Task) -> int:
    """Purge one batch of inactive profiles and requeue itself while batches stay full."""
    try:
        deleted = profile_purge_inactive(batch_size=PURGE_BATCH_SIZE)
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    if deleted == PURGE_BATCH_SIZE:
        profile_purge_inactive_task.apply_async()
    return deleted


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def session_purge_expired_task(self: Task) -> int:
    """End sign-in sessions past their idle or absolute timeout."""
    try:
        return session_purge_expired()
    except Exception as exc:
        raise self.retry(exc=exc) from exc
