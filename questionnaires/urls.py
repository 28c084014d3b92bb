"""Questionnaire pages, under a language prefix."""

from django.urls import path

from questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("questionnaires/<slug:program_slug>/<slug:occasion_slug>/", views.answer, name="answer"),
    path("questionnaires/<slug:program_slug>/<slug:occasion_slug>/result/", views.result, name="result"),
]
