"""Anonymous help-seekers: profiles found by a codename digest, their progress and answers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpseekersConfig(AppConfig):
    name = "helpseekers"
    verbose_name = _("Anonymous help-seekers")

    def ready(self) -> None:
        from helpseekers import schema  # noqa: F401  (registers the OpenAPI security scheme)
