"""Questionnaires: scored self-assessments offered at set occasions, with feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        """Items, their options and occasions retire and restore like the program's content."""
        from modules.services import retirable_register
        from questionnaires.models import Item, ItemOption, Occasion

        retirable_register(Item, parent="instrument", program="instrument__occasions__program")
        retirable_register(ItemOption, parent="item", program="item__instrument__occasions__program")
        retirable_register(Occasion, parent="program", program="program")
