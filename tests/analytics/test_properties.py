"""Property tests of whole releases on PostgreSQL: random and adversarial help-seeker data
(one heavy user, tiny groups, a language of a handful of people, months inside their
quarter), released month by month and then as a quarter.

The check takes an attacker's view: only the stored figures of every release, with every
relation the rule names, and proves by linear programming that no suppressed cell can be
narrowed below the protection level; and that no released count is from 1 to k-1.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import jobs, services
from analytics.disclosure import Table, audit_intervals, relations
from analytics.models import FillState, RawCell, Release, ReleasedFigure
from analytics.periods import parse_period, quarter
from helpseekers.models import HelpSeekerProfile, StepProgress
from questionnaires.models import ItemResponse, QuestionnaireResponse

K = 11
MONTHS = ((2026, 10), (2026, 11), (2026, 12))
LANGUAGES = ("en", "fi", "sv")
TODAY = date(2027, 1, 5)

# per month and language: how many profiles, and how many of them answer "tried"
groups = st.lists(st.tuples(st.integers(0, 16), st.integers(0, 16)), min_size=9, max_size=9)


def _fill(program, counts: list[tuple[int, int]]) -> None:
    start, contact = program.occasions["start"], program.items["contact"]
    welcome = program.steps["welcome"]
    profiles, responses, answers, progress = [], [], [], []
    for index, (people, tried) in enumerate(counts):
        year_number, month_number = MONTHS[index // 3]
        language = LANGUAGES[index % 3]
        day = date(year_number, month_number, 1 + index % 28)
        for person in range(people):
            profile = HelpSeekerProfile(codename_digest=os.urandom(32), key_salt=os.urandom(16), language=language,
                                        created_on=day, last_active_on=day)  # fmt: skip
            profiles.append(profile)
            response = QuestionnaireResponse(id=uuid.uuid4(), profile=profile, occasion=start, submitted_on=day)
            responses.append(response)
            value = "tried" if person < tried else "no-contact"
            answers.append(ItemResponse(id=uuid.uuid4(), response=response, item=contact, option_value=value))
            progress.append(StepProgress(id=uuid.uuid4(), profile=profile, step=welcome, first_viewed_on=day))
    HelpSeekerProfile.objects.bulk_create(profiles)
    QuestionnaireResponse.objects.bulk_create(responses)
    ItemResponse.objects.bulk_create(answers)
    StepProgress.objects.bulk_create(progress)


def _attackers_view() -> Table:
    """Every stored figure; and, from the job's own bookkeeping, which suppressed ones were
    small counts (the attacker does not know that; the check needs it to know what to prove)."""
    past: dict = {}
    sensitive = set()
    for figure in ReleasedFigure.objects.select_related("release"):
        key = (figure.release.period, figure.measure, figure.language, figure.module, figure.step,
               figure.instrument, figure.item, figure.occasion, figure.category)  # fmt: skip
        if figure.measure == "paired_change":
            continue
        past[key] = None if figure.suppressed else int(figure.count)
        if figure.protected:
            sensitive.add(key)
    return Table(current={}, past=past, past_protected=frozenset(sensitive))


@pytest.mark.usefixtures("postgresql")
@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(counts=groups)
def test_released_tables_cannot_be_narrowed(program, counts: list[tuple[int, int]]) -> None:
    for model in (ReleasedFigure, Release, RawCell, FillState, HelpSeekerProfile):
        model.objects.all().delete()
    _fill(program, counts)
    for year_number, month_number in MONTHS:
        services.release(period=f"{year_number}-{month_number:02d}", today=TODAY)
    services.release(period="2026-Q4", today=TODAY)

    figures = ReleasedFigure.objects.exclude(measure="paired_change")
    assert not figures.filter(suppressed=False, count__gt=0, count__lt=K).exists()
    periods = {p.label: p for p in quarter(2026, 4).family()}
    table = _attackers_view()
    table.unknown_periods = frozenset(
        label for label in periods if label not in {r.period for r in Release.objects.all()}
    )
    audit = audit_intervals(table, relations(table, periods), set())
    narrow = {
        key: interval
        for key, interval in audit.intervals.items()
        if key in table.past_protected and interval[1] - interval[0] < K - 1e-6
    }
    assert not narrow
    # every stored count below k is suppressed and marked as one to protect
    assert not ReleasedFigure.objects.filter(protected=True, suppressed=False).exists()
    # the heavy users' counterpart: each profile counted once in the quarter's total
    total = ReleasedFigure.objects.filter(release__period="2026-Q4", measure="new_profiles", language="").first()
    people = sum(people for people, _ in counts)
    assert (total is None and people == 0) or total.suppressed or total.count == people


@pytest.mark.usefixtures("postgresql")
@pytest.mark.django_db
def test_a_language_of_seven_and_a_rerun(program) -> None:
    counts = [(40, 12), (7, 3), (25, 11)] * 3
    _fill(program, counts)
    first = services.release(period="2026-11", today=TODAY)
    fi = ReleasedFigure.objects.get(release=first, measure="new_profiles", language="fi")
    assert fi.suppressed
    others = ReleasedFigure.objects.filter(release=first, measure="new_profiles", language__in=("en", "sv"))
    assert others.filter(suppressed=True).exists()  # a complement, or 72 - 40 - 25 would give the 7 away
    rows = list(first.figures.order_by("id").values_list("measure", "language", "category", "count", "suppressed"))
    ReleasedFigure.objects.filter(release=first).delete()
    first.delete()
    again = jobs.release_period(parse_period("2026-11", today=TODAY))
    assert (
        list(again.figures.order_by("id").values_list("measure", "language", "category", "count", "suppressed")) == rows
    )
