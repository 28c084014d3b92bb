"""Aggregate, non-identifying evaluation figures.

This app will own the Celery jobs that aggregate progress and questionnaire tables in SQL,
the release rule (distinct profiles, threshold k = ``STATISTICS_THRESHOLD``, complementary
suppression) and the evaluator pages. It is named ``analytics``, not ``statistics``, so it
does not shadow the standard library.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Evaluation figures")
