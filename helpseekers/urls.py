"""Help-seeker pages, under a language prefix."""

from django.urls import path

from helpseekers import views

app_name = "helpseekers"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("resume/", views.resume, name="resume"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("me/", views.me, name="me"),
    path("me/plan/", views.plan, name="plan"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
    path(
        "me/answers/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/",
        views.step_submit,
        name="step-submit",
    ),
]
