"""What counts as a signed-in staff session, for every staff page (the staff site, the
evaluation pages and their API): a password and, where ``STAFF_REQUIRE_2FA`` is on, a
second factor that django-otp's middleware has verified."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def two_factor_required() -> bool:
    return bool(settings.STAFF_REQUIRE_2FA)


def second_factor_verified(user: Any) -> bool:
    """Whether ``user``'s session passed the second factor, or none is required."""
    if not two_factor_required():
        return True
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def staff_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and second_factor_verified(user))
