"""A signed-in help-seeker's questionnaire API (``/api/v1/helpseekers/me/questionnaires/``)."""

from django.urls import path

from questionnaires import api

urlpatterns = [
    path("", api.DueApi.as_view(), name="api-questionnaires-due"),
    path("<slug:program_slug>/<slug:occasion_slug>/", api.SubmitApi.as_view(), name="api-questionnaire-submit"),
    path("<slug:program_slug>/<slug:occasion_slug>/result/", api.ResultApi.as_view(), name="api-questionnaire-result"),
]
