"""What comes next for a help-seeker: after a step, after a questionnaire, when starting.

One place decides where a help-seeker goes, so the step page, the questionnaire pages and the
codename page agree: a module's check-in right after its last step (skippable), then the next
step across module boundaries, and "my progress" at the end of the program.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language

from helpseekers.models import HelpSeekerProfile
from modules import selectors as content
from questionnaires import selectors as questionnaire_selectors
from questionnaires.models import Occasion


def first_step_url() -> str | None:
    """The first step of the first published program, if there is one."""
    for program in content.program_list():
        outline = content.program_outline(program=program, language=get_language())
        for module in outline.modules:
            for step in module.steps:
                return reverse("journey:step", args=[program.slug, step.module_slug, step.step_slug])
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


def next_step_url(*, program: content.ProgramRef, module_slug: str, step_slug: str) -> str | None:
    """The step after this one, crossing into the next module; ``None`` after the last step."""
    outline = content.program_outline(program=program, language=content.FALLBACK_LANGUAGE)
    _previous, following = outline.neighbours(module_slug, step_slug)
    if following is None:
        return None
    return reverse("journey:step", args=[program.slug, following.module_slug, following.step_slug])
