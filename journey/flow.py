"""What comes next for a help-seeker: after a step, after a questionnaire, when coming back.

One place decides where a help-seeker goes, so every page agrees: a module's check-in right
after its last step (skippable), then the first unfinished step of what follows, and, once
every module is complete, the "you have finished" page. "Continue where you left off" never
points at a finished step.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language

from helpseekers import selectors as progress
from helpseekers.conditions import ShownSteps
from helpseekers.models import HelpSeekerProfile
from helpseekers.services import SignedIn
from modules import selectors as content
from questionnaires import selectors as questionnaire_selectors
from questionnaires.models import Occasion, OccasionKind


def step_url(program_slug: str, step: content.StepLink) -> str:
    return reverse("journey:step", args=[program_slug, step.module_slug, step.step_slug])


def first_step_url() -> str | None:
    """The first step of the first published program, if there is one."""
    for program in content.program_list():
        outline = content.program_outline(program=program, language=get_language())
        for module in outline.modules:
            for step in module.steps:
                return step_url(program.slug, step)
    return None


def baseline_due(*, profile: HelpSeekerProfile) -> questionnaire_selectors.OccasionLink | None:
    """The first questionnaire offered to someone who has just started, in its content language."""
    for program in content.program_list():
        due = questionnaire_selectors.occasions_due(profile=profile, program_id=program.id)
        if due:
            language = content.content_language_for(program=program, requested=get_language())
            return questionnaire_selectors.occasion_link(due[0], language)
    return None


def check_in_after(*, profile: HelpSeekerProfile, program_id: int, module_id: int) -> Occasion | None:
    """The check-in of a module that has just been completed, if it is due now."""
    for occasion in questionnaire_selectors.occasions_due(profile=profile, program_id=program_id):
        if occasion.module_id == module_id:
            return occasion
    return None


def _program_steps(program: content.ProgramRef) -> list[content.StepLink]:
    """The program's steps in use, in order, with their conditions (from the cached outline)."""
    outline = content.program_outline(program=program, language=content.FALLBACK_LANGUAGE)
    return [step for module in outline.modules for step in module.steps]


def hidden_keys(*, signed_in: SignedIn, program: content.ProgramRef) -> set[tuple[str, str]]:
    """(module slug, step slug) of the steps this help-seeker's answers hide."""
    steps = _program_steps(program)
    shown = ShownSteps(profile=signed_in.profile, steps=steps)
    return {step.as_key for step in steps if not shown(step)}


def neighbours(
    *, signed_in: SignedIn, program: content.ProgramRef, key: tuple[str, str]
) -> tuple[content.StepLink | None, content.StepLink | None]:
    """The steps shown to this help-seeker before and after ``key`` (for a hidden step opened
    directly, around its place in the program)."""
    steps = _program_steps(program)
    keys = [step.as_key for step in steps]
    if key not in keys:
        return None, None
    index = keys.index(key)
    shown = ShownSteps(profile=signed_in.profile, steps=steps)
    previous = next((step for step in reversed(steps[:index]) if shown(step)), None)
    following = next((step for step in steps[index + 1 :] if shown(step)), None)
    return previous, following


def next_unfinished_step(
    *, signed_in: SignedIn, program: content.ProgramRef, after: tuple[str, str] | None = None
) -> content.StepLink | None:
    """The first step shown and not yet completed after ``after`` (module slug, step slug), else
    the first one from the start; ``None`` when every step shown is complete.

    One query for what is done, and one for the answers only when a conditional step is met."""
    steps = _program_steps(program)
    keys = [step.as_key for step in steps]
    start = keys.index(after) + 1 if after in keys else 0
    shown = ShownSteps(profile=signed_in.profile, steps=steps)
    done: set[int] | None = None
    for step in steps[start:] + steps[:start]:
        if not shown(step):
            continue
        if done is None:
            done = progress.completed_step_ids(signed_in=signed_in)
        if step.step_id not in done:
            return step
    return None


def next_step_in_order(*, signed_in: SignedIn, program: content.ProgramRef, module_slug: str, step_slug: str) -> str:
    """The step shown after this one, done or not (for "skip"); the program's page after the last."""
    _previous, following = neighbours(signed_in=signed_in, program=program, key=(module_slug, step_slug))
    return step_url(program.slug, following) if following else reverse("journey:program", args=[program.slug])


def finished_url(program: content.ProgramRef) -> str:
    return reverse("journey:finished", args=[program.slug])


def after_step_url(*, signed_in: SignedIn, program: content.ProgramRef, module_slug: str, step_slug: str) -> str:
    """Where "save and continue" goes once the step is complete (its module's check-in aside):
    the next step not yet done, or the "you have finished" page."""
    following = next_unfinished_step(signed_in=signed_in, program=program, after=(module_slug, step_slug))
    return finished_url(program) if following is None else step_url(program.slug, following)


def after_questionnaire_url(*, signed_in: SignedIn, program: content.ProgramRef, occasion: Occasion) -> str:
    """Where a help-seeker goes on from a questionnaire, answered or skipped: after a module's
    check-in, the next step not done after that module; at the start, the step to continue
    with; at the end or a follow-up, the "you have finished" page."""
    if occasion.kind in (OccasionKind.END, OccasionKind.FOLLOW_UP):
        return finished_url(program)
    after = None
    if occasion.kind == OccasionKind.AFTER_MODULE and occasion.module is not None:
        outline = content.program_outline(program=program, language=content.FALLBACK_LANGUAGE)
        module = next((m for m in outline.modules if m.slug == occasion.module.slug), None)
        after = module.steps[-1].as_key if module is not None and module.steps else None
    following = next_unfinished_step(signed_in=signed_in, program=program, after=after)
    if following is not None:
        return step_url(program.slug, following)
    return finished_url(program)


def continue_url(*, signed_in: SignedIn) -> str | None:
    """ "Continue where you left off": the step opened last if it is not done yet, else the next
    one not done; ``None`` before the first step is opened or once every step is done."""
    last = progress.continue_step(signed_in=signed_in)
    if last is None:
        return None
    try:
        program = content.program_get(slug=last.module.program.slug)
    except Http404:  # the program is no longer published
        return None
    key = (last.module.slug, last.slug)
    if last.id not in progress.completed_step_ids(signed_in=signed_in):
        return reverse("journey:step", args=[program.slug, *key])
    following = next_unfinished_step(signed_in=signed_in, program=program, after=key)
    return step_url(program.slug, following) if following else None
