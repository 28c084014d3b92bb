"""Inactive profiles are purged after RETENTION_DAYS, in batches, idempotently."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from helpseekers import tasks
from helpseekers.models import HelpSeekerProfile
from helpseekers.services import profile_purge_inactive
from tests.factories import ProfileFactory

TODAY = date(2026, 11, 27)


def _profile(last_active_days_ago: int) -> HelpSeekerProfile:
    day = TODAY - timedelta(days=last_active_days_ago)
    return ProfileFactory(created_on=day, last_active_on=day)


@pytest.mark.django_db
def test_purge_deletes_only_profiles_inactive_longer_than_retention(settings) -> None:
    settings.RETENTION_DAYS = 180
    kept_on_boundary = _profile(180)
    kept_recent = _profile(3)
    purged = _profile(181)

    deleted = profile_purge_inactive(today=TODAY)

    assert deleted == 1
    assert set(HelpSeekerProfile.objects.values_list("id", flat=True)) == {kept_on_boundary.id, kept_recent.id}
    assert not HelpSeekerProfile.objects.filter(id=purged.id).exists()


@pytest.mark.django_db
def test_purge_is_idempotent(settings) -> None:
    settings.RETENTION_DAYS = 10
    _profile(30)

    assert profile_purge_inactive(today=TODAY) == 1
    assert profile_purge_inactive(today=TODAY) == 0


@pytest.mark.django_db
def test_purge_works_in_batches(settings) -> None:
    settings.RETENTION_DAYS = 10
    for days in range(20, 25):
        _profile(days)

    assert profile_purge_inactive(today=TODAY, batch_size=2) == 2
    assert HelpSeekerProfile.objects.count() == 3


@pytest.mark.django_db
def test_task_requeues_itself_while_batches_are_full(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.RETENTION_DAYS = 10
    monkeypatch.setattr(tasks, "PURGE_BATCH_SIZE", 2)
    long_ago = timezone.now().date() - timedelta(days=40)
    for _ in range(5):
        ProfileFactory(created_on=long_ago, last_active_on=long_ago)

    tasks.profile_purge_inactive_task.delay()

    assert HelpSeekerProfile.objects.count() == 0


@pytest.mark.django_db
def test_management_command_purges_everything_due(settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings.RETENTION_DAYS = 10
    long_ago = timezone.now().date() - timedelta(days=40)
    for _ in range(3):
        ProfileFactory(created_on=long_ago, last_active_on=long_ago)
    ProfileFactory()

    call_command("purge_inactive_profiles", "--batch-size", "2")

    assert HelpSeekerProfile.objects.count() == 1
    assert "Purged 3 profile(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_database_refuses_activity_before_creation() -> None:
    with pytest.raises(IntegrityError):
        ProfileFactory(created_on=TODAY, last_active_on=TODAY - timedelta(days=1))


def test_beat_schedule_entries_all_expire(settings) -> None:
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["options"]["expires"] > 0, name
