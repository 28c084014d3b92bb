"""Everything staff write: program bundles, the staff admin, translation status, publishing."""

from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "authoring"
    # No models of its own yet, so this name is never shown to staff.
    verbose_name = "Authoring"
