"""Help-seeker reading pages, all under a language prefix."""

from django.urls import path

from modules import views

app_name = "modules"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("help/", views.helpline_directory, name="helplines"),
    path("program/<slug:program_slug>/", views.program_overview, name="program"),
    path("program/<slug:program_slug>/<slug:module_slug>/", views.module_page, name="module"),
    path("program/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/", views.step_page, name="step"),
]
