"""The project's URLs plus the floors the benchmarks measure against.

- ``/bench/floor/``: a bare view returning fixed bytes (the step page's, for its benchmark).
- ``/bench/insert/``: a bare view doing one insert and redirecting, like a form post.

Both go through the same gunicorn, middleware and headers as every page; only the view's
own work is missing.
"""

import os
from pathlib import Path

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_POST

from redirection.urls import urlpatterns as project_urlpatterns

FLOOR_BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes() if "BENCH_FLOOR_BODY" in os.environ else b""
FLOOR_TABLE = "bench_floor_insert"


@transaction.non_atomic_requests
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (value, created_on) VALUES (%s, CURRENT_DATE)", [1])  # noqa: S608
    return HttpResponseRedirect("/bench/floor/")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/", floor),
    path("bench/insert/", insert),
    *project_urlpatterns,
]
