"""Releasing a period: what is counted, the threshold, deletion, re-runs and faults."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from analytics import jobs, services
from analytics.measures import MEASURES
from analytics.models import FillState, RawCell, Release, ReleasedFigure
from helpseekers.models import HelpSeekerProfile, StepProgress
from questionnaires import synthetic
from questionnaires.models import ItemResponse, QuestionnaireResponse
from tests.factories import ProfileFactory

TODAY = date(2026, 12, 2)
K = 11


def release(period: str = "2026-11") -> Release:
    return services.release(period=period, today=TODAY)


def rows(release: Release) -> list[tuple]:
    return list(
        ReleasedFigure.objects.filter(release=release)
        .order_by("measure", "language", "module", "step", "instrument", "item", "occasion", "category")
        .values_list("measure", "language", "module", "step", "instrument", "item", "occasion", "category", "count",
                     "n", "percent", "suppressed")
    )  # fmt: skip


def figure(release: Release, measure: str, **dims: str) -> ReleasedFigure:
    filters = {
        name: dims.get(name, "")
        for name in ("language", "module", "step", "instrument", "item", "occasion", "category")
    }
    return ReleasedFigure.objects.get(release=release, measure=measure, **filters)


@pytest.fixture
def busy(program):
    synthetic.generate(program=program.program, profiles=300, start=date(2026, 10, 1), end=date(2026, 11, 30),
                       languages=("en", "fi"), seed=7)  # fmt: skip
    return program


def test_no_released_count_is_below_the_threshold(busy) -> None:
    stored = release()
    counts = ReleasedFigure.objects.filter(release=stored, suppressed=False).exclude(measure="paired_change")
    assert counts.exists()
    assert not counts.filter(count__gt=0, count__lt=K).exists()
    assert not ReleasedFigure.objects.filter(release=stored, suppressed=True, count__isnull=False).exists()
    assert (
        stored.suppressed
        == ReleasedFigure.objects.filter(release=stored, suppressed=True).exclude(measure="paired_change").count()
        + ReleasedFigure.objects.filter(
            release=stored, suppressed=True, measure="paired_change", category="mean_change"
        ).count()
    )
    assert stored.cells_checked >= 1
    assert stored.narrowest_interval >= K


def test_new_profiles_match_the_tables(busy) -> None:
    stored = release()
    made = HelpSeekerProfile.objects.filter(created_on__gte=date(2026, 11, 1), created_on__lt=date(2026, 12, 1))
    total = figure(stored, "new_profiles")
    assert total.count == made.count()
    for language in ("en", "fi"):
        assert figure(stored, "new_profiles", language=language).count == made.filter(language=language).count()


def test_partitions_add_up_and_percent_has_its_n(busy) -> None:
    stored = release()
    for total in ReleasedFigure.objects.filter(
        release=stored, measure="questionnaire_responses", category="", suppressed=False
    ):
        parts = ReleasedFigure.objects.filter(release=stored, measure="questionnaire_responses",
                                              occasion=total.occasion,
                                              instrument=total.instrument).exclude(category="")  # fmt: skip
        assert {part.category for part in parts} == {"answered", "skipped"}
        for part in parts:
            assert part.n == total.count
            if not part.suppressed:
                assert part.percent == round(100 * part.count / total.count, 1)
        if not any(part.suppressed for part in parts):
            assert sum(part.count for part in parts) == total.count


def test_one_heavy_user_counts_once(program) -> None:
    heavy = ProfileFactory(created_on=date(2026, 11, 3), last_active_on=date(2026, 11, 30), language="en")
    for step in program.steps.values():
        StepProgress.objects.create(
            profile=heavy, step=step, first_viewed_on=date(2026, 11, 5), completed_on=date(2026, 11, 6)
        )
    for _ in range(K):  # others, active only by being created
        ProfileFactory(created_on=date(2026, 11, 10), last_active_on=date(2026, 11, 10), language="en")
    stored = release()
    assert figure(stored, "active_profiles").count == K + 1
    assert figure(stored, "new_profiles", language="en").count == K + 1
    # the heavy user alone in every step: one profile, suppressed, never 1 shown
    started = figure(stored, "step_started", module="first", step="welcome")
    assert started.suppressed
    assert started.count is None


def test_deleted_profiles_leave_later_releases_and_stored_ones_stay(busy) -> None:
    first = release("2026-10")
    before = rows(first)
    october = HelpSeekerProfile.objects.filter(created_on__lt=date(2026, 11, 1))
    gone = october.count() // 2
    HelpSeekerProfile.objects.filter(pk__in=list(october.values_list("pk", flat=True)[:gone])).delete()
    assert rows(Release.objects.get(period="2026-10")) == before  # stored releases never change
    later = services.release(period="2026-Q4", today=date(2027, 1, 2))
    remaining = HelpSeekerProfile.objects.filter(created_on__gte=date(2026, 10, 1), created_on__lt=date(2027, 1, 1))
    total = figure(later, "new_profiles")
    assert total.suppressed or total.count == remaining.count()
    assert not total.suppressed


def test_a_second_run_is_identical(busy) -> None:
    stored = release()
    first = rows(stored)
    assert release().pk == stored.pk
    assert rows(stored) == first
    ReleasedFigure.objects.filter(release=stored).delete()
    stored.delete()
    assert rows(release()) == first  # and computing it afresh gives the same rows


def test_a_failure_mid_job_leaves_no_release_and_the_next_run_completes(busy, monkeypatch) -> None:
    expected = rows(release())
    ReleasedFigure.objects.all().delete()
    Release.objects.all().delete()
    real_fill = jobs.fill
    calls = []

    def failing(measure, period, *, codes):
        calls.append(measure.slug)
        if len(calls) == 5:
            # die after marking the measure started and writing half of it
            FillState.objects.update_or_create(measure=measure.slug, period=period.label, defaults={"state": "started"})
            RawCell.objects.create(period=period.label, measure=measure.slug, count=999)
            raise RuntimeError("worker killed")
        real_fill(measure, period, codes=codes)

    monkeypatch.setattr(jobs, "fill", failing)
    with pytest.raises(RuntimeError):
        release()
    assert not Release.objects.exists()
    assert not ReleasedFigure.objects.exists()
    assert FillState.objects.filter(state="done").count() == 4
    assert FillState.objects.filter(state="started").count() == 1
    monkeypatch.setattr(jobs, "fill", real_fill)
    assert rows(release()) == expected  # the started measure was undone, the done ones kept
    assert not RawCell.objects.exists()
    assert not FillState.objects.exists()


def test_a_store_failure_leaves_nothing_visible(busy, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReleasedFigure.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        release()
    assert not Release.objects.exists()
    assert FillState.objects.filter(state="done").count() == len(MEASURES)  # the next run only releases


def test_too_little_data_reveals_nothing(program) -> None:
    for language in ("en", "en", "fi"):
        ProfileFactory(created_on=date(2026, 11, 3), last_active_on=date(2026, 11, 3), language=language)
    stored = release()
    assert "Too little data" in stored.note
    assert not ReleasedFigure.objects.filter(release=stored, suppressed=False).exists()


def test_an_empty_period_says_so(program) -> None:
    stored = release()
    assert stored.note == "No data in this period."
    assert not stored.figures.exists()


def test_the_threshold_below_five_is_refused(settings) -> None:
    settings.STATISTICS_THRESHOLD = 4
    with pytest.raises(ValueError, match="at least 5"):
        jobs.threshold()


def _answers(program, no_contact: int, tried: int) -> None:
    start, contact = program.occasions["start"], program.items["contact"]
    for index in range(no_contact + tried):
        profile = ProfileFactory(created_on=date(2026, 11, 2), last_active_on=date(2026, 11, 2))
        response = QuestionnaireResponse.objects.create(profile=profile, occasion=start, submitted_on=date(2026, 11, 2))
        ItemResponse.objects.create(
            response=response, item=contact, option_value="no-contact" if index < no_contact else "tried"
        )


WHERE = {"instrument": "situation", "item": "contact", "occasion": "start"}


def test_answers_are_counted_per_option(program) -> None:
    _answers(program, K + 2, K + 1)
    stored = release()
    assert figure(stored, "item_options", **WHERE).count == 2 * K + 3
    no_contact = figure(stored, "item_options", **WHERE, category="no-contact")
    assert (no_contact.count, no_contact.n, no_contact.percent) == (
        K + 2,
        2 * K + 3,
        round(100 * (K + 2) / (2 * K + 3), 1),
    )
    assert figure(stored, "item_options", **WHERE, category="tried").count == K + 1


def test_a_small_option_takes_its_complement_with_it(program) -> None:
    _answers(program, K + 3, K - 3)
    stored = release()
    assert figure(stored, "item_options", **WHERE).count == 2 * K  # the total is released
    tried = figure(stored, "item_options", **WHERE, category="tried")
    no_contact = figure(stored, "item_options", **WHERE, category="no-contact")
    # 8 < k is suppressed, and so is 14: otherwise 22 - 14 would give the 8 away
    assert tried.suppressed
    assert no_contact.suppressed
    assert tried.n == 2 * K


def test_commands(busy) -> None:
    out = io.StringIO()
    call_command("release_stats", period="2026-10", stdout=out)
    assert "2026-10:" in out.getvalue()
    assert "audit checked" in out.getvalue()
    csv_out = io.StringIO()
    call_command("export_release", period="2026-10", stdout=csv_out)
    lines = csv_out.getvalue().splitlines()
    assert lines[0] == ("release,measure,period_start,period_end,language,module,step,instrument,item,occasion,"
                        "category,count,percent,n,suppressed,method")  # fmt: skip
    assert len(lines) == 1 + ReleasedFigure.objects.filter(release__period="2026-10").count()
    for bad in ("2026-13", "2027-01", "soon"):
        with pytest.raises(CommandError):
            call_command("release_stats", period=bad, stdout=io.StringIO())
    with pytest.raises(CommandError, match="not been released"):
        call_command("export_release", period="2026-09", stdout=io.StringIO())


def test_paired_change_takes_one_baseline_per_profile(program) -> None:
    """Two baseline occasions (a retired one and its replacement): each profile still adds
    one change to the sums, as it counts once in n."""
    from tests.factories import OccasionFactory

    situation = program.occasions["start"].instrument
    second = OccasionFactory(program=program.program, instrument=situation, slug="start-again", kind="baseline")
    end = program.occasions["end"]
    for index in range(K + 1):
        profile = ProfileFactory(created_on=date(2026, 9, 1), last_active_on=date(2026, 11, 20))
        for occasion, day, score in ((program.occasions["start"], 1, 10), (second, 2, 14), (end, 20, 6 + index % 2)):
            month_number = 9 if occasion.kind == "baseline" else 11
            QuestionnaireResponse.objects.create(
                profile=profile, occasion=occasion, submitted_on=date(2026, month_number, day), score=score
            )
    stored = release()
    mean = figure(stored, "paired_change", instrument="situation", occasion="end", category="mean_change")
    assert mean.n == K + 1
    # from the first baseline (10) to 6 or 7: a mean change of -(4 * 6 + 3 * 6) / 12 = -3.5
    assert float(mean.count) == pytest.approx(-(4 * 6 + 3 * 6) / (K + 1), abs=0.01)


def test_a_weekly_check_is_released_per_week_with_its_change_from_baseline(program) -> None:
    """A repeating occasion: each round is a cell of its own (``weekly@2``), so a profile
    that answers every week still counts once in each; its change from baseline per week."""
    from tests.factories import OccasionFactory

    situation = program.occasions["start"].instrument
    weekly = OccasionFactory(
        program=program.program, instrument=situation, slug="weekly", kind="repeating", every_days=7, times=4
    )
    for _index in range(K + 1):
        profile = ProfileFactory(created_on=date(2026, 10, 26), last_active_on=date(2026, 11, 20))
        QuestionnaireResponse.objects.create(
            profile=profile, occasion=program.occasions["start"], submitted_on=date(2026, 10, 26), score=12
        )
        for round_number in (1, 2, 3):
            QuestionnaireResponse.objects.create(
                profile=profile, occasion=weekly, round=round_number, score=12 - 2 * round_number,
                submitted_on=date(2026, 11, 2 + 7 * (round_number - 1)),
            )  # fmt: skip
    stored = release()

    for round_number in (1, 2, 3):
        answered = figure(stored, "questionnaire_responses", instrument="situation", occasion=f"weekly@{round_number}")
        assert answered.count == K + 1
        change = figure(
            stored, "paired_change", instrument="situation", occasion=f"weekly@{round_number}", category="mean_change"
        )
        assert (change.n, float(change.count)) == (K + 1, -2.0 * round_number)
    assert not ReleasedFigure.objects.filter(release=stored, occasion="weekly").exists(), "never all rounds in one"
