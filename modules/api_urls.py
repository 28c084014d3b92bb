"""JSON API routes for content (``/api/v1/``)."""

from django.urls import path

from modules import api

urlpatterns = [
    path("programs/", api.ProgramListApi.as_view(), name="api-program-list"),
    path("programs/<slug:program_slug>/", api.ProgramDetailApi.as_view(), name="api-program-detail"),
    path(
        "programs/<slug:program_slug>/modules/<slug:module_slug>/",
        api.ModuleDetailApi.as_view(),
        name="api-module-detail",
    ),
    path(
        "programs/<slug:program_slug>/modules/<slug:module_slug>/steps/<slug:step_slug>/",
        api.StepDetailApi.as_view(),
        name="api-step-detail",
    ),
    path("helplines/", api.HelplineListApi.as_view(), name="api-helpline-list"),
]
