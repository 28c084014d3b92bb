"""The help-seeker's composed API (``/api/v1/helpseekers/``)."""

from django.urls import path

from journey import api

urlpatterns = [
    path("me/export/", api.ExportApi.as_view(), name="api-helpseeker-export"),
]
