"""Reads for a signed-in help-seeker: progress, answers, plan, export. Only their own rows.

Progress counts the content in use (retired steps and modules neither count nor block);
answers, plan and export keep everything the help-seeker wrote, retired content included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import translation

from helpseekers.conditions import hidden_step_ids
from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, HelpSeekerSession, ModuleCompletion, StepProgress
from helpseekers.services import SignedIn, answer_text
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
class ProfileExport:
    """Everything the help-seekers app stores about one help-seeker, readable."""

    profile: ExportedProfile
    sessions: tuple[ExportedSession, ...]
    progress: tuple[ExportedProgress, ...]
    modules_completed: tuple[ExportedCompletion, ...]
    answers: tuple[ExportedAnswer, ...]


def _choice_labels(answer: ExerciseAnswer, block: Block) -> tuple[str, ...] | None:
    if answer.choices is None:
        return None
    labels = {option.value: option.label for option in block.options.all()}
    return tuple(labels.get(value, value) for value in answer.choices)


def profile_export(*, signed_in: SignedIn, requested_language: str) -> ProfileExport:
    """Everything stored about this help-seeker, free text decrypted, prompts and choice labels
    in the language they read each program in: six queries."""
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
    )
