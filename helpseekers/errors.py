"""Refusals a help-seeker can meet when signing in or saving answers, each with its message
(in the reader's language, built when raised) and its HTTP status. Web pages and the API both
read them from the exception; nothing maps them a second time."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from redirection.errors import ApplicationError


class SignInRefused(ApplicationError):
    """Start or resume did not happen; ``reason`` is one of the class constants.

    A wrong codename and a malformed one read the same, so the message never tells which.
    """

    WRONG = "wrong"
    MALFORMED = "malformed"
    THROTTLED = "throttled"
    BUSY = "busy"

    def __init__(self, reason: str) -> None:
        if reason in (self.WRONG, self.MALFORMED):
            message, status = _("That codename did not work. Check the words and try again."), 400
        elif reason == self.THROTTLED:
            message, status = _("Too many tries. Wait a minute, then try again."), 429
        else:
            message, status = _("Many people are signing in right now. Try again in a moment."), 503
        # The API names the field at fault only when the codename itself was refused.
        fields = {"codename": [message]} if status == 400 else None
        super().__init__(message, status=status, fields=fields)
        self.reason = reason


class AlreadySignedIn(ApplicationError):
    """Start was asked for with a session open: nothing changes until the reader signs out."""

    def __init__(self) -> None:
        super().__init__(
            _("You are signed in. Sign out first to start anew: your current work stays with your codename."),
            status=409,
        )


class AnswersInvalid(ApplicationError):
    """Some answers of a step cannot be saved; ``errors`` maps exercise slugs to messages.

    Nothing of the submission is saved, and what was saved before is kept.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(
            _("Some answers could not be saved. Nothing you saved before has been lost. See the messages below."),
            fields={"answers": self.errors},
        )


class DiaryInvalid(ApplicationError):
    """A diary entry that cannot be saved; ``errors`` maps its fields to messages.

    Nothing of the submission is saved, and the entries saved before are kept.
    """

    def __init__(self, errors: Mapping[str, str], *, status: int = 400) -> None:
        self.errors = dict(errors)
        super().__init__(
            _("The entry could not be saved. Nothing you saved before has been lost. See the messages below."),
            status=status,
            fields=self.errors,
        )
