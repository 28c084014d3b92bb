"""Download my data is everything: answers with their words, questionnaire responses and scores,
the sign-in session, an exact statement of what is not stored, and a page to read or print."""

import json

import pytest
from django.test import Client

from tests.factories import VALUES, WELCOME, WHY, Course, course


@pytest.fixture
def answered(started: tuple[Client, str], program: Course) -> Client:
    browser, _codename = started
    browser.post(program.answers_url(WELCOME), {"reason": "worried", "action": "complete"})
    browser.post(program.answers_url(WHY), {"reasons": "For the people I love.", "importance": "8", "action": "save"})
    browser.post(program.answers_url(VALUES), {"values": ["family", "health"], "action": "save"})
    browser.post(
        program.questionnaire_url("start"),
        {"urge-strength": "6", "confidence": "3", "frequency": "weekly", "hours": "4", "action": "submit"},
    )
    return browser


@pytest.mark.django_db
def test_the_export_holds_answers_with_their_words_questionnaires_and_the_session(answered: Client) -> None:
    export = json.loads(answered.get("/en/me/export/").content)

    answers = {(a["step"], a["exercise"]): a for a in export["answers"]}
    assert answers[(WELCOME, "reason")]["answer"] == ["worried"]
    assert answers[(WELCOME, "reason")]["answer_labels"] == ["I am worried"]
    assert answers[(VALUES, "values")]["answer_labels"] == ["Family", "Health"]
    assert answers[(WHY, "reasons")]["answer"] == "For the people I love."
    assert answers[(WHY, "reasons")]["answer_labels"] is None
    [response] = export["questionnaires"]
    assert (response["questionnaire"], response["score"], response["skipped"]) == ("situation", 13.0, False)
    items = {a["item"]: a for a in response["answers"]}
    assert items["frequency"] == {
        "item": "frequency",
        "question": "How often did you view?",
        "answer": "weekly",
        "answer_label": "Weekly",
    }
    assert items["hours"]["answer"] == 4
    assert len(export["sessions"]) == 1
    assert any("the minute you signed in" in line for line in export["not_stored"])


@pytest.mark.django_db
def test_choice_labels_and_statements_are_in_the_readers_language(client: Client) -> None:
    made = course(languages=("en", "fi"))
    client.post("/fi/start/")
    client.post(made.answers_url(WELCOME, "fi"), {"reason": "worried", "action": "save"})

    export = json.loads(client.get("/fi/me/export/").content)

    assert export["language"] == "fi"
    assert export["answers"][0]["answer_labels"] == ["FI I am worried"]
    assert export["answers"][0]["prompt"] == "FI What brings you here?"
    assert not any("minute you signed in" in line for line in export["not_stored"])


@pytest.mark.django_db
def test_the_page_to_read_or_print_holds_the_same_and_warns_that_a_copy_is_sensitive(answered: Client) -> None:
    html = answered.get("/en/me/export/read/").content.decode()

    assert "Anyone who sees a printed or downloaded copy can read it." in html
    assert "For the people I love." in html
    assert "I am worried" in html
    assert "Weekly" in html
    assert html.count("<h3") >= 3
    assert answered.get("/en/me/export/read/")["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
def test_the_export_pages_need_a_signed_in_reader(client: Client, program: Course) -> None:
    assert client.get("/en/me/export/read/")["Location"] == "/en/resume/"
