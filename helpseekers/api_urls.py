"""Help-seeker API routes (``/api/v1/helpseekers/``)."""

from django.db import transaction
from django.urls import path

from helpseekers import api

STEP = "<slug:program_slug>/<slug:module_slug>/<slug:step_slug>"

urlpatterns = [
    # Starting and resuming may wait for a turn: never inside an open transaction.
    path("start/", transaction.non_atomic_requests(api.StartApi.as_view()), name="api-helpseeker-start"),
    path("resume/", transaction.non_atomic_requests(api.ResumeApi.as_view()), name="api-helpseeker-resume"),
    path("sign-out/", api.SignOutApi.as_view(), name="api-helpseeker-sign-out"),
    path("me/", api.MeApi.as_view(), name="api-helpseeker-me"),
    path("me/progress/", api.ProgressApi.as_view(), name="api-helpseeker-progress"),
    path("me/diary/", api.DiaryApi.as_view(), name="api-helpseeker-diary"),
    path(f"me/steps/{STEP}/answers/", api.StepAnswersApi.as_view(), name="api-helpseeker-step-answers"),
    path(f"me/steps/{STEP}/complete/", api.StepCompleteApi.as_view(), name="api-helpseeker-step-complete"),
]
