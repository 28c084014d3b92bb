"""Top-level URLs: language-prefixed help-seeker pages, the staff admin, health, API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from redirection.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("modules.urls")),
    prefix_default_language=True,
)
