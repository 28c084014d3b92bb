"""The physical floor: a bare Django app with no middleware, no database and no templates,
returning fixed bytes (``BENCH_FLOOR_BODY``) at ``/bench/floor/``.

Served by the same gunicorn configuration as the project (``deploy/gunicorn.conf.py``), so
what the step page costs above it is everything the project adds: middleware, URL routing
under language prefixes, the program lookup, the cache, the view.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes() if "BENCH_FLOOR_BODY" in os.environ else b""


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-floor-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)
urlpatterns = [path("bench/floor/", floor)]
application = get_wsgi_application()
