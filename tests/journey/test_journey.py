"""The whole help-seeker journey through the test client, without JavaScript, and what it
leaves behind: nothing that identifies the person, no codename, no readable answer."""

import json
import logging
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from helpseekers.models import (
    DiaryEntry,
    ExerciseAnswer,
    HelpSeekerProfile,
    HelpSeekerSession,
    ModuleCompletion,
    StepProgress,
)
from redirection.logging import ClientDataFilter
from tests.conftest import codename_from
from tests.factories import PLAN, VALUES, WELCOME, WHY, Course

FREE_TEXT = "I want to be someone my sister can trust again. Marker-answer-5521."
PLAN_TEXT = "When I feel restless at night I will call Tom and go for a walk. Plan-marker-7731."
ADDRESS_MARKER = "198.51.100.23"
FORWARDED_MARKER = "203.0.113.99"
AGENT_MARKER = "Mozilla/5.0 (MarkerOS) JourneyBrowser/1.2"
DIARY_NOTE = "Hard evening after the phone call. Diary-marker-4410."
ANSWERS_WRITTEN = 6


@dataclass
class Journey:
    codename: str
    export: dict


def walk_the_journey(course: Course, headers: dict[str, str]) -> Journey:
    browser = Client(**headers)
    # start
    assert browser.get("/en/").status_code == 200
    started = browser.post("/en/start/")
    assert started.status_code == 200
    codename = codename_from(started.content.decode())
    assert "Write it down now and keep it safe." in started.content.decode()

    # read
    page = browser.get(course.step_url(WELCOME))
    assert page.status_code == 200
    assert f'action="{course.answers_url(WELCOME)}"' in page.content.decode()

    # every exercise kind
    saved = browser.post(course.answers_url(WELCOME), {"reason": "worried", "action": "complete"})
    assert saved.status_code == 302
    assert saved["Location"] == course.step_url(WHY)
    saved = browser.post(course.answers_url(WHY), {"reasons": FREE_TEXT, "importance": "8", "action": "save"})
    assert saved.status_code == 302
    assert saved["Location"] == course.step_url(WHY)
    saved = browser.post(
        course.answers_url(VALUES), {"values": ["family", "honesty"], "life": "Honest days.", "action": "complete"}
    )
    assert saved.status_code == 302
    saved = browser.post(course.answers_url(PLAN), {"first-link": PLAN_TEXT, "action": "complete"})
    assert saved.status_code == 302

    # the urge page shows the reader's own words; the diary keeps a day
    urge = browser.get("/en/urge/").content.decode()
    assert FREE_TEXT in urge
    assert PLAN_TEXT in urge
    today = browser.get("/en/me/diary/entry/").content.decode()
    day = today.split('name="day" value="')[1].split('"')[0]
    saved = browser.post(
        "/en/me/diary/entry/",
        {"day": day, "urge": "6", "viewed": "no", "helped": ["breathing"], "note": DIARY_NOTE},
    )
    assert saved.status_code == 302

    # sign out
    signed_out = browser.post("/en/sign-out/")
    assert signed_out.status_code == 200
    assert browser.get("/en/me/").status_code == 302

    # resume in a fresh client, with the codename typed differently
    fresh = Client(**headers)
    fresh.get("/en/resume/")
    resumed = fresh.post("/en/resume/", {"codename": codename.upper().replace(" ", "-")})
    assert resumed.status_code == 302
    assert resumed["Location"] == "/en/me/"

    # progress and answers intact
    me = fresh.get("/en/me/").content.decode()
    assert "Continue where you left off" in me
    assert "3 of 4 steps done" in me
    why = fresh.get(course.step_url(WHY)).content.decode()
    assert FREE_TEXT in why
    assert 'name="importance" value="8" checked' in why
    welcome = fresh.get(course.step_url(WELCOME)).content.decode()
    assert 'value="worried" checked' in welcome
    values = fresh.get(course.step_url(VALUES)).content.decode()
    assert 'value="family" checked' in values
    assert 'value="honesty" checked' in values
    plan = fresh.get("/en/me/plan/").content.decode()
    assert PLAN_TEXT in plan
    assert DIARY_NOTE in fresh.get("/en/me/diary/").content.decode()

    # export
    exported = fresh.get("/en/me/export/")
    assert exported["Content-Disposition"] == 'attachment; filename="my-self-help-data.json"'
    export = json.loads(exported.content)

    # delete
    assert fresh.get("/en/me/delete/").status_code == 200
    deleted = fresh.post("/en/me/delete/")
    assert deleted.status_code == 200
    assert "Everything is deleted" in deleted.content.decode()

    # resume fails
    again = Client(**headers)
    again.get("/en/resume/")
    refused = again.post("/en/resume/", {"codename": codename})
    assert refused.status_code == 400
    assert "That codename did not work" in refused.content.decode()
    return Journey(codename=codename, export=export)


@pytest.mark.django_db
def test_whole_journey_without_javascript(program: Course) -> None:
    journey = walk_the_journey(program, {})

    answers = {(a["step"], a["exercise"]): a["answer"] for a in journey.export["answers"]}
    assert answers[(WHY, "reasons")] == FREE_TEXT
    assert answers[(WHY, "importance")] == 8
    assert answers[(WELCOME, "reason")] == ["worried"]
    assert answers[(VALUES, "values")] == ["family", "honesty"]
    assert [p["answer"] for p in journey.export["plan"]] == [PLAN_TEXT]
    completed = {p["step"] for p in journey.export["progress"] if p["completed_on"]}
    assert completed == {WELCOME, VALUES, PLAN}
    [entry] = journey.export["diary"]
    assert (entry["urge"], entry["viewed"], entry["helped"], entry["note"]) == (6, "no", ["breathing"], DIARY_NOTE)
    for model in (HelpSeekerProfile, HelpSeekerSession, StepProgress, ModuleCompletion, ExerciseAnswer, DiaryEntry):
        assert not model.objects.exists(), model


def _every_table_as_text() -> tuple[str, bytes]:
    """Every row of every table, as text and as raw bytes."""
    texts, blobs = [], []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        blobs.append(bytes(value))
                    else:
                        texts.append(str(value))
    return "\n".join(texts), b"\n".join(blobs)


def _forms_of(codename: str) -> list[str]:
    words = codename.split(" ")
    return [sep.join(words) for sep in (" ", "-", "", "_", ".")] + [codename.upper()]


@pytest.mark.django_db
def test_the_journey_leaves_no_identifying_data_in_any_table_or_log(
    program: Course, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given every table's contents just before the journey's last step, and every log record
    caplog.set_level(logging.DEBUG)
    snapshots: list[tuple[str, bytes]] = []
    answers_at_snapshot: list[int] = []
    from helpseekers import services

    real_delete = services.profile_delete

    def snapshot_then_delete(**kwargs: object) -> None:
        snapshots.append(_every_table_as_text())
        answers_at_snapshot.append(ExerciseAnswer.objects.count() + DiaryEntry.objects.count())
        real_delete(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "profile_delete", snapshot_then_delete)
    headers = {"REMOTE_ADDR": ADDRESS_MARKER, "HTTP_X_FORWARDED_FOR": FORWARDED_MARKER, "HTTP_USER_AGENT": AGENT_MARKER}

    # when
    journey = walk_the_journey(program, headers)

    # then, in the database while the profile still existed, and after it was deleted
    snapshots.append(_every_table_as_text())
    assert len(snapshots) == 2
    assert ExerciseAnswer.objects.count() == 0
    secrets = [
        ADDRESS_MARKER,
        FORWARDED_MARKER,
        "JourneyBrowser",
        FREE_TEXT,
        "Marker-answer-5521",
        PLAN_TEXT,
        "Plan-marker-7731",
        DIARY_NOTE,
        "Diary-marker-4410",
        *_forms_of(journey.codename),
    ]
    for text, blobs in snapshots:
        for secret in secrets:
            assert secret not in text, secret
            assert secret.encode() not in blobs, secret
    assert answers_at_snapshot == [ANSWERS_WRITTEN + 1], "the first snapshot must hold the (encrypted) answers and note"
    # and in every log record, as made (before any filter) and as the handlers write it
    assert caplog.records
    handler_filter = ClientDataFilter()
    for record in caplog.records:
        raw = record.getMessage() + repr(vars(record))
        handler_filter.filter(record)
        written = logging.Formatter("%(name)s %(message)s").format(record)
        for secret in secrets:
            assert secret not in raw, (secret, record.name)
            assert secret not in written, (secret, record.name)
