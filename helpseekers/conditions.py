"""Content shown only for some answers: which steps a help-seeker's own answers hide.

A step (or a questionnaire item) may depend on an earlier choice exercise: it is shown when
the help-seeker's answer includes one of its values, or when they have not answered. A step
hidden this way is not asked of them and is not required for completing its module.
"""

from __future__ import annotations

from collections.abc import Iterable

from helpseekers.models import ExerciseAnswer, HelpSeekerProfile
from modules.models import Step
from modules.selectors import StepLink


def answered_choices(*, profile: HelpSeekerProfile, block_ids: Iterable[int]) -> dict[int, set[str]]:
    """The help-seeker's chosen option values, by exercise, for the exercises answered."""
    rows = ExerciseAnswer.objects.filter(profile=profile, block_id__in=set(block_ids), choices__isnull=False)
    return {block_id: set(choices or ()) for block_id, choices in rows.values_list("block_id", "choices")}


def is_shown(condition_block_id: int | None, condition_values: Iterable[str], answers: dict[int, set[str]]) -> bool:
    """Whether content with this condition is shown, given the answers to conditions."""
    if condition_block_id is None or condition_block_id not in answers:
        return True
    return bool(answers[condition_block_id] & set(condition_values))


class ShownSteps:
    """Which of a program outline's steps a help-seeker is shown, from the conditions the
    outline carries: the answers are read once, and only when a conditional step is asked about."""

    def __init__(self, *, profile: HelpSeekerProfile, steps: Iterable[StepLink]) -> None:
        self._profile = profile
        self._blocks = {step.condition.block_id for step in steps if step.condition is not None}
        self._answers: dict[int, set[str]] | None = None

    def __call__(self, step: StepLink) -> bool:
        if step.condition is None:
            return True
        if self._answers is None:
            self._answers = answered_choices(profile=self._profile, block_ids=self._blocks)
        return is_shown(step.condition.block_id, step.condition.values, self._answers)


def hidden_steps(*, profile: HelpSeekerProfile, program_id: int) -> dict[int, tuple[str, str]]:
    """Steps in use of the program that this help-seeker's answers hide, by id, with their
    (module slug, step slug): one query, two when the program has conditional steps."""
    conditional = list(
        Step.objects.active()
        .filter(module__program_id=program_id, condition_block__isnull=False)
        .values_list("id", "module__slug", "slug", "condition_block_id", "condition_values")
    )
    if not conditional:
        return {}
    answers = answered_choices(profile=profile, block_ids=(row[3] for row in conditional))
    return {
        step_id: (module_slug, step_slug)
        for step_id, module_slug, step_slug, block_id, values in conditional
        if not is_shown(block_id, values, answers)
    }


def hidden_step_ids(*, profile: HelpSeekerProfile, program_id: int) -> set[int]:
    """The ids of the steps this help-seeker's answers hide (``hidden_steps``)."""
    return set(hidden_steps(profile=profile, program_id=program_id))
