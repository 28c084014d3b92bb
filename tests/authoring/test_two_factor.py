"""Two-factor staff sign-in (TOTP): required where ``STAFF_REQUIRE_2FA`` is on."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/"


@pytest.fixture
def two_factor(settings) -> None:
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def evaluator() -> User:
    user = User.objects.create_user("eve", password="a long evaluator password", is_staff=True)
    user.groups.add(Group.objects.get(name="evaluator"))
    return user


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _enrol(user: User) -> TOTPDevice:
    out = io.StringIO()
    call_command("totp_enrol", user.username, stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    return TOTPDevice.objects.get(user=user)


def test_a_password_alone_opens_nothing(two_factor, evaluator) -> None:
    device = _enrol(evaluator)
    client = Client()
    refused = client.post(LOGIN, {"username": "eve", "password": "a long evaluator password", "next": "/evaluation/"})
    assert refused.status_code == 200  # the form again, asking for the code
    assert client.get("/evaluation/").status_code == 302
    signed_in = client.post(
        LOGIN,
        {"username": "eve", "password": "a long evaluator password", "otp_device": device.persistent_id,
         "otp_token": _code(device), "next": "/evaluation/"},
    )  # fmt: skip
    assert signed_in.status_code == 302
    assert client.get("/evaluation/").status_code == 200
    assert client.get("/api/v1/evaluation/releases/").status_code == 200


def test_a_session_without_the_second_factor_is_not_signed_in(two_factor, evaluator) -> None:
    client = Client()
    client.force_login(evaluator)  # a password session, never verified
    assert client.get("/evaluation/").status_code == 302
    assert client.get("/staff/").status_code == 302
    assert client.get("/api/v1/evaluation/releases/").status_code == 403


def test_a_wrong_code_is_refused(two_factor, evaluator) -> None:
    device = _enrol(evaluator)
    client = Client()
    client.post(LOGIN, {"username": "eve", "password": "a long evaluator password", "otp_device": device.persistent_id,
                        "otp_token": "000000" if _code(device) != "000000" else "111111"})  # fmt: skip
    assert client.get("/evaluation/").status_code == 302


def test_enrolment_is_for_staff_only() -> None:
    User.objects.create_user("someone", password="x")
    with pytest.raises(Exception, match="No staff account"):
        call_command("totp_enrol", "someone", stdout=io.StringIO())
