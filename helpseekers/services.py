"""Writes for anonymous help-seekers: start, resume, sessions, progress, answers, deletion.

Every function takes what it needs by keyword and never receives or returns anything that
identifies a person. The codename exists only inside ``profile_start`` (which returns it
once, to be shown) and ``profile_resume`` (which receives it); neither stores nor logs it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpseekers import crypto, throttle
from helpseekers.codenames import codename_candidates, codename_generate, codename_normalise
from helpseekers.conditions import hidden_step_ids
from helpseekers.errors import AnswersInvalid, DiaryInvalid, SignInRefused
from helpseekers.models import (
    DIARY_HOURS_MAX,
    DIARY_URGE_MAX,
    PLAN_HELPED_PREFIX,
    DiaryEntry,
    ExerciseAnswer,
    Helped,
    HelpSeekerProfile,
    HelpSeekerSession,
    ModuleCompletion,
    StepProgress,
    Viewed,
    today,
)
from modules.models import CHOICE_KINDS, EXERCISE_KINDS, SCALE_MAX, SCALE_MIN, Block, BlockKind, Step
from redirection.errors import FieldRefused
from redirection.inputs import is_storable_text, whole_number

log = logging.getLogger(__name__)

TEXT_KINDS = frozenset({BlockKind.FREE_TEXT, BlockKind.PLAN_ITEM})


@dataclass(frozen=True)
class SignedIn:
    """A signed-in help-seeker for the length of one request: profile, answer key, session,
    and the codename check (``None`` for a session of a profile still on key scheme 1)."""

    profile: HelpSeekerProfile
    key: bytes = field(repr=False)
    token_digest: bytes = field(repr=False)
    codename_check: bytes | None = field(default=None, repr=False)

    @property
    def padded(self) -> bool:
        """Whether this profile's answers are padded (key scheme 2)."""
        return self.profile.key_scheme >= crypto.SCHEME_CURRENT


@dataclass(frozen=True)
class Started:
    """A new profile. ``codename`` is shown once and then forgotten."""

    profile: HelpSeekerProfile
    codename: str = field(repr=False)
    token: str = field(repr=False)


# --- Sessions ---------------------------------------------------------------------------


def _minute_now() -> datetime:
    return timezone.now().replace(second=0, microsecond=0)


def _session_open(*, profile: HelpSeekerProfile, key: bytes, check: bytes) -> str:
    token, digest = crypto.token_issue(key, check)
    now = _minute_now()
    HelpSeekerSession.objects.create(token_digest=digest, profile=profile, signed_in_at=now, last_seen_at=now)
    return token


def session_resolve(*, token: str) -> SignedIn | None:
    """The signed-in help-seeker for a token, or ``None`` (ending a session that timed out)."""
    try:
        digest, key, check = crypto.token_open(token)
    except crypto.TokenInvalid:
        return None
    session = HelpSeekerSession.objects.select_related("profile").filter(token_digest=digest).first()
    if session is None:
        return None
    now = timezone.now()
    idle = timedelta(minutes=settings.HELPSEEKER_IDLE_MINUTES)
    absolute = timedelta(hours=settings.HELPSEEKER_ABSOLUTE_HOURS)
    if now - session.last_seen_at > idle or now - session.signed_in_at > absolute:
        session.delete()
        return None
    if now - session.last_seen_at >= timedelta(minutes=1):
        HelpSeekerSession.objects.filter(pk=digest).update(last_seen_at=_minute_now())
    profile = session.profile
    current_day = today()
    if profile.last_active_on < current_day:
        HelpSeekerProfile.objects.filter(pk=profile.pk).update(last_active_on=current_day)
        profile.last_active_on = current_day
    return SignedIn(profile=profile, key=key, token_digest=digest, codename_check=check)


def session_end(*, token_digest: bytes) -> None:
    """Sign out: the session row goes, so the token no longer works anywhere."""
    HelpSeekerSession.objects.filter(token_digest=token_digest).delete()


def session_purge_expired() -> int:
    """Delete sessions past their idle or absolute timeout. Returns how many."""
    now = timezone.now()
    expired = HelpSeekerSession.objects.filter(
        last_seen_at__lt=now - timedelta(minutes=settings.HELPSEEKER_IDLE_MINUTES)
    ) | HelpSeekerSession.objects.filter(signed_in_at__lt=now - timedelta(hours=settings.HELPSEEKER_ABSOLUTE_HOURS))
    deleted, _details = expired.delete()
    return deleted


# --- Start and resume -------------------------------------------------------------------


def _admit(budget: throttle.Budget, key: str, refusal: str) -> None:
    """Wait for a turn in ``budget`` (in arrival order, bounded), or raise ``SignInRefused``."""
    wait = throttle.limiter().reserve(budget, key)
    if wait is None:
        raise SignInRefused(refusal)
    if wait > 0:
        time.sleep(wait)


def profile_start(*, language: str) -> Started:
    """Create a profile with a new codename and sign it in.

    Starting draws on a budget of its own, so resumes never use it up. Raises
    ``SignInRefused`` (busy).
    """
    _admit(throttle.start_budget(), "everyone", SignInRefused.BUSY)
    for _attempt in range(3):
        codename = codename_generate(language)
        normalised = codename_normalise(codename)
        salt = crypto.new_salt()
        try:
            secrets = crypto.codename_secrets(normalised)
            with transaction.atomic():
                profile = HelpSeekerProfile.objects.create(
                    codename_digest=secrets.lookup, key_salt=salt, key_scheme=crypto.SCHEME_CURRENT, language=language
                )
        except IntegrityError:  # the same seven words drawn twice: draw again
            continue
        except crypto.HashingBusy as exc:
            raise SignInRefused(SignInRefused.BUSY) from exc
        token = _session_open(
            profile=profile,
            key=crypto.answer_key(secrets.key_material, salt),
            check=crypto.codename_check(normalised, salt),
        )
        return Started(profile=profile, codename=codename, token=token)
    raise RuntimeError("could not draw a unique codename")


_legacy_gone = False


def _legacy_profiles_remain() -> bool:
    """Whether any profile is still on key scheme 1 (once none is, never again: new profiles
    are always on the current scheme)."""
    global _legacy_gone
    if not _legacy_gone and not HelpSeekerProfile.objects.filter(key_scheme=crypto.SCHEME_LEGACY).exists():
        _legacy_gone = True
    return not _legacy_gone


def _profile_move_to_current_scheme(
    *, profile: HelpSeekerProfile, normalised: str, secrets: crypto.CodenameSecrets
) -> None:
    """Re-encrypt a scheme-1 profile's answers under the scheme-2 key (padded), store the new
    lookup digest, and end its other sessions (they carry the old key). One transaction."""
    salt = bytes(profile.key_salt)
    old_key = crypto.legacy_answer_key(normalised, salt)
    new_key = crypto.answer_key(secrets.key_material, salt)
    with transaction.atomic():
        locked = HelpSeekerProfile.objects.select_for_update().filter(pk=profile.pk).first()
        if locked is None or locked.key_scheme != crypto.SCHEME_LEGACY:
            return  # deleted, or moved by a concurrent sign-in
        answers = list(ExerciseAnswer.objects.filter(profile=profile, encrypted_text__isnull=False))
        for answer in answers:
            associated = _associated(profile.pk, answer.block_id)
            try:
                text = crypto.decrypt(old_key, bytes(answer.encrypted_text or b""), associated, padded=False)
            except (InvalidTag, ValueError):  # a damaged row stays as it is, and reads as no answer
                log.warning("an answer could not be moved to the current key scheme; it is kept as it was")
                continue
            answer.encrypted_text = crypto.encrypt(new_key, text, associated)
        ExerciseAnswer.objects.bulk_update(answers, ["encrypted_text"])
        HelpSeekerSession.objects.filter(profile=profile).delete()
        HelpSeekerProfile.objects.filter(pk=profile.pk).update(
            codename_digest=secrets.lookup, key_scheme=crypto.SCHEME_CURRENT
        )
    profile.codename_digest = secrets.lookup
    profile.key_scheme = crypto.SCHEME_CURRENT


def profile_resume(*, codename_text: str, browser_key: str | None) -> tuple[HelpSeekerProfile, str]:
    """Find a profile by its codename and sign it in; returns (profile, session token).

    ``browser_key`` identifies the browser for the per-browser limit (the API has none).
    Raises ``SignInRefused``. The input is checked before any hashing; a wrong codename and a
    malformed one both end in the same message to the help-seeker. A profile still on key
    scheme 1 moves to the current one here.
    """
    try:
        normalised = codename_normalise(codename_text)
    except ValueError as exc:
        raise SignInRefused(SignInRefused.MALFORMED) from exc
    if browser_key is not None:
        _admit(throttle.browser_budget(), browser_key, SignInRefused.THROTTLED)
    _admit(throttle.resume_budget(), "everyone", SignInRefused.BUSY)
    try:
        secrets = crypto.codename_secrets(normalised)
        profile = HelpSeekerProfile.objects.filter(codename_digest=secrets.lookup).first()
        if profile is None and _legacy_profiles_remain():
            profile = HelpSeekerProfile.objects.filter(
                codename_digest=crypto.legacy_digest(normalised), key_scheme=crypto.SCHEME_LEGACY
            ).first()
            if profile is not None:
                _profile_move_to_current_scheme(profile=profile, normalised=normalised, secrets=secrets)
    except crypto.HashingBusy as exc:
        raise SignInRefused(SignInRefused.BUSY) from exc
    if profile is None:
        raise SignInRefused(SignInRefused.WRONG)
    salt = bytes(profile.key_salt)
    token = _session_open(
        profile=profile,
        key=crypto.answer_key(secrets.key_material, salt),
        check=crypto.codename_check(normalised, salt),
    )
    current_day = today()
    if profile.last_active_on < current_day:
        HelpSeekerProfile.objects.filter(pk=profile.pk).update(last_active_on=current_day)
    return profile, token


# --- Progress ---------------------------------------------------------------------------


def step_record_view(*, profile: HelpSeekerProfile, step_id: int) -> None:
    """Remember that the step was opened (once) and that it is where to continue."""
    if profile.last_step_id == step_id:
        return  # reopening the current step changes nothing
    StepProgress.objects.bulk_create([StepProgress(profile=profile, step_id=step_id)], ignore_conflicts=True)
    HelpSeekerProfile.objects.filter(pk=profile.pk).update(last_step_id=step_id)
    profile.last_step_id = step_id


def step_complete(*, profile: HelpSeekerProfile, step_id: int, module_id: int, program_id: int) -> bool:
    """Mark a step completed (idempotent). Returns whether this completed its module.

    The first completion date is kept; completing again writes nothing new. When two requests
    complete the same step at once, only the one whose update lands reports the module.
    """
    day = today()
    state = StepProgress.objects.filter(profile=profile, step_id=step_id).values_list("completed_on", flat=True)[:1]
    if not state:
        # Completed without being opened here (the API allows it): one new row.
        StepProgress.objects.bulk_create(
            [StepProgress(profile=profile, step_id=step_id, first_viewed_on=day, completed_on=day)],
            ignore_conflicts=True,
        )
    elif state[0] is not None:
        return False  # completed before: nothing changes
    elif not StepProgress.objects.filter(profile=profile, step_id=step_id, completed_on__isnull=True).update(
        completed_on=day
    ):
        return False  # a concurrent request completed it first
    # Only steps in use and shown to this help-seeker count: a retired step, or one their own
    # answers hide, neither blocks nor makes a module's completion.
    hidden = hidden_step_ids(profile=profile, program_id=program_id)
    counts = (
        Step.objects.active()
        .filter(module_id=module_id)
        .exclude(id__in=hidden)
        .aggregate(
            total=Count("id"),
            done=Count(
                "id",
                filter=Q(
                    id__in=StepProgress.objects.filter(profile=profile, completed_on__isnull=False).values("step_id")
                ),
            ),
        )
    )
    if counts["total"] and counts["done"] == counts["total"]:
        ModuleCompletion.objects.bulk_create(
            [ModuleCompletion(profile=profile, module_id=module_id, completed_on=day)], ignore_conflicts=True
        )
        return True
    return False


# --- Answers ----------------------------------------------------------------------------


def _associated(profile_id: object, block_id: int) -> bytes:
    return f"{profile_id}:{block_id}".encode()


def _contains_codename(signed_in: SignedIn, text: str) -> bool:
    """Whether ``text`` holds this help-seeker's codename, without the server knowing it.

    Every run of seven list words in the text (in any case or separators) is put through
    the codename check and compared with the one this session's token carries: cheap
    (HKDF), exact. A session of a scheme-1 profile compares with its answer key instead.
    """
    salt = bytes(signed_in.profile.key_salt)
    if signed_in.codename_check is not None:
        return any(crypto.codename_check(w, salt) == signed_in.codename_check for w in codename_candidates(text))
    return any(crypto.legacy_answer_key(w, salt) == signed_in.key for w in codename_candidates(text))


def _check_text(signed_in: SignedIn, text: str, limit: int) -> None:
    """Raise ``FieldRefused`` for free text that cannot be stored: characters that are not
    text, more than ``limit`` characters, or the help-seeker's codename."""
    if not is_storable_text(text):
        raise FieldRefused(_("Your answer holds characters that cannot be saved. Remove them and save again."))
    if len(text) > limit:
        raise FieldRefused(
            ngettext(
                "Your answer is %(count)d character too long. Shorten it to %(limit)d characters.",
                "Your answer is %(count)d characters too long. Shorten it to %(limit)d characters.",
                len(text) - limit,
            )
            % {"count": len(text) - limit, "limit": limit}
        )
    if _contains_codename(signed_in, text):
        raise FieldRefused(
            _(
                "This answer contains your codename, so it was not saved. Remove the codename and save "
                "again: keep it only where you keep it safe."
            )
        )


class Exercise(Protocol):
    """What saving an answer needs of an exercise (``modules.selectors.BlockView`` fits)."""

    @property
    def id(self) -> int: ...

    @property
    def slug(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def option_values(self) -> tuple[str, ...]: ...


def _clean_answer(signed_in: SignedIn, exercise: Exercise, values: Sequence[str]) -> tuple[str, object] | None:
    """(kind of value, value) to store, ``None`` to clear; raises ``FieldRefused``."""
    if exercise.kind in TEXT_KINDS:
        text = (values[0] if values else "").strip()
        if not text:
            return None
        _check_text(signed_in, text, settings.ANSWER_MAX_CHARS)
        return "text", text
    if exercise.kind == BlockKind.SCALE:
        raw = values[0].strip() if values else ""
        if not raw:
            return None
        number = whole_number(raw, low=SCALE_MIN, high=SCALE_MAX)
        if number is None:
            raise FieldRefused(_("Choose a number from 0 to 10."))
        return "scale", number
    if exercise.kind in CHOICE_KINDS:
        chosen = [value for value in values if value]
        if not chosen:
            return None
        allowed = exercise.option_values
        if any(value not in allowed for value in chosen) or len(set(chosen)) != len(chosen):
            raise FieldRefused(_("Choose from the options shown."))
        if exercise.kind == BlockKind.SINGLE_CHOICE and len(chosen) > 1:
            raise FieldRefused(_("Choose one option."))
        return "choices", [value for value in allowed if value in chosen]
    raise FieldRefused(_("This part of the step takes no answer."))


def step_answers_save(
    *, signed_in: SignedIn, exercises: Sequence[Exercise], submitted: Mapping[str, Sequence[str]]
) -> int:
    """Save the submitted answers of one step, all or nothing. Returns how many were stored.

    ``exercises`` are the step's blocks (cached content will do). Only exercises present in
    ``submitted`` change; an empty value clears that answer. Saving the same answers twice
    gives the same rows. Raises ``AnswersInvalid`` and saves nothing if any answer is
    invalid, so what was saved before is kept. One statement writes every answer.
    """
    answerable = {exercise.slug: exercise for exercise in exercises if exercise.kind in EXERCISE_KINDS}
    errors: dict[str, str] = {
        slug: _("This part of the step takes no answer.") for slug in submitted if slug not in answerable
    }
    cleaned: list[tuple[Exercise, tuple[str, object] | None]] = []
    for slug, values in submitted.items():
        if slug in answerable:
            try:
                cleaned.append((answerable[slug], _clean_answer(signed_in, answerable[slug], values)))
            except FieldRefused as refused:
                errors[slug] = refused.message
    if errors:
        raise AnswersInvalid(errors)
    profile = signed_in.profile
    day = today()
    rows = []
    for exercise, value in cleaned:
        if value is None:
            continue
        kind, content = value
        row = ExerciseAnswer(profile=profile, block_id=exercise.id, updated_on=day)
        if kind == "text":
            row.encrypted_text = crypto.encrypt(
                signed_in.key, str(content), _associated(profile.pk, exercise.id), padded=signed_in.padded
            )
        elif kind == "scale":
            row.scale_value = content  # type: ignore[assignment]
        else:
            row.choices = content
        rows.append(row)
    cleared = [exercise.id for exercise, value in cleaned if value is None]
    # Everything is validated; the writes join the caller's transaction (every request has
    # one) without a savepoint of their own, and open one when there is none.
    with transaction.atomic(savepoint=False):
        if cleared:
            ExerciseAnswer.objects.filter(profile=profile, block_id__in=cleared).delete()
        if rows:
            ExerciseAnswer.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["profile", "block"],
                update_fields=["encrypted_text", "choices", "scale_value", "updated_on"],
            )
    return len(rows)


def _decrypt(signed_in: SignedIn, block: Block, ciphertext: bytes) -> str | None:
    try:
        return crypto.decrypt(
            signed_in.key, bytes(ciphertext), _associated(signed_in.profile.pk, block.pk), padded=signed_in.padded
        )
    except Exception:  # a wrong key or damaged row reads as no answer, never as an error
        return None


def answer_text(*, signed_in: SignedIn, answer: ExerciseAnswer, block: Block) -> str | None:
    """The plaintext of a free-text answer, readable only with this session's key."""
    if answer.encrypted_text is None:
        return None
    return _decrypt(signed_in, block, bytes(answer.encrypted_text))


# --- Diary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryInput:
    """A diary entry as submitted: every value a string (or strings) a person chose."""

    day: str
    urge: str
    viewed: str
    hours: str = ""
    helped: Sequence[str] = ()
    note: str = ""
    replace: bool = False  # change the day's entry (allowed on that day only) instead of adding one


def _diary_associated(profile_id: object, day: date) -> bytes:
    return f"{profile_id}:diary:{day.isoformat()}".encode()


def _hours(raw: str) -> Decimal | None:
    """Hours as typed ("2", "1.5", "1,5"), to one decimal, within the day; ``None`` if not."""
    text = raw.strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,2}(\.[0-9])?", text, re.ASCII):
        return None
    hours = Decimal(text)
    return hours if hours <= DIARY_HOURS_MAX else None


def plan_item_answers(*, profile: HelpSeekerProfile) -> QuerySet[ExerciseAnswer]:
    """The plan items this help-seeker has written (what the diary offers as "what helped")."""
    return ExerciseAnswer.objects.filter(profile=profile, block__kind=BlockKind.PLAN_ITEM, encrypted_text__isnull=False)


def _diary_day_refusal(*, profile: HelpSeekerProfile, day: date | None, replace: bool, on: date) -> str | None:
    """Why an entry cannot be written for ``day`` (``None`` if it can): not a day, a future
    day, a day too long ago to fill in, or a day that has its entry (which can be changed
    on that day only)."""
    if day is None:
        return _("Choose a day.")
    if day > on:
        return _("That day has not come yet. Choose today or a day before.")
    if day < on - timedelta(days=settings.DIARY_LATE_DAYS):
        return ngettext(
            "A missed day can be filled in for up to %(days)d day back.",
            "A missed day can be filled in for up to %(days)d days back.",
            settings.DIARY_LATE_DAYS,
        ) % {"days": settings.DIARY_LATE_DAYS}
    exists = DiaryEntry.objects.filter(profile=profile, day=day).exists()
    if exists and not replace:
        return _("You already have an entry for that day. You can change today's entry, on its day.")
    if exists and day != on:
        return _("An entry can be changed only on its own day.")
    if replace and not exists:
        return _("There is no entry for that day to change. Save it as a new entry.")
    return None


def diary_save(*, signed_in: SignedIn, submitted: DiaryInput, on: date | None = None) -> DiaryEntry:
    """Add a diary entry for a day (today, or a missed day up to ``DIARY_LATE_DAYS`` back),
    or change today's. Raises ``DiaryInvalid`` with every field's problem and saves nothing.

    Hours count only when the reader viewed material (they are dropped otherwise). The
    note is encrypted like free-text answers and refused if it holds the codename.
    """
    on = on or today()
    profile = signed_in.profile
    errors: dict[str, str] = {}
    try:
        day: date | None = date.fromisoformat(submitted.day.strip())
    except ValueError:
        day = None
    refusal = _diary_day_refusal(profile=profile, day=day, replace=submitted.replace, on=on)
    if refusal:
        errors["day"] = refusal
    urge = whole_number(submitted.urge, low=0, high=DIARY_URGE_MAX)
    if urge is None:
        errors["urge"] = _("Choose a number from 0 to 10.")
    viewed = submitted.viewed.strip()
    if viewed not in Viewed.values:
        errors["viewed"] = _("Choose one of the answers.")
    hours: Decimal | None = None
    if viewed == Viewed.YES and submitted.hours.strip():
        hours = _hours(submitted.hours)
        if hours is None:
            errors["hours"] = _("Give the hours as a number from 0 to 24, such as 1.5.")
    helped = list(dict.fromkeys(value.strip() for value in submitted.helped if value.strip()))
    plan_ids = (
        set(plan_item_answers(profile=profile).values_list("block_id", flat=True))
        if any(v.startswith(PLAN_HELPED_PREFIX) for v in helped)
        else set()
    )
    allowed = {*Helped.values, *(f"{PLAN_HELPED_PREFIX}{block_id}" for block_id in plan_ids)}
    if any(value not in allowed for value in helped):
        errors["helped"] = _("Choose from the options shown.")
    note = submitted.note.strip()
    if note:
        try:
            _check_text(signed_in, note, settings.DIARY_NOTE_MAX_CHARS)
        except FieldRefused as refused:
            errors["note"] = refused.message
    if errors or day is None or urge is None:
        raise DiaryInvalid(errors)
    encrypted = (
        crypto.encrypt(signed_in.key, note, _diary_associated(profile.pk, day), padded=signed_in.padded)
        if note
        else None
    )
    values = {"urge": urge, "viewed": viewed, "hours": hours, "helped": helped, "encrypted_note": encrypted}
    with transaction.atomic(savepoint=False):
        if submitted.replace:
            DiaryEntry.objects.filter(profile=profile, day=day).update(**values)
            return DiaryEntry.objects.get(profile=profile, day=day)
        try:
            with transaction.atomic():
                return DiaryEntry.objects.create(profile=profile, day=day, **values)
        except IntegrityError as exc:  # the same day saved by a request a moment ago
            raise DiaryInvalid(
                {"day": _("You already have an entry for that day. You can change today's entry, on its day.")}
            ) from exc


def diary_note_text(*, signed_in: SignedIn, entry: DiaryEntry) -> str:
    """The plaintext of an entry's note ("" for none, or one this session cannot read)."""
    if entry.encrypted_note is None:
        return ""
    try:
        return crypto.decrypt(
            signed_in.key,
            bytes(entry.encrypted_note),
            _diary_associated(signed_in.profile.pk, entry.day),
            padded=signed_in.padded,
        )
    except Exception:  # a wrong key or damaged row reads as no note, never as an error
        return ""


# --- Deletion ---------------------------------------------------------------------------


@transaction.atomic
def profile_delete(*, profile: HelpSeekerProfile) -> None:
    """Delete the profile and every row that belongs to it, in one transaction."""
    HelpSeekerProfile.objects.filter(pk=profile.pk).delete()


def profile_purge_inactive(*, today: date | None = None, batch_size: int = 500) -> int:
    """Delete one batch of profiles inactive for more than ``RETENTION_DAYS``.

    Returns how many profiles were deleted; a result equal to ``batch_size`` means more may
    remain. Deleting a profile deletes every row that belongs to it (cascades), so one
    batch is one transaction. Running it again deletes nothing more: it is idempotent.

    "Deleted" means no query can reach the rows again. On disk, PostgreSQL keeps the old
    row versions until VACUUM frees their space (the help-seeker tables are vacuumed after
    50 dead rows) and in WAL until it is recycled; free-text answers in them are encrypted.
    Disk encryption covers the rest (docs/operators.md, "What the disk keeps").
    """
    today = today or timezone.now().date()
    cutoff = today - timedelta(days=settings.RETENTION_DAYS)
    with transaction.atomic():
        ids = list(
            HelpSeekerProfile.objects.filter(last_active_on__lt=cutoff)
            .order_by("last_active_on")
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            HelpSeekerProfile.objects.filter(id__in=ids).delete()
    return len(ids)
