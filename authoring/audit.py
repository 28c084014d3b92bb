"""The audit trail of staff events: sign-ins (right and wrong), sign-outs, locks and
publishing, recorded from Django's auth signals and the publishing service. Content edits
in the staff site are Django's own admin log (``LogEntry``); administrators see both,
read-only, in the staff site."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from authoring.models import StaffEvent


def record(kind: str, *, actor: Any = None, detail: str = "") -> StaffEvent:
    return StaffEvent.objects.create(
        kind=kind, actor=actor, actor_name=getattr(actor, "username", "") if actor else "", detail=detail[:300]
    )


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(StaffEvent.SIGN_IN, actor=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(StaffEvent.SIGN_OUT, actor=user)


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """A wrong password for a real account is recorded against it; a name that is no
    account is recorded without it (it could be anything anyone typed)."""
    name = credentials.get("username") or ""
    user = get_user_model().objects.filter(username=name).first() if name else None
    record(StaffEvent.SIGN_IN_FAILED, actor=user, detail="" if user else "a name that is no account")
