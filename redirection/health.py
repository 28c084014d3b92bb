"""``/healthz``: is the database reachable, is the broker reachable. No details, ever."""

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

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


HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer ``/healthz`` itself, before ``ALLOWED_HOSTS`` is checked.

    Container and load-balancer probes reach the process by its own address, which is not
    (and should not be) an allowed host. The reply holds no data worth a Host check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return healthz()


def healthz() -> JsonResponse:
    """200 when the web process can serve help-seekers (the database answers).

    A broker outage is reported but does not make the web process unhealthy: help-seekers
    never wait on Redis, so restarting web containers would only make things worse.
    """
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = checks["database"] == OK
    return JsonResponse({"status": OK if healthy else UNAVAILABLE, **checks}, status=200 if healthy else 503)
