"""Help-seeker reading pages, all under a language prefix."""

from django.urls import path

from modules import views

app_name = "modules"

urlpatterns = [
    path("", views.landing, name="landing"),
]
