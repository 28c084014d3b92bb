"""App config so the project package can ship templates, static files and checks."""

from django.apps import AppConfig


class RedirectionConfig(AppConfig):
    name = "redirection"
    verbose_name = "ReDirection project"
