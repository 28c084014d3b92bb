"""Template context for every page: whether a help-seeker is signed in; retention period."""

from django.conf import settings
from django.http import HttpRequest


def helpseeker(request: HttpRequest) -> dict[str, object]:
    return {
        "helpseeker_signed_in": getattr(request, "helpseeker", None) is not None,
        "retention_days": settings.RETENTION_DAYS,
    }
