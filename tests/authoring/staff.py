"""Staff members in a role, signed in, and saving a change form as the staff site would."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client

from authoring.models import TranslatorLanguage


def staff_member(name: str, role: str, *languages: str) -> User:
    """A staff account in the role's group (made by the migrations), translating ``languages``."""
    user = User.objects.create_user(name, password=f"{name} password", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for language in languages:
        TranslatorLanguage.objects.create(user=user, language=language)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save_change_form(client: Client, url: str, **changes: str) -> int:
    """POST the step change form at ``url`` with its initial values and ``changes`` (no inline
    blocks); returns the status."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None and value is not False:
            data[name] = value
    data.update({"blocks-TOTAL_FORMS": "0", "blocks-INITIAL_FORMS": "0", **changes})
    return client.post(url, data).status_code
