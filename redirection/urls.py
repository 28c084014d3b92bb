"""Top-level URLs: every app's pages and API are mounted here, and only here.

Apps are included by dotted name, so this module imports none of them: the one-way layers
(``lint-imports``) hold for the project package too. Help-seeker pages sit under a language
prefix; ``/healthz`` is answered by ``redirection.health.HealthCheckMiddleware``.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns: list[URLPattern | URLResolver] = [
    # Help-seeker pages first: they are most of the traffic, and patterns are tried in order.
    *i18n_patterns(
        path("", include("journey.urls")),
        path("", include("modules.urls")),
        prefix_default_language=True,
    ),
    path(settings.STAFF_PATH, admin.site.urls),
    path("evaluation/", include("analytics.urls")),
    path("api/v1/", include("modules.api_urls")),
    path("api/v1/helpseekers/", include("helpseekers.api_urls")),
    path("api/v1/helpseekers/", include("journey.api_urls")),
    path("api/v1/helpseekers/me/questionnaires/", include("questionnaires.api_urls")),
    path("api/v1/evaluation/", include("analytics.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Under /api/ an error outside any view answers in JSON, like the API's own refusals.
handler400 = "redirection.api.bad_request"
handler404 = "redirection.api.page_not_found"
handler500 = "redirection.api.server_error"
