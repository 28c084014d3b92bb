"""Content pages that are the same for every reader, under a language prefix.

The program, module and step pages are mounted by ``journey``, which serves them for readers
who are not signed in from ``modules.views`` and adds a signed-in help-seeker's own state.
"""

from django.urls import path

from modules import views

app_name = "modules"

urlpatterns = [
    path("help/", views.helpline_directory, name="helplines"),
]
