"""Self-help content: programs, modules, steps, blocks and helplines, in many languages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Self-help content")
