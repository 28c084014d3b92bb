"""The evaluation API: evaluators only, in the schema, the same rows as the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.authtoken.models import Token

from analytics.models import ReleasedFigure
from tests.api_schema import openapi

pytestmark = pytest.mark.django_db


def test_the_operations_are_in_the_schema() -> None:
    paths = openapi()["paths"]
    assert "/api/v1/evaluation/releases/" in paths
    assert "/api/v1/evaluation/releases/{period}/" in paths
    assert "text/csv" in paths["/api/v1/evaluation/releases/{period}/figures.csv"]["get"]["responses"]["200"]["content"]


PATHS = (
    "/api/v1/evaluation/releases/",
    "/api/v1/evaluation/releases/2026-11/",
    "/api/v1/evaluation/releases/2026-11/figures.csv",
)


def test_non_evaluators_are_refused(api, released, author) -> None:
    token = Token.objects.create(user=author)
    for path in PATHS:
        assert api.get(path).status_code in (401, 403)
        assert api.get(path, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 403
    api.force_login(author)
    for path in PATHS:
        assert api.get(path).status_code == 403


def test_help_seekers_are_refused(api, released, started) -> None:
    client, _codename = started
    assert client.get("/api/v1/evaluation/releases/").status_code in (401, 403)


def test_evaluators_read_releases_by_session_or_token(api, released, evaluator) -> None:
    token = Token.objects.create(user=evaluator)
    listed = api.get("/api/v1/evaluation/releases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert listed.status_code == 200
    assert [release["period"] for release in listed.json()] == ["2026-10", "2026-11"]
    api.force_login(evaluator)
    detail = api.get("/api/v1/evaluation/releases/2026-11/").json()
    assert detail["k"] == 11
    assert detail["cells_checked"] >= 1
    assert len(detail["figures"]) == ReleasedFigure.objects.filter(release=released).count()
    hidden = [figure for figure in detail["figures"] if figure["suppressed"]]
    assert hidden
    assert all(figure["count"] is None for figure in hidden)
    download = api.get("/api/v1/evaluation/releases/2026-11/figures.csv")
    assert download.status_code == 200
    records = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(r["measure"], r["category"], r["count"]) for r in records] == [
        (f["measure"], f["category"], "" if f["count"] is None else f"{f['count']:g}") for f in detail["figures"]
    ]


def test_bad_periods_are_refused_with_a_message(api, released, evaluator) -> None:
    api.force_login(evaluator)
    for period, status in (("2026-13", 400), ("2099-01", 400), ("2026-09", 404)):
        response = api.get(f"/api/v1/evaluation/releases/{period}/")
        assert response.status_code == status
        assert response.json()["detail"]
