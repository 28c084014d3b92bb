"""Everything stored about one help-seeker, gathered from every app: "Download my data".

The same document is the JSON file, the API's export and the printable page. It says
plainly what is not stored, and what is stored only for a while.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpseekers import selectors as helpseeker_selectors
from helpseekers.services import SignedIn
from modules.models import BlockKind
from questionnaires import selectors as questionnaire_selectors

EXPORT_FORMAT = "redirection-helpseeker-export/3"


@dataclass(frozen=True)
class FullExport:
    format: str
    language: str
    profile: helpseeker_selectors.ExportedProfile
    sessions: tuple[helpseeker_selectors.ExportedSession, ...]
    progress: tuple[helpseeker_selectors.ExportedProgress, ...]
    modules_completed: tuple[helpseeker_selectors.ExportedCompletion, ...]
    answers: tuple[helpseeker_selectors.ExportedAnswer, ...]
    questionnaires: tuple[questionnaire_selectors.ExportedResponse, ...]
    diary: tuple[helpseeker_selectors.ExportedDiaryEntry, ...]
    not_stored: tuple[str, ...]

    @property
    def plan(self) -> tuple[helpseeker_selectors.ExportedAnswer, ...]:
        return tuple(answer for answer in self.answers if answer.kind == BlockKind.PLAN_ITEM)


def not_stored() -> tuple[str, ...]:
    """What the service does not keep, in the reader's language: the promise, stated exactly."""
    minutes = settings.HELPSEEKER_IDLE_MINUTES
    return (
        _("Your codename: only a scrambled form of it that cannot be turned back."),
        _("Your IP address, your browser's details, your name or any way to contact you."),
        ngettext(
            "Times finer than the day, except your sign-in: while you are signed in, the minute you signed in "
            "and the minute you were last here are kept, and deleted when you sign out or after %(minutes)d "
            "minute away.",
            "Times finer than the day, except your sign-in: while you are signed in, the minute you signed in "
            "and the minute you were last here are kept, and deleted when you sign out or after %(minutes)d "
            "minutes away.",
            minutes,
        )
        % {"minutes": minutes},
    )


def full_export(*, signed_in: SignedIn, requested_language: str) -> FullExport:
    """Everything stored about this help-seeker, in the language they read the program in."""
    mine = helpseeker_selectors.profile_export(signed_in=signed_in, requested_language=requested_language)
    return FullExport(
        format=EXPORT_FORMAT,
        language=requested_language,
        profile=mine.profile,
        sessions=mine.sessions,
        progress=mine.progress,
        modules_completed=mine.modules_completed,
        answers=mine.answers,
        questionnaires=questionnaire_selectors.responses_export(
            profile=signed_in.profile, requested_language=requested_language
        ),
        diary=mine.diary,
        not_stored=not_stored(),
    )
