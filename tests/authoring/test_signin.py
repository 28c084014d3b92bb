"""Staff sign-in: the staff site's own path and hosts, Argon2, and a lock on the account
name (never on a client address) after repeated wrong passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from authoring.models import SignInLock

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("clinician", password="the right long password", is_staff=True)


def _sign_in(client: Client, name: str, password: str):
    return client.post(LOGIN, {"username": name, "password": password, "next": "/staff/"})


def test_the_staff_site_lives_at_its_own_path() -> None:
    assert Client().get("/admin/").status_code == 404
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_staff_site_answers_only_on_staff_hosts(settings) -> None:
    settings.STAFF_HOSTS = ["localhost"]
    assert Client().get(LOGIN, HTTP_HOST="testserver").status_code == 404
    assert Client().get("/evaluation/", HTTP_HOST="testserver").status_code == 404
    assert Client().get(LOGIN, HTTP_HOST="localhost").status_code == 200
    assert Client().get("/en/", HTTP_HOST="testserver").status_code == 200  # help-seekers are unaffected
    settings.STAFF_HOSTS = ["[::1]", "Staff.Example.org"]
    settings.ALLOWED_HOSTS = ["[::1]", "staff.example.org", "testserver"]
    assert Client().get(LOGIN, HTTP_HOST="[::1]").status_code == 200
    assert Client().get(LOGIN, HTTP_HOST="[::1]:8000").status_code == 200
    assert Client().get(LOGIN, HTTP_HOST="staff.example.org:443").status_code == 200
    assert Client().get(LOGIN, HTTP_HOST="testserver").status_code == 404


def test_staff_passwords_are_hashed_with_argon2(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("reviewer", password="another long password")
    assert user.password.startswith("argon2$argon2id$")


def test_wrong_passwords_lock_the_name_not_an_address(staff, settings) -> None:
    settings.STAFF_LOCKOUT_FAILURES = 3
    for _ in range(3):
        assert _sign_in(Client(), "clinician", "wrong").status_code == 200
    refused = _sign_in(Client(), "Clinician ", "the right long password")  # any spelling of the name
    assert refused.status_code == 200
    assert "Too many wrong passwords for this name" in refused.content.decode()
    lock = SignInLock.objects.get()
    assert lock.failures == 3
    assert {field.name for field in SignInLock._meta.get_fields()} == {"id", "name_digest", "failures", "locked_until",
                                                                       "last_failure_at"}  # fmt: skip
    assert "clinician" not in lock.name_digest
    # another name is not affected
    other = User.objects.create_user("author", password="a third long password", is_staff=True)
    assert _sign_in(Client(), other.username, "a third long password").status_code == 302
    # the lock ends, and the right password then clears the count
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.STAFF_LOCKOUT_MINUTES + 1)):
        assert _sign_in(Client(), "clinician", "the right long password").status_code == 302
    assert not SignInLock.objects.exists()


def test_a_name_that_does_not_exist_locks_the_same_way(settings) -> None:
    settings.STAFF_LOCKOUT_FAILURES = 2
    for _ in range(2):
        _sign_in(Client(), "nobody", "wrong")
    assert "Too many wrong passwords" in _sign_in(Client(), "nobody", "wrong").content.decode()
