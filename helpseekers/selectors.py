"""Reads for a signed-in help-seeker: progress, answers, plan, export. Only their own rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, ModuleCompletion, StepProgress
from helpseekers.services import SignedIn, answer_text
from modules.models import Block, BlockKind, Module, Step


@dataclass(frozen=True)
class StepState:
    """What the help-seeker has done on one step: answers by exercise slug, completion."""

    answers: dict[str, Any]
    completed: bool


def step_state(*, signed_in: SignedIn, step_id: int) -> StepState:
    """Answers (free text decrypted) and completion of one step: three queries."""
    blocks = {block.pk: block for block in Block.objects.filter(step_id=step_id)}
    answers: dict[str, Any] = {}
    for answer in ExerciseAnswer.objects.filter(profile=signed_in.profile, block_id__in=blocks):
        block = blocks[answer.block_id]
        if answer.encrypted_text is not None:
            answers[block.slug] = answer_text(signed_in=signed_in, answer=answer, block=block)
        elif answer.scale_value is not None:
            answers[block.slug] = answer.scale_value
        else:
            answers[block.slug] = list(answer.choices or [])
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
    """Steps completed per module of a program (by module slug, in order): one query."""
    rows = (
        Module.objects.filter(program_id=program_id)
        .annotate(
            total=Count("steps", distinct=True),
            done=Count(
                "steps__id",
                filter=Q(
                    steps__id__in=StepProgress.objects.filter(
                        profile=signed_in.profile, completed_on__isnull=False
                    ).values("step_id")
                ),
                distinct=True,
            ),
        )
        .order_by("position")
        .values_list("slug", "total", "done")
    )
    return {slug: ModuleProgress(slug, total, done) for slug, total, done in rows}


def completed_steps(*, signed_in: SignedIn, program_id: int) -> set[tuple[str, str]]:
    """(module slug, step slug) of every step the help-seeker completed in a program."""
    rows = StepProgress.objects.filter(
        profile=signed_in.profile, step__module__program_id=program_id, completed_on__isnull=False
    ).values_list("step__module__slug", "step__slug")
    return set(rows)


def continue_step(*, signed_in: SignedIn) -> Step | None:
    """Where to continue: the last step opened, with its module and program."""
    if signed_in.profile.last_step_id is None:
        return None
    return Step.objects.select_related("module__program").filter(pk=signed_in.profile.last_step_id).first()


@dataclass(frozen=True)
class PlanItem:
    module_title: str
    step_title: str
    prompt: str
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


def _text_answers(signed_in: SignedIn, kinds: set[str]) -> list[tuple[ExerciseAnswer, Block]]:
    answers = _answers_in_program_order(signed_in.profile).filter(block__kind__in=kinds)
    return [(answer, answer.block) for answer in answers]


def plan_items(*, signed_in: SignedIn, language: str) -> list[PlanItem]:
    """Every plan item the help-seeker wrote, in program order, decrypted."""
    items = []
    with translation.override(language):
        for answer, block in _text_answers(signed_in, {BlockKind.PLAN_ITEM}):
            text = answer_text(signed_in=signed_in, answer=answer, block=block)
            if text:
                items.append(PlanItem(block.step.module.title, block.step.title, block.body, text))
    return items


def profile_export(*, signed_in: SignedIn) -> dict[str, Any]:
    """Everything stored about this help-seeker, readable: for "Export my data"."""
    profile = signed_in.profile
    progress = (
        StepProgress.objects.filter(profile=profile)
        .select_related("step__module__program")
        .order_by("step__module__program__slug", "step__module__position", "step__position")
    )
    answers = _answers_in_program_order(profile)
    completions = ModuleCompletion.objects.filter(profile=profile).select_related("module__program")

    def where(step: Step) -> dict[str, str]:
        return {"program": step.module.program.slug, "module": step.module.slug, "step": step.slug}

    exported_answers = []
    for answer in answers:
        block = answer.block
        if answer.encrypted_text is not None:
            value: Any = answer_text(signed_in=signed_in, answer=answer, block=block)
        elif answer.scale_value is not None:
            value = answer.scale_value
        else:
            value = list(answer.choices or [])
        exported_answers.append(
            {
                **where(block.step),
                "exercise": block.slug,
                "kind": block.kind,
                "prompt": block.body,
                "answer": value,
                "updated_on": answer.updated_on.isoformat(),
            }
        )
    return {
        "format": "redirection-helpseeker-export/1",
        "profile": {
            "created_on": profile.created_on.isoformat(),
            "last_active_on": profile.last_active_on.isoformat(),
            "language": profile.language,
        },
        "progress": [
            {
                **where(p.step),
                "first_viewed_on": p.first_viewed_on.isoformat(),
                "completed_on": p.completed_on.isoformat() if p.completed_on else None,
            }
            for p in progress
        ],
        "modules_completed": [
            {"program": c.module.program.slug, "module": c.module.slug, "completed_on": c.completed_on.isoformat()}
            for c in completions
        ],
        "answers": exported_answers,
        "plan": [a for a in exported_answers if a["kind"] == BlockKind.PLAN_ITEM],
        "not_stored": [
            "your codename (only a keyed digest of it)",
            "your IP address, browser details or any name or contact",
            "times finer than the day",
        ],
    }
