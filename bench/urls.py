"""The project's URLs plus ``/bench/floor/``: a bare view returning fixed bytes.

The floor goes through the same gunicorn, middleware and headers as every page; only the
view's own work (queries, selectors, templates) is missing. It is the ceiling the real step
page is measured against.
"""

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from redirection.urls import urlpatterns as project_urlpatterns

FLOOR_BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes() if "BENCH_FLOOR_BODY" in os.environ else b""


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")


urlpatterns: list[URLPattern | URLResolver] = [path("bench/floor/", floor), *project_urlpatterns]
