"""The help-seeker's web pages, composed from content, identity and questionnaires."""

from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "journey"
    verbose_name = "Help-seeker journey"
