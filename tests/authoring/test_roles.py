"""Staff roles: the permission matrix over every staff URL and role, and a translator's
languages. A model newly registered in the staff site without a row here fails the test."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token, TokenProxy

from authoring.models import StaffEvent, TranslatorLanguage
from modules.models import Block, Helpline, Module, Program, Step
from questionnaires.models import Instrument, Item, Occasion
from tests.factories import WHY, course, drafted

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "author", "translator", "reviewer", "evaluator", "administrator")
CONTENT = {Program, Module, Step, Block, Helpline, Instrument, Item, Occasion}
AUDIT = {StaffEvent, LogEntry}
ACCOUNTS = {User, Group, TranslatorLanguage, TOTPDevice, TokenProxy}


def expected(role: str, model: type, view: str) -> int:
    """The status each role gets on each staff view (``authoring.roles``)."""
    if role == "anonymous":
        return 302  # to the staff sign-in
    if model in CONTENT:
        if view == "delete":
            return 200 if role == "administrator" and model is Helpline else 403  # content is retired, not deleted
        if view == "add":  # programs come from bundle loads; their drafts are edited
            return 200 if role in ("author", "administrator") and model is not Program else 403
        return 200 if role in ("author", "translator", "reviewer", "administrator") else 403
    if model in AUDIT:
        return 200 if role == "administrator" and view in ("changelist", "change", "history") else 403
    if model in ACCOUNTS:
        return 200 if role == "administrator" else 403
    raise AssertionError(f"no row in the permission matrix for {model.__name__}")


def _user(role: str) -> User | None:
    if role == "anonymous":
        return None
    user = User.objects.create_user(role, password=f"{role} password", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if role == "translator":
        TranslatorLanguage.objects.create(user=user, language="fi")
    return user


def _instances() -> dict[type, Any]:
    made = drafted(course(languages=("en", "fi")))
    root = User.objects.create_superuser("root", password="root password")
    event = StaffEvent.objects.create(kind="sign_in", actor=root, actor_name="root")
    entry = LogEntry.objects.create(user=root, object_id="1", object_repr="x", action_flag=1)
    token = Token.objects.create(user=root)
    return {
        Program: made.program,
        Module: made.modules["first"],
        Step: made.steps[WHY],
        Block: next(iter(made.blocks.values())),
        Helpline: Helpline.objects.first(),
        Instrument: made.occasions["start"].instrument,
        Item: made.items["contact"],
        Occasion: made.occasions["start"],
        StaffEvent: event,
        LogEntry: entry,
        User: root,
        Group: Group.objects.first(),
        TranslatorLanguage: TranslatorLanguage.objects.create(user=root, language="sv"),
        TOTPDevice: TOTPDevice.objects.create(user=root, name="phone"),
        TokenProxy: TokenProxy.objects.get(pk=token.pk),
    }


def test_every_role_gets_what_the_matrix_says_on_every_staff_url() -> None:
    instances = _instances()
    cells, wrong = 0, []
    for role in ROLES:
        client = Client()
        if (user := _user(role)) is not None:
            client.force_login(user)
        for model, _model_admin in admin.site._registry.items():
            opts = model._meta
            obj = instances[model]
            for view, url in (
                ("changelist", reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")),
                ("add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add")),
                ("change", reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])),
                ("history", reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])),
                ("delete", reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])),
            ):
                status = client.get(url).status_code
                cells += 1
                if status != expected(role, model, view):
                    wrong.append((role, model.__name__, view, status, expected(role, model, view)))
        reads_figures = role in ("evaluator", "administrator")
        pages = (
            ("/staff/", 302 if role == "anonymous" else 200),
            ("/evaluation/", 302 if role == "anonymous" else 200 if reads_figures else 403),
            ("/api/v1/evaluation/releases/", 200 if reads_figures else 403),
            ("/staff/translations/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            ("/staff/translations/course/fi/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            (
                "/staff/translations/course/fi/export.po",
                302 if role == "anonymous" else 403 if role == "evaluator" else 200,
            ),
            (
                "/staff/translations/course/fi/export.xlf",
                302 if role == "anonymous" else 403 if role == "evaluator" else 200,
            ),
            (
                "/staff/translations/course/fi/import/",
                302 if role in ("anonymous", "translator", "administrator") else 403,
            ),
            ("/staff/review/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            ("/staff/review/course/fi/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            ("/staff/revisions/course/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            ("/staff/revisions/course/1/", 302 if role == "anonymous" else 403 if role == "evaluator" else 200),
            ("/staff/preview/course/fi/", 302 if role == "anonymous" else 200),
            ("/staff/preview/course/fi/first/why/", 302 if role == "anonymous" else 200),
            ("/staff/preview/course/fi/urge-now/", 302 if role == "anonymous" else 200),
        )
        for url, allowed in pages:
            cells += 1
            if (status := client.get(url).status_code) != allowed:
                wrong.append((role, url, "", status, allowed))
    print(f"permission matrix: {len(ROLES)} roles x {cells // len(ROLES)} staff URLs = {cells} cells")
    assert wrong == []


@pytest.fixture
def translator_client() -> Client:
    user = _user("translator")
    client = Client()
    client.force_login(user)
    return client


def test_a_translator_edits_only_their_languages(translator_client) -> None:
    made = drafted(course(languages=("en", "fi", "sv")))
    step = made.steps[WHY]
    url = f"/staff/modules/step/{step.pk}/change/"
    form = translator_client.get(url).context["adminform"].form
    assert "title_fi" in form.fields
    assert "title_en" not in form.fields
    assert "title_sv" not in form.fields
    assert "slug" not in form.fields
    data = {name: field.initial if field.initial is not None else "" for name, field in form.fields.items()}
    data.update({"title_fi": "Miksi muuttua?", "blocks-TOTAL_FORMS": "0", "blocks-INITIAL_FORMS": "0"})
    assert translator_client.post(url, data).status_code == 302
    step.refresh_from_db()
    assert step.title_fi == "Miksi muuttua?"
    assert translator_client.post(url, {**data, "title_sv": "Varför"}).status_code == 403  # not theirs
    assert translator_client.post(url, {**data, "blocks-0-body_en": "x"}).status_code == 403  # nor the source
    step.refresh_from_db()
    assert step.title_sv != "Varför"
