"""Top-level URLs: language-prefixed help-seeker pages and the staff admin.

``/healthz`` is answered by ``redirection.health.HealthCheckMiddleware``.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("modules.urls")),
        prefix_default_language=True,
    ),
]
