"""``demo_statistics``: synthetic help-seekers for a demonstration database only."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from analytics.models import Release
from helpseekers.models import HelpSeekerProfile


@pytest.mark.django_db
def test_refused_unless_demo_data_is_on(program, settings) -> None:
    settings.DEMO_DATA = False
    with pytest.raises(CommandError, match="DEMO_DATA"):
        call_command("demo_statistics", stdout=io.StringIO())
    assert not HelpSeekerProfile.objects.exists()


@pytest.mark.django_db
def test_fills_an_empty_database_once(program, settings, tmp_path) -> None:
    settings.DEMO_DATA = True
    settings.BASE_DIR = tmp_path
    (tmp_path / "var").mkdir()
    out = io.StringIO()
    call_command("demo_statistics", profiles=200, months=2, stdout=out)
    assert HelpSeekerProfile.objects.count() == 200
    assert Release.objects.filter(kind="month").count() == 2
    evaluator = User.objects.get(username="demo-evaluator")
    assert evaluator.has_perm("analytics.view_release")
    assert "password" in (tmp_path / "var" / "demo-evaluator.txt").read_text()
    call_command("demo_statistics", profiles=200, months=2, stdout=out)
    assert HelpSeekerProfile.objects.count() == 200  # help-seekers exist: nothing added
    assert "no synthetic ones added" in out.getvalue()
