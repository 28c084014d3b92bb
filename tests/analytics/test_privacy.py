"""Differential privacy mode: noise on every leaf, sums as post-processing, the ledger."""

from __future__ import annotations

from datetime import date

import pytest

from analytics import services
from analytics.models import FillState, Release, ReleasedFigure
from analytics.privacy import BudgetSpent
from questionnaires import synthetic

TODAY = date(2026, 12, 2)


@pytest.fixture
def noisy(settings, program):
    settings.STATISTICS_EPSILON = 1.0
    settings.STATISTICS_EPSILON_PER_YEAR = 2.5
    synthetic.generate(program=program.program, profiles=250, start=date(2026, 9, 1), end=date(2026, 11, 30),
                       languages=("en", "fi"), seed=11)  # fmt: skip
    return program


def test_a_noisy_release_records_its_method_epsilon_and_accuracy(noisy) -> None:
    release = services.release(period="2026-11", today=TODAY)
    assert release.method == "threshold+dp(eps=1)"
    assert release.epsilon == 1.0
    assert set(release.accuracy) >= {"new_profiles", "step_started", "item_options", "paired_change"}
    assert all(value > 0 for value in release.accuracy.values())
    figures = ReleasedFigure.objects.filter(release=release, suppressed=False).exclude(measure="paired_change")
    assert not figures.filter(count__lt=0).exists()  # clipped
    assert not figures.filter(count__gt=0, count__lt=release.k).exists()  # the threshold after noise
    # totals are sums of the noisy leaves: languages add up to all languages where all are released
    for total in figures.filter(measure="new_profiles", language=""):
        parts = ReleasedFigure.objects.filter(release=release, measure="new_profiles").exclude(language="")
        if not parts.filter(suppressed=True).exists():
            assert sum(part.count for part in parts) == total.count


def test_noise_covers_cells_nobody_fell_in(noisy) -> None:
    """Every language and option the content allows is noised, so an empty cell's absence
    tells nothing: cells appear for languages nobody used."""
    release = services.release(period="2026-11", today=TODAY)
    languages = set(
        ReleasedFigure.objects.filter(release=release, measure="new_profiles").values_list("language", flat=True)
    )
    assert len(languages) > 3  # en, fi, the all-language row, and the other interface languages


def test_the_yearly_ledger_refuses_a_release_past_the_budget(noisy) -> None:
    services.release(period="2026-09", today=TODAY)
    services.release(period="2026-10", today=TODAY)
    with pytest.raises(BudgetSpent):
        services.release(period="2026-11", today=TODAY)
    assert not Release.objects.filter(period="2026-11").exists()
    assert not FillState.objects.exists()  # refused before any work


@pytest.mark.django_db
def test_the_release_page_shows_each_measure_accuracy(noisy, evaluator, client) -> None:
    release = services.release(period="2026-11", today=TODAY)
    client.force_login(evaluator)
    page = client.get("/evaluation/2026-11/").content.decode()
    assert "Noise added for differential privacy" in page
    assert f"± {release.accuracy['new_profiles']}" in page
