"""Translation files: a language of the draft as PO and XLIFF 1.2 with stable ids, notes and the
outdated flag as fuzzy; a round trip of each (export → translate → import → publish); every
problem of a bad file listed by id with nothing applied."""

from __future__ import annotations

import io

import polib
import pytest
from defusedxml import ElementTree as SafeET
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from authoring import exchange, workflow
from authoring.models import DraftEdit
from authoring.translations import program_outdated_translations
from modules.models import Step
from tests.authoring.staff import signed_in as _client
from tests.authoring.staff import staff_member as _staff
from tests.factories import WHY, Course, course, drafted

pytestmark = pytest.mark.django_db
NS = {"x": exchange.XLIFF_NS}


def _upload(client: Client, data: bytes, name: str, language: str = "fi") -> list[str]:
    response = client.post(
        f"/staff/translations/course/{language}/import/",
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def _publish(made: Course, translator: User) -> None:
    workflow.review_submit(program=made.program, language="fi", user=translator)
    workflow.languages_publish(program=made.program, languages=["fi"], user=_staff("rui", "reviewer"))


@pytest.fixture
def made() -> Course:
    made = course(languages=("en", "fi"))
    drafted(made)
    return made


def test_a_po_round_trip_reaches_help_seekers(made: Course) -> None:
    draft = drafted(made)
    step = draft.steps[WHY]
    step.title_en = "Why change now?"  # the Finnish title becomes outdated
    step.save()
    translator = _staff("tia", "translator", "fi")

    response = _client(translator).get("/staff/translations/course/fi/export.po")
    assert response["Content-Disposition"] == 'attachment; filename="course-fi.po"'
    po = polib.pofile(response.content.decode())
    assert po.metadata["Language"] == "fi"
    by_id = {entry.msgctxt: entry for entry in po}
    title = by_id["course/first/why/title"]
    assert (title.msgid, title.msgstr, title.flags) == ("Why change now?", "FI Why change?", ["fuzzy"])
    assert "Step title. At most 200 characters." in title.comment
    assert "Markdown" in by_id["course/first/welcome/intro/body"].comment
    assert by_id["course/first/welcome/reason/option/stop"].msgstr == "FI I want to stop"
    assert by_id["course/first/why/importance/scale_min_label"].msgid == "Not at all"

    title.msgstr, title.flags = "Miksi muuttua nyt?", []
    by_id["course/first/welcome/intro/body"].msgstr = "Olet **tervetullut** tänne."
    assert _upload(_client(translator), str(po).encode(), "course-fi.po") == [
        "2 translation(s) imported into the draft. Submit fi for review."
    ]
    assert Step.objects.get(pk=step.pk).title_fi == "Miksi muuttua nyt?"
    assert program_outdated_translations(program=draft.program, language="fi") == []
    assert list(DraftEdit.objects.values_list("language", "user__username")) == [("fi", "tia")]

    _publish(made, translator)
    html = Client().get(made.step_url(WHY, "fi")).content.decode()
    assert "Miksi muuttua nyt?" in html


def test_an_xliff_round_trip_reaches_help_seekers(made: Course) -> None:
    translator = _staff("tia", "translator", "fi")
    response = _client(translator).get("/staff/translations/course/fi/export.xlf")
    root = SafeET.fromstring(response.content)
    file = root.find("x:file", NS)
    assert (file.get("source-language"), file.get("target-language"), file.get("original")) == ("en", "fi", "course")
    unit = root.find(".//x:trans-unit[@id='course/first/why/title']", NS)
    assert unit.find("x:source", NS).text == "Why change?"
    assert unit.find("x:target", NS).get("state") == "translated"
    assert unit.get("maxwidth") == "200"
    assert "Step title" in unit.find("x:note", NS).text

    unit.find("x:target", NS).text = "Miksi haluan muuttua?"
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + SafeET.tostring(root, encoding="utf-8")
    assert _upload(_client(translator), data, "course-fi.xlf")[0].startswith("1 translation(s) imported")

    _publish(made, translator)
    assert "Miksi haluan muuttua?" in Client().get(made.step_url(WHY, "fi")).content.decode()


def _po(made: Course, language: str = "fi") -> polib.POFile:
    return polib.pofile(exchange.export_po(program=made.program, language=language).decode())


def test_a_bad_file_changes_nothing_and_lists_every_problem_by_id(made: Course) -> None:
    translator = _staff("tia", "translator", "fi")
    po = _po(made)
    by_id = {entry.msgctxt: entry for entry in po}
    by_id["course/first/why/title"].msgstr = "x" * 201
    by_id["course/first/welcome/intro/body"].msgstr = "Olet tervetullut.\n\n- yksi\n- kaksi"
    by_id["course/first/welcome/reason/option/stop"].msgstr = '<script>alert("x")</script>'
    by_id["course/first/values/life/body"].msgstr = "Päivä {name} arvojesi mukaan?"
    by_id["course/first/plan/first-link/body"].msgstr = "Mitä teet ensin?"  # fine on its own
    po.append(polib.POEntry(msgctxt="course/first/gone/title", msgid="Gone", msgstr="Poissa"))
    po.append(polib.POEntry(msgctxt="other/first/why/title", msgid="Why", msgstr="Miksi"))

    messages = _upload(_client(translator), str(po).encode(), "course-fi.po")

    assert messages[0] == "Nothing was imported: 6 problem(s)."
    assert set(messages[1:]) == {
        "course/first/why/title: 201 characters; at most 200",
        "course/first/welcome/intro/body: Markdown structure differs from the source (paragraphs, lists, headings "
        "or links)",
        "course/first/welcome/reason/option/stop: raw HTML is not allowed (write Markdown)",
        "course/first/values/life/body: placeholders differ from the source",
        "course/first/gone/title: unknown id",
        "other/first/why/title: belongs to another program",
    }
    draft = drafted(made)
    assert Step.objects.get(pk=draft.steps[WHY].pk).title_fi == "FI Why change?"
    assert draft.blocks["first-link"].body_fi == "FI What will you do first?"
    assert not DraftEdit.objects.exists()


def test_a_file_for_another_language_or_program_is_refused(made: Course) -> None:
    admin = _staff("ada", "administrator")
    po = _po(made)
    assert _upload(_client(admin), str(po).encode(), "course-fi.po", language="sv")[1:] == [
        "the file is for language 'fi', not 'sv'"
    ]
    po.metadata["X-Program"] = "another"
    assert _upload(_client(admin), str(po).encode(), "course-fi.po")[1:] == [
        "the file is for program 'another', not 'course'"
    ]
    assert _upload(_client(admin), b"not a translation file", "x.po")[1:] == ["not a PO file"]
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file>&b;</file></xliff>'
    )
    assert _upload(_client(admin), bomb, "x.xlf")[1].startswith("not an XLIFF file")
    assert not DraftEdit.objects.exists()


def test_fuzzy_entries_are_imported_but_stay_outdated(made: Course) -> None:
    draft = drafted(made)
    step = draft.steps[WHY]
    step.title_en = "Why change now?"
    step.save()
    po = _po(made)
    entry = next(e for e in po if e.msgctxt == "course/first/why/title")
    entry.msgstr = "Miksi muuttua nyt?"  # still marked fuzzy
    report = exchange.translations_import(
        program=made.program, language="fi", data=str(po).encode(), user=_staff("tia", "translator", "fi")
    )
    assert (report.applied, report.problems) == (1, [])
    assert Step.objects.get(pk=step.pk).title_fi == "Miksi muuttua nyt?"
    assert len(program_outdated_translations(program=draft.program, language="fi")) == 1


def test_a_translator_imports_only_their_languages(made: Course) -> None:
    translator = _staff("tia", "translator", "sv")
    response = _client(translator).post(
        "/staff/translations/course/fi/import/", {"file": SimpleUploadedFile("f.po", str(_po(made)).encode())}
    )
    assert response.status_code == 403
    assert _client(_staff("eve", "evaluator")).get("/staff/translations/course/fi/export.po").status_code == 403
    assert _client(translator).get("/staff/translations/course/en/export.po").status_code == 404


def test_the_commands_export_and_import(made: Course, tmp_path) -> None:
    path = tmp_path / "course-fi.xlf"
    call_command(
        "translations_export", "course", "fi", "--format", "xliff", "--output", str(path), stderr=io.StringIO()
    )
    text = path.read_text().replace(">FI Why change?<", ">Miksi muuttua?<")
    path.write_text(text)
    _staff("tia", "translator", "fi")
    out = io.StringIO()
    call_command("translations_import", "course", "fi", str(path), "--user", "tia", stdout=out)
    assert "1 translation(s) imported" in out.getvalue()
    for hostile in ("><b>Miksi</b><", ">&lt;img src=x onerror=alert(1)&gt;<"):
        path.write_text(text.replace(">Miksi muuttua?<", hostile))
        errors = io.StringIO()
        with pytest.raises(CommandError, match="nothing imported: 1 problem"):
            call_command("translations_import", "course", "fi", str(path), "--user", "tia", stderr=errors)
        assert "course/first/why/title: raw HTML is not allowed" in errors.getvalue()
