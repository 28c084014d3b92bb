"""The audit trail of staff events, read-only, for administrators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from authoring.models import StaffEvent
from authoring.services import program_languages_refresh
from modules.models import Program

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/"


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("root", password="an administrator password")


@pytest.fixture
def author() -> User:
    return User.objects.create_user("ann", password="an author password", is_staff=True)


def test_sign_ins_are_recorded_by_account(author, settings) -> None:
    settings.STAFF_LOCKOUT_FAILURES = 2
    client = Client()
    client.post(LOGIN, {"username": "ann", "password": "an author password"})
    client.post("/staff/logout/")
    Client().post(LOGIN, {"username": "ann", "password": "wrong"})
    Client().post(LOGIN, {"username": "ann", "password": "wrong"})
    kinds = list(StaffEvent.objects.order_by("id").values_list("kind", "actor_name"))
    # the second wrong password locks the name (recorded as it happens), then is recorded itself
    assert kinds == [("sign_in", "ann"), ("sign_out", "ann"), ("sign_in_failed", "ann"), ("locked", "ann"),
                     ("sign_in_failed", "ann")]  # fmt: skip


def test_a_name_that_is_no_account_is_never_stored(settings) -> None:
    """A help-seeker who types their codename into the staff sign-in leaves no trace of it."""
    codename = "orbit lantern maple quiet"
    Client().post(LOGIN, {"username": codename, "password": "whatever"})
    event = StaffEvent.objects.get()
    assert event.kind == "sign_in_failed"
    assert event.actor is None
    assert codename not in f"{event.actor_name} {event.detail}"


def test_publishing_is_recorded_with_who_did_it(program, author) -> None:
    Program.objects.filter(pk=program.program.pk).update(published_languages=[])
    program.program.refresh_from_db()
    assert program_languages_refresh(program=program.program, actor=author)
    event = StaffEvent.objects.get(kind="publish")
    assert event.actor == author
    assert "course: published in en" in event.detail


def test_only_administrators_read_the_trail_and_nobody_changes_it(admin_user, author) -> None:
    event = StaffEvent.objects.create(kind="sign_in", actor=author, actor_name="ann")
    boss = Client()
    boss.force_login(admin_user)
    assert boss.get("/staff/authoring/staffevent/").status_code == 200
    assert boss.get("/staff/admin/logentry/").status_code == 200
    assert boss.get(f"/staff/authoring/staffevent/{event.pk}/change/").status_code == 200  # a read-only view
    assert boss.post(f"/staff/authoring/staffevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert boss.get("/staff/authoring/staffevent/add/").status_code == 403
    staff = Client()
    staff.force_login(author)
    assert staff.get("/staff/authoring/staffevent/").status_code == 403
    assert StaffEvent.objects.filter(pk=event.pk).exists()
