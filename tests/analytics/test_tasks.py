"""Celery: the beat entries, the tasks' arguments (periods, never people) and retries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from celery.exceptions import Retry
from django.conf import settings

from analytics import jobs, tasks
from analytics.models import Release


def test_beat_releases_each_period_after_it_ends_with_an_expiry() -> None:
    entries = {
        name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"].startswith("analytics.")
    }
    assert {entry["args"] for entry in entries.values()} == {("month",), ("quarter",), ("year",)}
    for entry in entries.values():
        assert entry["task"] == "analytics.tasks.release_last_period"
        # hourly, so a release missed while the broker was away is made when it returns,
        # and expiring before the next tick, so a backlog never piles up
        assert len(entry["schedule"].hour) == 24
        assert 0 < entry["options"]["expires"] < 60 * 60


@pytest.mark.django_db
def test_a_release_already_made_costs_one_query(program, django_assert_max_num_queries) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 4, 7, tzinfo=UTC)):
        tasks.release_last_period.delay("month").get()
        with django_assert_max_num_queries(2):
            assert tasks.release_last_period.delay("month").get() == "2026-11"


@pytest.mark.django_db
def test_the_task_releases_the_last_month(program) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 4, 7, tzinfo=UTC)):
        assert tasks.release_last_period.delay("month").get() == "2026-11"
        assert tasks.release_period_task.delay("2026-Q3").get() == "2026-Q3"
    assert set(Release.objects.values_list("period", flat=True)) == {"2026-11", "2026-Q3"}


@pytest.mark.django_db
def test_a_failing_release_is_retried_and_a_refusal_is_not(program, monkeypatch) -> None:
    def broken(period, **kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(jobs, "release_period", broken)
    with pytest.raises(Retry):
        tasks.release_period_task.apply(args=("2026-10",), throw=True)
    with pytest.raises(Exception, match="2026-11"):  # a malformed period: refused at once, no retry
        tasks.release_period_task.apply(args=("2026-13",), throw=True)
    assert not Release.objects.exists()
