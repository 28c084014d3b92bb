"""The diary's service and reads: one entry a day, changed on its day only; the note sealed
to its row; weeks aggregated in SQL; runs without viewing counted kindly; the constraints
hold even against a write that skips the service."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from helpseekers import selectors, services
from helpseekers.errors import DiaryInvalid
from helpseekers.models import DiaryEntry, HelpSeekerProfile
from helpseekers.services import DiaryInput, SignedIn

DAY = date(2026, 11, 30)


@pytest.fixture
def reader(db: None) -> SignedIn:
    started = services.profile_start(language="en")
    signed_in = services.session_resolve(token=started.token)
    assert signed_in is not None
    return signed_in


def _save(reader: SignedIn, day: date, on: date = DAY, **values: object) -> DiaryEntry:
    fields = {"urge": "3", "viewed": "no", **values}
    return services.diary_save(
        signed_in=reader,
        submitted=DiaryInput(day=day.isoformat(), **fields),
        on=on,  # type: ignore[arg-type]
    )


def test_the_note_is_stored_only_sealed_to_its_profile_and_day(reader: SignedIn) -> None:
    entry = _save(reader, DAY, note="Only for me, marker 5512.")

    stored = bytes(DiaryEntry.objects.get(pk=entry.pk).encrypted_note or b"")
    assert b"marker 5512" not in stored
    assert selectors.diary_entry(signed_in=reader, day=DAY).note == "Only for me, marker 5512."  # type: ignore[union-attr]
    # the same ciphertext moved to another day no longer opens
    DiaryEntry.objects.filter(pk=entry.pk).update(day=DAY - timedelta(days=1))
    assert selectors.diary_entry(signed_in=reader, day=DAY - timedelta(days=1)).note == ""  # type: ignore[union-attr]


def test_an_entry_changes_on_its_own_day_only(reader: SignedIn) -> None:
    _save(reader, DAY, urge="2")

    _save(reader, DAY, urge="6", replace=True)
    with pytest.raises(DiaryInvalid) as later:
        _save(reader, DAY, on=DAY + timedelta(days=1), urge="9", replace=True)

    assert DiaryEntry.objects.get().urge == 6
    assert later.value.errors == {"day": "An entry can be changed only on its own day."}
    assert later.value.status == 400


def test_every_problem_is_reported_at_once(reader: SignedIn) -> None:
    with pytest.raises(DiaryInvalid) as refused:
        _save(reader, DAY + timedelta(days=2), urge="x", viewed="", helped=["nope"])

    assert set(refused.value.errors) == {"day", "urge", "viewed", "helped"}
    assert not DiaryEntry.objects.exists()


def test_weeks_are_aggregated_oldest_first(reader: SignedIn) -> None:
    profile = reader.profile
    for back, urge, viewed, hours in ((0, 8, "yes", Decimal("1.5")), (1, 2, "no", None), (2, 5, "yes", Decimal("2"))):
        day = DAY - timedelta(days=back)
        DiaryEntry.objects.create(profile=profile, day=day, urge=urge, viewed=viewed, hours=hours)
    DiaryEntry.objects.create(profile=profile, day=DAY - timedelta(days=7), urge=1, viewed="unsaid")

    weeks = selectors.diary_weeks(profile=profile, on=DAY)

    assert len(weeks) == 12
    assert weeks[-1].ends_on == DAY
    assert weeks[0].starts_on == DAY - timedelta(days=83)
    last, before = weeks[-1], weeks[-2]
    assert (last.recorded, last.without_viewing, last.viewed, last.highest_urge) == (3, 1, 2, 8)
    assert (last.mean_urge, last.hours) == (Decimal("5.0"), Decimal("3.5"))
    assert (before.recorded, before.without_viewing, before.highest_urge, before.hours) == (1, 0, 1, None)
    assert weeks[0].recorded == 0
    assert weeks[0].mean_urge is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], (0, 0, 0, False)),
        (["no", "no", None, "no"], (3, 3, 3, False)),  # a day without an entry does not end a run
        (["no", "no", "yes", "no"], (3, 1, 2, False)),
        (["no", "unsaid", "no", "yes"], (2, 0, 2, True)),  # "prefer not to say" neither counts nor ends
        (["yes", "no", "no", "no", "yes", "no"], (4, 1, 3, False)),
    ],
)
def test_runs_without_viewing(
    reader: SignedIn, answers: list[str | None], expected: tuple[int, int, int, bool]
) -> None:
    first = DAY - timedelta(days=len(answers))
    for offset, viewed in enumerate(answers):
        if viewed is not None:
            DiaryEntry.objects.create(profile=reader.profile, day=first + timedelta(days=offset), urge=1, viewed=viewed)

    runs = selectors.diary_runs(profile=reader.profile)

    assert (runs.without_viewing, runs.current, runs.longest, runs.slipped_on is not None) == expected


@pytest.mark.parametrize(
    "values",
    [
        {"urge": 11, "viewed": "no"},
        {"urge": 3, "viewed": "often"},
        {"urge": 3, "viewed": "no", "hours": Decimal("1")},
        {"urge": 3, "viewed": "yes", "hours": Decimal("24.5")},
    ],
)
def test_the_database_refuses_what_the_service_would(reader: SignedIn, values: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(profile=reader.profile, day=DAY, **values)


def test_one_entry_a_day_even_past_the_service(reader: SignedIn) -> None:
    DiaryEntry.objects.create(profile=reader.profile, day=DAY, urge=1, viewed="no")

    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(profile=reader.profile, day=DAY, urge=2, viewed="no")


def test_deleting_the_profile_deletes_the_diary(reader: SignedIn) -> None:
    _save(reader, DAY, note="gone")

    services.profile_delete(profile=reader.profile)

    assert not DiaryEntry.objects.exists()
    assert not HelpSeekerProfile.objects.exists()
