"""Release tasks. Their arguments are periods ("2026-11", "2026-Q4", "2026") or a kind of
period, never anything about a person."""

from __future__ import annotations

from collections.abc import Callable

from celery import Task, shared_task
from django.utils import timezone

from analytics import services
from analytics.disclosure import AuditFailed
from analytics.models import Release
from redirection.errors import ApplicationError


def _release_or_retry(task: Task, make: Callable[[], Release]) -> str:
    """Run ``make``; a failure retries, and a retry finishes what the failed run began. A
    refusal (a bad period, the year's epsilon spent, an audit that cannot pass) is final:
    retrying would not help."""
    try:
        return make().period
    except (ApplicationError, AuditFailed):
        raise
    except Exception as exc:
        raise task.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=15 * 60, acks_late=True)
def release_period_task(self: Task, period: str) -> str:
    """Release ``period``."""
    return _release_or_retry(self, lambda: services.release(period=period))


@shared_task(bind=True, max_retries=5, default_retry_delay=15 * 60, acks_late=True)
def release_last_period(self: Task, kind: str) -> str:
    """Release the last complete month, quarter or year (what beat runs after each ends)."""
    return _release_or_retry(self, lambda: services.release_last(kind=kind, today=timezone.now().date()))
