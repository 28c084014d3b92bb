"""Evaluator pages: who may see them, what they show, and that the CSV is the table."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from analytics.models import ReleasedFigure

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitors_are_sent_to_sign_in_and_other_staff_refused(released, author) -> None:
    for path in ("/evaluation/", "/evaluation/2026-11/", "/evaluation/2026-11/figures.csv"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")
        assert signed_in(author).get(path).status_code == 403


def test_overview_lists_releases_with_a_chart(released, evaluator) -> None:
    client = signed_in(evaluator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/evaluation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "2026-10" in page
    assert "2026-11" in page
    assert "<script" not in page
    assert len(queries) <= 8  # sessions, user, permissions, releases, figures: not one per release


def test_release_page_shows_every_section_and_suppressed_as_a_word(released, evaluator) -> None:
    response = signed_in(evaluator).get("/evaluation/2026-11/")
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("profiles", "funnel", "modules", "questionnaires", "change", "items", "distributions", "helplines"):
        assert f'id="{section}"' in page
    assert page.count("<svg") >= 4
    assert "suppressed" in page
    assert "<script" not in page
    assert " on" not in re.sub(r"<[^>]*>", "", "")
    assert not re.search(r"<[^>]+\son[a-z]+=", page)
    assert "How often did you view?" in page  # human labels from the content
    # the all-language total of new profiles as the table shows it
    total = ReleasedFigure.objects.get(release=released, measure="new_profiles", language="")
    assert f'<th scope="row">All languages</th><td>{int(total.count)}</td>' in page


def test_release_page_queries_do_not_grow_with_figures(released, evaluator) -> None:
    client = signed_in(evaluator)
    with CaptureQueriesContext(connection) as queries:
        client.get("/evaluation/2026-11/")
    assert len(queries) <= 16


def _table_rows(page: str, caption: str) -> list[list[str]]:
    figure = page[page.index(f"<figcaption>{caption}</figcaption>") :]
    table = figure[: figure.index("</table>")]
    body = table[table.index("<tbody>") :]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_csv_matches_the_page_table(released, evaluator) -> None:
    client = signed_in(evaluator)
    page = client.get("/evaluation/2026-11/").content.decode()
    download = client.get("/evaluation/2026-11/figures.csv?measure=step_started&measure=step_completed")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert {record["measure"] for record in records} == {"step_started", "step_completed"}
    by_cell = {(r["measure"], r["language"], r["module"], r["step"]): r for r in records}
    rows = _table_rows(page, "Modules and steps: the funnel")
    assert rows
    steps = {
        "Welcome": ("first", "welcome"),
        "Why change?": ("first", "why"),
        "What matters": ("first", "values"),
        "My first plan": ("first", "plan"),
        "Urges are waves": ("second", "waves"),
        "Where help is": ("second", "help"),
    }
    for row in rows:
        module, step = steps[row[1]]
        for measure, shown in (("step_started", row[2]), ("step_completed", row[3])):
            record = by_cell[(measure, "", module, step)]
            assert shown == ("suppressed" if record["suppressed"] == "true" else record["count"])


def test_a_suppressed_cell_is_listed_in_the_csv_with_an_empty_count(released, evaluator) -> None:
    records = list(
        csv.DictReader(io.StringIO(signed_in(evaluator).get("/evaluation/2026-11/figures.csv").content.decode()))
    )
    hidden = [r for r in records if r["suppressed"] == "true"]
    assert hidden
    assert all(r["count"] == "" and r["percent"] == "" for r in hidden)
    assert len(records) == ReleasedFigure.objects.filter(release=released).count()


def test_bad_periods(released, evaluator) -> None:
    client = signed_in(evaluator)
    for period, status in (("2026-13", 400), ("2027-05", 400), ("2026-09", 404)):
        response = client.get(f"/evaluation/{period}/")
        assert response.status_code == status
        assert "No release to show" in response.content.decode()
        assert client.get(f"/evaluation/{period}/figures.csv").status_code == status
