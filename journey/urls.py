"""Help-seeker pages, under a language prefix."""

from django.urls import path

from journey import diary, moments, views

app_name = "journey"

PROGRAM = "program/<slug:program_slug>/"
STEP = "<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/"

# The reading pages come first: they are most of the traffic, and patterns match in order.
urlpatterns = [
    path(f"{PROGRAM}<slug:module_slug>/<slug:step_slug>/", views.step_page, name="step"),
    path(f"{PROGRAM}<slug:module_slug>/", views.module_page, name="module"),
    path(PROGRAM, views.program_page, name="program"),
    path("", views.landing, name="landing"),
    path("start/", views.start, name="start"),
    path("resume/", views.resume, name="resume"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("me/", views.me, name="me"),
    path("me/plan/", views.plan, name="plan"),
    path("me/export/", views.export, name="export"),
    path("me/export/read/", views.export_page, name="export-page"),
    path("me/delete/", views.delete, name="delete"),
    path("me/diary/", diary.diary, name="diary"),
    path("me/diary/entry/", diary.diary_entry, name="diary-entry"),
    path("urge/", moments.urge_now, name="urge"),
    path("urge/wait/", moments.urge_wait, name="urge-wait"),
    path("urge/after/", moments.urge_after, name="urge-after"),
    path("safety/", moments.safety, name="safety"),
    path(f"me/answers/{STEP}", views.step_submit, name="step-submit"),
    path("me/finished/<slug:program_slug>/", views.finished, name="finished"),
    path("questionnaires/<slug:program_slug>/<slug:occasion_slug>/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<slug:program_slug>/<slug:occasion_slug>/result/",
        views.questionnaire_result,
        name="questionnaire-result",
    ),
]
