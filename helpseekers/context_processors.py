"""Template context for every page: whether a help-seeker is signed in; retention period;
where the quick exit leads."""

from django.conf import settings
from django.http import HttpRequest

from helpseekers.current import signed_in


def helpseeker(request: HttpRequest) -> dict[str, object]:
    return {
        "helpseeker_signed_in": signed_in(request) is not None,
        "retention_days": settings.RETENTION_DAYS,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
