"""The private diary's pages: an entry in one form, one a day, changed on its day only, a
missed day filled in; bad input refused in the reader's language with nothing lost; runs
without viewing, a slip said kindly, the chart and its table; nobody else's diary."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from helpseekers.models import DiaryEntry, HelpSeekerProfile, today
from tests.factories import PLAN, Course

ENTRY = "/en/me/diary/entry/"


def _entry(**values: object) -> dict[str, object]:
    return {"day": today().isoformat(), "urge": "4", "viewed": "no", **values}


@pytest.mark.django_db
def test_an_entry_is_one_short_form_and_shows_on_the_diary(started: tuple[Client, str]) -> None:
    browser, _codename = started
    form = browser.get(ENTRY).content.decode()
    assert form.count('name="urge"') == 11
    assert form.count('name="viewed"') == 3
    assert 'name="hours"' in form
    assert 'name="note"' in form
    assert 'name="helped"' in form
    assert 'name="replace"' not in form

    saved = browser.post(ENTRY, _entry(urge="7", helped=["breathing", "people"], note="A long day."))

    assert saved.status_code == 302
    assert saved["Location"] == "/en/me/diary/"
    diary = browser.get("/en/me/diary/").content.decode()
    assert "Your diary entry is saved." in diary
    assert "7/10" in diary
    assert "A breathing or grounding exercise; Being with other people" in diary
    assert "A long day." in diary
    assert "Change today's entry" in diary


@pytest.mark.django_db
def test_todays_entry_is_changed_in_place_and_a_second_one_is_refused_keeping_the_first(
    started: tuple[Client, str],
) -> None:
    browser, _codename = started
    browser.post(ENTRY, _entry(urge="3", note="First words."))

    again = browser.post(ENTRY, _entry(urge="9", note="Second words."))
    form = browser.get(ENTRY).content.decode()
    changed = browser.post(ENTRY, _entry(urge="5", note="Changed words.", replace="1"))

    assert again.status_code == 400
    assert "You already have an entry for that day." in again.content.decode()
    assert "Second words." in again.content.decode(), "what was typed stays in the form"
    assert 'name="replace" value="1"' in form
    assert "First words." in form
    assert changed.status_code == 302
    entry = DiaryEntry.objects.get()
    assert entry.urge == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"urge": "11"}, "urge", "Choose a number from 0 to 10."),
        ({"urge": "-1"}, "urge", "Choose a number from 0 to 10."),
        ({"urge": ""}, "urge", "Choose a number from 0 to 10."),
        ({"viewed": "sometimes"}, "viewed", "Choose one of the answers."),
        ({"viewed": "yes", "hours": "25"}, "hours", "Give the hours as a number from 0 to 24"),
        ({"viewed": "yes", "hours": "two"}, "hours", "Give the hours as a number from 0 to 24"),
        ({"helped": ["shopping"]}, "helped", "Choose from the options shown."),
        ({"helped": ["plan-99999"]}, "helped", "Choose from the options shown."),
        ({"day": "2999-01-01"}, "day", "That day has not come yet."),
        ({"day": "yesterday"}, "day", "Choose a day."),
        ({"day": (today() - timedelta(days=30)).isoformat()}, "day", "A missed day can be filled in for up to 6"),
        ({"replace": "1"}, "day", "There is no entry for that day to change."),
    ],
)
def test_bad_input_gets_a_form_error_beside_its_field_and_nothing_is_saved(
    started: tuple[Client, str], values: dict[str, object], field: str, message: str
) -> None:
    browser, _codename = started

    response = browser.post(ENTRY, _entry(note="Keep these words.", **values))

    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="error-{field}">{message}' in html.replace("&#x27;", "'")
    assert "Keep these words." in html
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_a_note_over_the_limit_or_with_the_codename_is_refused(started: tuple[Client, str], settings) -> None:
    browser, codename = started
    settings.DIARY_NOTE_MAX_CHARS = 20

    long = browser.post(ENTRY, _entry(note="x" * 25))
    settings.DIARY_NOTE_MAX_CHARS = 1000
    secret = browser.post(ENTRY, _entry(note=f"remember: {codename}"))

    assert long.status_code == 400
    assert "Your answer is 5 characters too long. Shorten it to 20 characters." in long.content.decode()
    assert secret.status_code == 400
    assert "This answer contains your codename" in secret.content.decode()
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_errors_are_in_the_readers_language(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.post("/fi/me/diary/entry/", _entry(urge="12"))

    assert response.status_code == 400
    assert "Choose a number from 0 to 10." not in response.content.decode()


@pytest.mark.django_db
def test_hours_count_only_when_the_reader_viewed(started: tuple[Client, str]) -> None:
    browser, _codename = started

    browser.post(ENTRY, _entry(viewed="no", hours="3"))
    no_hours = DiaryEntry.objects.get()
    browser.post(ENTRY, _entry(viewed="yes", hours="1,5", replace="1"))
    with_hours = DiaryEntry.objects.get()

    assert no_hours.hours is None
    assert str(with_hours.hours) == "1.5"


@pytest.mark.django_db
def test_what_helped_offers_the_readers_own_plan_items(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(PLAN), {"first-link": "Call my brother Tom."})
    block_id = program.blocks["first-link"].pk

    form = browser.get(ENTRY).content.decode()
    browser.post(ENTRY, _entry(helped=[f"plan-{block_id}", "sleep"]))

    assert f'value="plan-{block_id}"> <span>My plan: <span dir="auto">Call my brother Tom.</span>' in form
    assert DiaryEntry.objects.get().helped == [f"plan-{block_id}", "sleep"]
    assert "Call my brother Tom.; Going to sleep" in browser.get("/en/me/diary/").content.decode()


@pytest.mark.django_db
def test_a_missed_day_can_be_filled_in_once(started: tuple[Client, str]) -> None:
    browser, _codename = started
    yesterday = (today() - timedelta(days=1)).isoformat()

    diary = browser.get("/en/me/diary/").content.decode()
    form = browser.get(f"{ENTRY}?day={yesterday}").content.decode()
    saved = browser.post(ENTRY, _entry(day=yesterday))
    changed = browser.post(ENTRY, _entry(day=yesterday, replace="1"))

    assert f'href="{ENTRY}?day={yesterday}"' in diary
    assert f'name="day" value="{yesterday}"' in form
    assert saved.status_code == 302
    assert changed.status_code == 400
    assert "An entry can be changed only on its own day." in changed.content.decode()
    assert f"?day={yesterday}" not in browser.get("/en/me/diary/").content.decode()


@pytest.mark.django_db
def test_runs_a_slip_said_kindly_and_the_chart_with_its_table(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    profile = HelpSeekerProfile.objects.get()
    day = today()
    for back, viewed in ((5, "no"), (4, "no"), (3, "no"), (2, "yes"), (1, "unsaid")):
        DiaryEntry.objects.create(profile=profile, day=day - timedelta(days=back), urge=back, viewed=viewed)
    browser.post(ENTRY, _entry(viewed="yes", urge="8"))

    html = browser.get("/en/me/diary/").content.decode()

    runs = html.split('<ul class="runs">')[1].split("</ul>")[0]
    assert [int(n) for n in re.findall(r"<strong>(\d+)</strong>", runs)] == [3, 0, 3]
    assert "A lapse is not a relapse" in html
    assert f'href="/en/program/{program.program.slug}/second/waves/"' in html, "the program's setback step"
    assert '<svg class="chart"' in html
    assert html.count("<rect ") == 6
    assert html.count("<path d=") == 2, "every day with viewing is marked, not only coloured"
    table = html.split('<table class="history">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 12


@pytest.mark.django_db
def test_no_slip_message_when_the_latest_entry_is_not_a_slip(started: tuple[Client, str]) -> None:
    browser, _codename = started
    browser.post(ENTRY, _entry(viewed="no"))

    assert "A lapse is not a relapse" not in browser.get("/en/me/diary/").content.decode()


@pytest.mark.django_db
def test_the_diary_needs_a_signed_in_reader_and_shows_only_their_own(client: Client, program: Course) -> None:
    assert client.get("/en/me/diary/")["Location"] == "/en/resume/"
    assert client.post(ENTRY, _entry())["Location"] == "/en/resume/"
    first = Client()
    first.post("/en/start/")
    first.post(ENTRY, _entry(note="Only mine."))
    second = Client()
    second.post("/en/start/")

    assert "Only mine." not in second.get("/en/me/diary/").content.decode()
    assert "Only mine." not in second.get("/en/me/export/").content.decode()
    assert second.post(ENTRY, _entry(replace="1")).status_code == 400, "B cannot change A's day"
    assert DiaryEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_form_without_csrf_gets_403_and_the_note_back(started: tuple[Client, str]) -> None:
    browser, _codename = started
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = browser.cookies

    refused = strict.post(ENTRY, _entry(note="Words I typed."))

    assert refused.status_code == 403
    assert "Words I typed." in refused.content.decode()
    assert f'href="{ENTRY}"' in refused.content.decode()
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_delete_everything_deletes_the_diary(started: tuple[Client, str]) -> None:
    browser, _codename = started
    browser.post(ENTRY, _entry(note="Gone soon."))

    browser.post("/en/me/delete/")

    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_the_diary_page_costs_the_same_queries_for_few_entries_and_many(started: tuple[Client, str]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser, _codename = started
    profile = HelpSeekerProfile.objects.get()

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/en/me/diary/").status_code == 200
        return len(captured)

    DiaryEntry.objects.create(profile=profile, day=today() - timedelta(days=1), urge=2, viewed="no")
    few = queries_for_page()
    for back in range(2, 60):
        DiaryEntry.objects.create(profile=profile, day=today() - timedelta(days=back), urge=back % 11, viewed="no")
    many = queries_for_page()

    assert many == few, "no query per entry or per week"
    assert few <= 12
