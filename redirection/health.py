"""``/healthz``: is the database reachable, is the broker reachable. No details, ever."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_USED = "not used"


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "unavailable"; the reason stays out of the reply
        return UNAVAILABLE
    return OK


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return NOT_USED
    from redirection.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return UNAVAILABLE
    return OK


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the web process can serve help-seekers (the database answers).

    A broker outage is reported but does not make the web process unhealthy: help-seekers
    never wait on Redis, so restarting web containers would only make things worse.
    """
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = checks["database"] == OK
    return JsonResponse({"status": OK if healthy else UNAVAILABLE, **checks}, status=200 if healthy else 503)
