"""Refusals a help-seeker can meet when answering a questionnaire, with their messages (in
the reader's language) and HTTP statuses, for web pages and the API alike."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from redirection.errors import ApplicationError


class ResponseInvalid(ApplicationError):
    """Some answers are not acceptable; ``errors`` maps item slugs to messages. Nothing is stored."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(
            _("Some answers need another look. Nothing you saved before has been lost. See the messages below."),
            fields={"answers": self.errors},
        )


class NotDue(ApplicationError):
    """The questionnaire is not offered now (not yet due, answered or skipped)."""

    status = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "This questionnaire is not open now: you have already answered or skipped it, or it is not "
                "due yet. Nothing you saved before has been lost."
            )
        )
