"""Everything staff write: program bundles, the staff admin, translation status, publishing."""

from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "authoring"
    verbose_name = "Authoring"

    def ready(self) -> None:
        from authoring import audit  # noqa: F401 - connects the audit trail's signal receivers
