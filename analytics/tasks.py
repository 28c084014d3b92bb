"""Release tasks. Their arguments are periods ("2026-11", "2026-Q4", "2026") or a kind of
period, never anything about a person."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from analytics import services
from analytics.disclosure import AuditFailed
from redirection.errors import ApplicationError


@shared_task(bind=True, max_retries=5, default_retry_delay=15 * 60, acks_late=True)
def release_period_task(self: Task, period: str) -> str:
    """Release ``period``; a failure retries, and a retry finishes what the failed run began."""
    try:
        return services.release(period=period).period
    except (ApplicationError, AuditFailed):
        raise  # a refusal (a bad period, the year's epsilon spent, an audit that cannot pass): retrying would not help
    except Exception as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=15 * 60, acks_late=True)
def release_last_period(self: Task, kind: str) -> str:
    """Release the last complete month, quarter or year (what beat runs after each ends)."""
    try:
        return services.release_last(kind=kind, today=timezone.now().date()).period
    except (ApplicationError, AuditFailed):
        raise
    except Exception as exc:
        raise self.retry(exc=exc) from exc
