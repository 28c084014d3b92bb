"""With a replica, the jobs read the help-seeker tables there and write only the aggregated
cells to the primary (Saleor's replica pattern); the figures are the same."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from analytics import services
from analytics.models import Release, ReleasedFigure
from questionnaires import synthetic


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_jobs_read_from_the_replica(program, settings) -> None:
    synthetic.generate(program=program.program, profiles=120, start=date(2026, 11, 1), end=date(2026, 11, 30), seed=3)
    services.release(period="2026-11", today=date(2026, 12, 2))
    expected = list(ReleasedFigure.objects.order_by("id").values_list("measure", "language", "category", "count"))
    ReleasedFigure.objects.all().delete()
    Release.objects.all().delete()

    settings.ANALYTICS_READ_ALIAS = "replica"
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        services.release(period="2026-11", today=date(2026, 12, 2))
    assert any("helpseekers_helpseekerprofile" in query["sql"] for query in replica.captured_queries)
    assert not any("INSERT" in query["sql"] for query in replica.captured_queries)
    assert not any("FROM helpseekers_" in query["sql"] for query in primary.captured_queries)
    assert (
        list(ReleasedFigure.objects.order_by("id").values_list("measure", "language", "category", "count")) == expected
    )
