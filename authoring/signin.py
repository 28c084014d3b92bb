"""Staff sign-in hardening: a lock on the account name after repeated wrong passwords.

The lock is keyed on the name typed (case-folded, as a digest), whether or not such an
account exists, so it tells nobody which names are real, and never on a client address:
the application never sees one, and Tor gives everyone the same. A locked name is refused
even with the right password until the lock ends; a right password before that clears the
count. Limits: ``STAFF_LOCKOUT_FAILURES`` wrong passwords lock for ``STAFF_LOCKOUT_MINUTES``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from authoring.models import SignInLock, StaffEvent


def _digest(name: str) -> str:
    return hashlib.sha256(name.strip().casefold().encode("utf-8")).hexdigest()


def locked_until(name: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on ``name`` ends, if it is locked now."""
    now = now or timezone.now()
    until = SignInLock.objects.filter(name_digest=_digest(name)).values_list("locked_until", flat=True).first()
    return until if until is not None and until > now else None


def failure_record(name: str) -> None:
    """One more wrong password for ``name``; lock it when the count reaches the limit."""
    now = timezone.now()
    digest = _digest(name)
    with transaction.atomic():
        lock, _created = SignInLock.objects.select_for_update().get_or_create(
            name_digest=digest, defaults={"last_failure_at": now}
        )
        if lock.locked_until is not None and lock.locked_until <= now:
            lock.failures, lock.locked_until = 0, None  # an ended lock starts a new count
        lock.failures += 1  # the row is locked for this transaction: no lost update
        lock.last_failure_at = now
        newly_locked = lock.failures >= settings.STAFF_LOCKOUT_FAILURES and lock.locked_until is None
        if newly_locked:
            lock.locked_until = now + timedelta(minutes=settings.STAFF_LOCKOUT_MINUTES)
        lock.save()
    if newly_locked:
        user = get_user_model().objects.filter(username=name).first()
        StaffEvent.objects.create(
            kind=StaffEvent.LOCKED,
            actor=user,
            actor_name=user.username if user else "",
            detail=f"for {settings.STAFF_LOCKOUT_MINUTES} minutes" + ("" if user else ", a name that is no account"),
        )


def success_record(name: str) -> None:
    SignInLock.objects.filter(name_digest=_digest(name)).delete()


class LockoutModelBackend(ModelBackend):
    """Django's model backend, refusing a locked name and counting wrong passwords."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        if locked_until(username) is not None:
            raise PermissionDenied  # stops every backend: the right password does not open it
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            failure_record(username)
        else:
            success_record(username)
        return user


def lock_check(name: str | None) -> None:
    """Say plainly when a name is locked (for any name, so it tells nothing about which
    accounts exist)."""
    if name and (until := locked_until(name)) is not None:
        minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
        raise ValidationError(
            _("Too many wrong passwords for this name: try again in %(minutes)d minutes.") % {"minutes": minutes},
            code="locked",
        )


class StaffSignInForm(AdminAuthenticationForm):
    """The staff sign-in form where two-factor sign-in is off (a laptop)."""

    def clean(self) -> dict[str, Any]:
        lock_check(self.cleaned_data.get("username"))
        return super().clean()
