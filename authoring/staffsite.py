"""The staff site: Django's admin with the project's sign-in.

- Two-factor sign-in (TOTP, django-otp) when ``STAFF_REQUIRE_2FA`` is on (the default, and
  what production uses): a password alone opens nothing, and only a session verified by a
  registered device counts as signed in. Enrol a device with ``manage.py totp_enrol``.
- A lock on the account name after repeated wrong passwords (``authoring.signin``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from authoring.signin import StaffSignInForm, lock_check


class StaffTwoFactorSignInForm(OTPAdminAuthenticationForm):
    """Name, password and the code from the authenticator app; a locked name is refused."""

    def clean(self) -> dict[str, Any]:
        lock_check(self.cleaned_data.get("username"))
        return super().clean()


def two_factor_required() -> bool:
    return bool(settings.STAFF_REQUIRE_2FA)


def is_verified(user: Any) -> bool:
    """Signed in as staff requires: a password, and a device's code where 2FA is on."""
    if not two_factor_required():
        return True
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


class StaffAdminSite(OTPAdminSite):
    """The admin at ``STAFF_PATH``, with two-factor sign-in where it is required."""

    site_header = "Self-help program: staff"
    site_title = "Staff"

    def __init__(self, name: str = "admin") -> None:
        AdminSite.__init__(self, name)

    @property
    def login_form(self) -> type:
        return StaffTwoFactorSignInForm if two_factor_required() else StaffSignInForm

    @property
    def login_template(self) -> str | None:
        return "otp/admin111/login.html" if two_factor_required() else None

    def has_permission(self, request: HttpRequest) -> bool:
        return AdminSite.has_permission(self, request) and is_verified(request.user)
