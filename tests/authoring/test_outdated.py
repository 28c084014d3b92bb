"""Outdated translations: a translation remembers the source it was made from; a change of
the source makes it outdated until a translator updates or confirms it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from authoring.translations import program_outdated_translations
from tests.authoring.staff import save_change_form, signed_in, staff_member
from tests.factories import WHY, course, drafted

pytestmark = pytest.mark.django_db


def _client(role: str, *languages: str) -> Client:
    return signed_in(staff_member(role, role, *languages))


def test_a_changed_source_makes_the_translation_outdated_until_it_is_updated() -> None:
    made = drafted(course(languages=("en", "fi")))
    step = made.steps[WHY]
    assert program_outdated_translations(program=made.program, language="fi") == []
    url = f"/staff/modules/step/{step.pk}/change/"

    assert save_change_form(_client("author"), url, title_en="Why change now?") == 302
    outdated = program_outdated_translations(program=made.program, language="fi")
    assert [(item.model, item.object_id, item.field) for item in outdated] == [("step", str(step.pk), "title")]
    out = io.StringIO()
    call_command("translation_status", "course", "fi", stdout=out)
    assert "1 outdated" in out.getvalue()
    assert f"outdated: step #{step.pk}" in out.getvalue()

    assert save_change_form(_client("translator", "fi"), url, title_fi="Miksi muuttua nyt?") == 302
    assert program_outdated_translations(program=made.program, language="fi") == []


def test_a_translator_confirms_a_translation_that_still_fits() -> None:
    made = drafted(course(languages=("en", "fi")))
    step = made.steps[WHY]
    step.title_en = "Why change?!"
    step.save()
    assert program_outdated_translations(program=made.program, language="fi")
    translator = _client("translator", "fi")
    response = translator.post(
        "/staff/modules/step/", {"action": "confirm_translations", "_selected_action": [str(step.pk)]}
    )
    assert response.status_code == 302
    assert program_outdated_translations(program=made.program, language="fi") == []


def test_loading_a_bundle_records_its_translations_as_current(tmp_path) -> None:
    from authoring.services import program_export_path, program_load_path
    from modules.models import Program

    made = course(languages=("en", "fi"))
    program_export_path(program=made.program, path=tmp_path / "bundle")
    Program.objects.filter(pk=made.program.pk).update(slug="other")  # load it as a new program
    loaded, _changed = program_load_path(path=tmp_path / "bundle")
    assert program_outdated_translations(program=loaded, language="fi") == []
    step = loaded.modules.get(slug="first").steps.get(slug=WHY)
    step.title_en = "Something else"
    step.save()
    assert len(program_outdated_translations(program=loaded, language="fi")) == 1


def test_the_status_pages_show_shares_and_link_the_fields_that_need_work() -> None:
    made = drafted(course(languages=("en", "fi")))
    step = made.steps[WHY]
    step.title_en = "Why change now?"
    step.save()
    block = made.blocks["intro"]
    block.body_fi = ""
    block.save()
    client = _client("translator", "fi")
    index = client.get("/staff/translations/").content.decode()
    assert "/staff/translations/course/fi/" in index
    page = client.get("/staff/translations/course/fi/").content.decode()
    assert f'outdated: <a href="/staff/modules/step/{step.pk}/change/">' in page
    assert f'missing: <a href="/staff/modules/block/{block.pk}/change/">' in page
    assert "First module" in page
    assert client.get("/staff/translations/course/xx/").status_code == 404
    assert client.get("/staff/translations/course/en/").status_code == 404


def test_the_status_pages_read_the_content_once_whatever_its_size() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import StepFactory

    made = drafted(course(languages=("en", "fi")))
    client = _client("translator", "fi")
    client.get("/staff/translations/")  # warm: content types, sessions
    with CaptureQueriesContext(connection) as small:
        client.get("/staff/translations/")
    for position in range(10, 30):
        StepFactory(module=made.modules["first"], slug=f"extra-{position}", position=position, title_en="More")
    with CaptureQueriesContext(connection) as large:
        client.get("/staff/translations/")
    assert len(large) == len(small)  # no query per row or per language
