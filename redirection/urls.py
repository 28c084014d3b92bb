"""Top-level URLs: language-prefixed help-seeker pages and the staff admin.

``/healthz`` is answered by ``redirection.health.HealthCheckMiddleware``.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("modules.api_urls")),
    path("api/v1/helpseekers/", include("helpseekers.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *i18n_patterns(
        path("", include("modules.urls")),
        path("", include("helpseekers.urls")),
        path("", include("questionnaires.urls")),
        prefix_default_language=True,
    ),
]
