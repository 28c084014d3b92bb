"""Reads for a signed-in help-seeker: progress, answers, plan, export. Only their own rows.

Progress counts the content in use (retired steps and modules neither count nor block);
answers, plan and export keep everything the help-seeker wrote, retired content included.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils import translation

from helpseekers.conditions import hidden_step_ids
from helpseekers.models import (
    PLAN_HELPED_PREFIX,
    DiaryEntry,
    ExerciseAnswer,
    Helped,
    HelpSeekerProfile,
    HelpSeekerSession,
    ModuleCompletion,
    StepProgress,
    Viewed,
)
from helpseekers.services import SignedIn, answer_text, diary_note_text, plan_item_answers
from modules.markdown import render_markdown
from modules.models import Block, BlockKind, Module, Step
from modules.selectors import content_language_for


@dataclass(frozen=True)
class StepState:
    """What the help-seeker has done on one step: answers by exercise slug, completion."""

    answers: dict[str, Any]
    completed: bool


def _answer_value(signed_in: SignedIn, answer: ExerciseAnswer, block: Block) -> Any:
    if answer.encrypted_text is not None:
        return answer_text(signed_in=signed_in, answer=answer, block=block)
    if answer.scale_value is not None:
        return answer.scale_value
    return list(answer.choices or [])


def step_state(*, signed_in: SignedIn, step_id: int) -> StepState:
    """Answers (free text decrypted) and completion of one step: three queries."""
    blocks = {block.pk: block for block in Block.objects.filter(step_id=step_id)}
    answers = {
        blocks[answer.block_id].slug: _answer_value(signed_in, answer, blocks[answer.block_id])
        for answer in ExerciseAnswer.objects.filter(profile=signed_in.profile, block_id__in=blocks)
    }
    completed = StepProgress.objects.filter(
        profile=signed_in.profile, step_id=step_id, completed_on__isnull=False
    ).exists()
    return StepState(answers=answers, completed=completed)


@dataclass(frozen=True)
class ModuleProgress:
    slug: str
    steps_total: int
    steps_completed: int

    @property
    def completed(self) -> bool:
        return self.steps_total > 0 and self.steps_completed == self.steps_total


def program_progress(*, signed_in: SignedIn, program_id: int) -> dict[str, ModuleProgress]:
    """Steps in use completed per module in use of a program (by slug, in order): one query, and
    one or two more when the program has steps shown only for some answers."""
    hidden = hidden_step_ids(profile=signed_in.profile, program_id=program_id)
    in_use = Q(steps__retired_on__isnull=True) & ~Q(steps__id__in=hidden)
    done = StepProgress.objects.filter(profile=signed_in.profile, completed_on__isnull=False).values("step_id")
    rows = (
        Module.objects.active()
        .filter(program_id=program_id)
        .annotate(
            total=Count("steps", filter=in_use, distinct=True),
            done=Count("steps__id", filter=in_use & Q(steps__id__in=done), distinct=True),
        )
        .order_by("position")
        .values_list("slug", "total", "done")
    )
    return {slug: ModuleProgress(slug, total, done) for slug, total, done in rows}


def completed_step_ids(*, signed_in: SignedIn) -> set[int]:
    """The ids of every step the help-seeker completed (one query on their own progress rows)."""
    return set(
        StepProgress.objects.filter(profile=signed_in.profile, completed_on__isnull=False).values_list(
            "step_id", flat=True
        )
    )


STARTED, DONE = "started", "done"


def step_states(*, signed_in: SignedIn, program_id: int) -> dict[tuple[str, str], str]:
    """Each step the help-seeker opened in a program, by (module slug, step slug): done or started."""
    rows = StepProgress.objects.filter(profile=signed_in.profile, step__module__program_id=program_id).values_list(
        "step__module__slug", "step__slug", "completed_on"
    )
    return {(module, step): DONE if completed_on else STARTED for module, step, completed_on in rows}


def program_completed_on(*, profile: HelpSeekerProfile, program_id: int) -> date | None:
    """The day the help-seeker completed the last module in use of a program, if they did."""
    modules = Module.objects.active().filter(program_id=program_id)
    done = ModuleCompletion.objects.filter(profile=profile, module__in=modules).aggregate(
        count=Count("id"), last=Max("completed_on")
    )
    total = modules.count()
    return done["last"] if total and done["count"] == total else None


def continue_step(*, signed_in: SignedIn) -> Step | None:
    """Where to continue: the last step opened, with its module and program, if still in use."""
    if signed_in.profile.last_step_id is None:
        return None
    return Step.objects.active().select_related("module__program").filter(pk=signed_in.profile.last_step_id).first()


def answer_texts(*, signed_in: SignedIn, block_ids: Collection[int]) -> dict[int, str]:
    """The help-seeker's free-text answers to these exercises, decrypted, by block id: one query."""
    texts = {}
    for answer in ExerciseAnswer.objects.filter(
        profile=signed_in.profile, block_id__in=block_ids, encrypted_text__isnull=False
    ).select_related("block"):
        text = answer_text(signed_in=signed_in, answer=answer, block=answer.block)
        if text:
            texts[answer.block_id] = text
    return texts


@dataclass(frozen=True)
class PlanItem:
    """One plan item: where it was written, the prompt (sanitised HTML) and the help-seeker's words."""

    step_key: str
    module_title: str
    step_title: str
    prompt_html: str
    text: str


def _answers_in_program_order(profile: HelpSeekerProfile) -> QuerySet[ExerciseAnswer]:
    return (
        ExerciseAnswer.objects.filter(profile=profile)
        .select_related("block__step__module__program")
        .order_by(
            "block__step__module__program__slug",
            "block__step__module__position",
            "block__step__position",
            "block__position",
        )
    )


def plan_items(*, signed_in: SignedIn, language: str) -> list[PlanItem]:
    """Every plan item the help-seeker wrote, in program order, decrypted."""
    items = []
    with translation.override(language):
        answers = _answers_in_program_order(signed_in.profile).filter(block__kind=BlockKind.PLAN_ITEM)
        for answer in answers:
            block = answer.block
            text = answer_text(signed_in=signed_in, answer=answer, block=block)
            if text:
                step = block.step
                items.append(
                    PlanItem(
                        f"{step.module.program.slug}/{step.module.slug}/{step.slug}",
                        step.module.title,
                        step.title,
                        render_markdown(block.body),
                        text,
                    )
                )
    return items


# --- Diary ------------------------------------------------------------------------------

DIARY_WEEKS = 12
_PLAN_LABEL_CHARS = 80


@dataclass(frozen=True)
class DiaryDay:
    """One diary entry, its note decrypted."""

    day: date
    urge: int
    viewed: str
    hours: Decimal | None
    helped: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class DiaryWeek:
    """Seven days of the diary: how many were recorded, without viewing and with, the
    urges' highest and mean, and the hours of viewing recorded."""

    starts_on: date
    ends_on: date
    recorded: int
    without_viewing: int
    viewed: int
    highest_urge: int | None
    mean_urge: Decimal | None
    hours: Decimal | None


@dataclass(frozen=True)
class DiaryRuns:
    """Days without viewing, counted kindly: a run is the recorded days without viewing
    that no day with viewing interrupts (days with no entry, or "prefer not to say", neither
    count nor end a run). ``slipped_on`` is the day of the latest entry when it says the
    reader viewed material."""

    without_viewing: int
    current: int
    longest: int
    slipped_on: date | None


def diary_day(*, signed_in: SignedIn, entry: DiaryEntry) -> DiaryDay:
    """One stored entry as pages and the API show it, its note decrypted."""
    note = diary_note_text(signed_in=signed_in, entry=entry)
    return DiaryDay(entry.day, entry.urge, entry.viewed, entry.hours, tuple(entry.helped), note)


def diary_entries(*, signed_in: SignedIn, since: date | None = None) -> list[DiaryDay]:
    """The help-seeker's entries from ``since`` on (all without it), newest first: one query."""
    entries = DiaryEntry.objects.filter(profile=signed_in.profile).order_by("-day")
    if since is not None:
        entries = entries.filter(day__gte=since)
    return [diary_day(signed_in=signed_in, entry=entry) for entry in entries]


def diary_entry(*, signed_in: SignedIn, day: date) -> DiaryDay | None:
    """The entry of one day, if there is one: one query."""
    entry = DiaryEntry.objects.filter(profile=signed_in.profile, day=day).first()
    return None if entry is None else diary_day(signed_in=signed_in, entry=entry)


def diary_weeks(*, profile: HelpSeekerProfile, on: date, weeks: int = DIARY_WEEKS) -> list[DiaryWeek]:
    """The last ``weeks`` weeks up to ``on`` (oldest first), aggregated in one query."""
    first = on - timedelta(days=7 * weeks - 1)
    spans = [(first + timedelta(days=7 * index), first + timedelta(days=7 * index + 6)) for index in range(weeks)]
    aggregates: dict[str, Any] = {}
    for index, (start, end) in enumerate(spans):
        week = Q(day__range=(start, end))
        aggregates |= {
            f"recorded_{index}": Count("id", filter=week),
            f"without_{index}": Count("id", filter=week & Q(viewed=Viewed.NO)),
            f"viewed_{index}": Count("id", filter=week & Q(viewed=Viewed.YES)),
            f"highest_{index}": Max("urge", filter=week),
            f"mean_{index}": Avg("urge", filter=week),
            f"hours_{index}": Sum("hours", filter=week),
        }
    row = DiaryEntry.objects.filter(profile=profile, day__range=(first, on)).aggregate(**aggregates)
    return [
        DiaryWeek(
            starts_on=start,
            ends_on=end,
            recorded=row[f"recorded_{index}"],
            without_viewing=row[f"without_{index}"],
            viewed=row[f"viewed_{index}"],
            highest_urge=row[f"highest_{index}"],
            mean_urge=None
            if row[f"mean_{index}"] is None
            else Decimal(str(row[f"mean_{index}"])).quantize(Decimal("0.1")),
            hours=row[f"hours_{index}"],
        )
        for index, (start, end) in enumerate(spans)
    ]


def diary_runs(*, profile: HelpSeekerProfile) -> DiaryRuns:
    """Days without viewing, the current and the longest run, and a slip on the latest entry:
    one query over the help-seeker's (day, answer) pairs."""
    total = current = longest = 0
    latest: tuple[date, str] | None = None
    for day, viewed in DiaryEntry.objects.filter(profile=profile).order_by("day").values_list("day", "viewed"):
        latest = (day, viewed)
        if viewed == Viewed.NO:
            total += 1
            current += 1
            longest = max(longest, current)
        elif viewed == Viewed.YES:
            current = 0
    slipped_on = latest[0] if latest is not None and latest[1] == Viewed.YES else None
    return DiaryRuns(without_viewing=total, current=current, longest=longest, slipped_on=slipped_on)


@dataclass(frozen=True)
class HelpedChoice:
    """One "what helped" option: its value and its words (the reader's own, for plan items)."""

    value: str
    label: str
    own: bool


def diary_helped_choices(*, signed_in: SignedIn) -> list[HelpedChoice]:
    """The reader's own plan items (shortened), then the common choices: one query."""
    own = []
    for answer in (
        plan_item_answers(profile=signed_in.profile)
        .select_related("block")
        .order_by("block__step__module__position", "block__step__position", "block__position")
    ):
        text = " ".join((answer_text(signed_in=signed_in, answer=answer, block=answer.block) or "").split())
        if text:
            label = text if len(text) <= _PLAN_LABEL_CHARS else text[: _PLAN_LABEL_CHARS - 1].rstrip() + "…"
            own.append(HelpedChoice(f"{PLAN_HELPED_PREFIX}{answer.block_id}", label, True))
    return own + [HelpedChoice(value, str(label), False) for value, label in Helped.choices]


# --- Export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedProfile:
    created_on: date
    last_active_on: date
    language: str


@dataclass(frozen=True)
class ExportedSession:
    """A sign-in session: kept to the minute while it lasts, deleted when it ends."""

    signed_in_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class ExportedProgress:
    program: str
    module: str
    step: str
    first_viewed_on: date
    completed_on: date | None


@dataclass(frozen=True)
class ExportedCompletion:
    program: str
    module: str
    completed_on: date


@dataclass(frozen=True)
class ExportedAnswer:
    """One answer: the stable codes, and the words the help-seeker saw, in their language."""

    program: str
    module: str
    step: str
    step_title: str
    exercise: str
    kind: str
    prompt: str
    answer: Any
    answer_labels: tuple[str, ...] | None
    updated_on: date


@dataclass(frozen=True)
class ExportedDiaryEntry:
    """A diary entry: the stored codes, and their words in the reader's language."""

    day: date
    urge: int
    viewed: str
    viewed_label: str
    hours: Decimal | None
    helped: tuple[str, ...]
    helped_labels: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ProfileExport:
    """Everything the help-seekers app stores about one help-seeker, readable."""

    profile: ExportedProfile
    sessions: tuple[ExportedSession, ...]
    progress: tuple[ExportedProgress, ...]
    modules_completed: tuple[ExportedCompletion, ...]
    answers: tuple[ExportedAnswer, ...]
    diary: tuple[ExportedDiaryEntry, ...]


def _choice_labels(answer: ExerciseAnswer, block: Block) -> tuple[str, ...] | None:
    if answer.choices is None:
        return None
    labels = {option.value: option.label for option in block.options.all()}
    return tuple(labels.get(value, value) for value in answer.choices)


def profile_export(*, signed_in: SignedIn, requested_language: str) -> ProfileExport:
    """Everything stored about this help-seeker, free text decrypted, prompts and choice labels
    in the language they read each program in: six queries, and two for a diary."""
    profile = signed_in.profile
    progress = (
        StepProgress.objects.filter(profile=profile)
        .select_related("step__module__program")
        .order_by("step__module__program__slug", "step__module__position", "step__position")
    )
    completions = ModuleCompletion.objects.filter(profile=profile).select_related("module__program")
    sessions = HelpSeekerSession.objects.filter(profile=profile).order_by("signed_in_at")
    answers = _answers_in_program_order(profile).prefetch_related("block__options")
    exported = []
    for answer in answers:
        block, program = answer.block, answer.block.step.module.program
        with translation.override(content_language_for(program=program, requested=requested_language)):
            exported.append(
                ExportedAnswer(
                    program=program.slug,
                    module=block.step.module.slug,
                    step=block.step.slug,
                    step_title=block.step.title,
                    exercise=block.slug,
                    kind=block.kind,
                    prompt=block.body,
                    answer=_answer_value(signed_in, answer, block),
                    answer_labels=_choice_labels(answer, block),
                    updated_on=answer.updated_on,
                )
            )
    return ProfileExport(
        profile=ExportedProfile(profile.created_on, profile.last_active_on, profile.language),
        sessions=tuple(ExportedSession(s.signed_in_at, s.last_seen_at) for s in sessions),
        progress=tuple(
            ExportedProgress(
                p.step.module.program.slug, p.step.module.slug, p.step.slug, p.first_viewed_on, p.completed_on
            )
            for p in progress
        ),
        modules_completed=tuple(
            ExportedCompletion(c.module.program.slug, c.module.slug, c.completed_on) for c in completions
        ),
        answers=tuple(exported),
        diary=tuple(reversed(diary_entries_in_words(signed_in=signed_in))),
    )


def diary_entries_in_words(*, signed_in: SignedIn, since: date | None = None) -> tuple[ExportedDiaryEntry, ...]:
    """The entries from ``since`` on, newest first, with the words of their answers (the
    reader's own plan items read only when an entry names one): two queries at most."""
    entries = diary_entries(signed_in=signed_in, since=since)
    labels: dict[str, str] = {}
    if any(value.startswith(PLAN_HELPED_PREFIX) for entry in entries for value in entry.helped):
        labels = {choice.value: choice.label for choice in diary_helped_choices(signed_in=signed_in)}
    else:
        labels = {value: str(label) for value, label in Helped.choices}
    return tuple(
        ExportedDiaryEntry(
            day=entry.day,
            urge=entry.urge,
            viewed=entry.viewed,
            viewed_label=str(Viewed(entry.viewed).label),
            hours=entry.hours,
            helped=entry.helped,
            helped_labels=tuple(labels.get(value, value) for value in entry.helped),
            note=entry.note,
        )
        for entry in entries
    )
