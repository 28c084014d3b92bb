"""In-the-moment help: the "Urge now" page, its wait and its "did the urge pass?", and the
page on using the program safely.

"Urge now" is one click from every help-seeker page and light enough for a slow Tor
circuit: a signed-in reader first meets their own words (the answers the program lists in
``Program.urge_words``: reasons for change, what they will do, who they will contact), then
the program's delay-and-distract exercise, a wait, helplines for their country and language,
and the line not to cross; a reader who is not signed in gets the program's general guidance
in place of their own words. Nothing here is stored or tracked: the wait page asks again
after ``URGE_WAIT_MINUTES`` with a plain refresh, and the answer to "did it pass?" is a link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from helpseekers import selectors
from helpseekers.current import signed_in
from modules import selectors as content
from modules.views import is_bidi


def reader_program(request: HttpRequest) -> content.ProgramRef | None:
    """The program the reader works in: the one of their last step, else the first one."""
    current = signed_in(request)
    if current is not None:
        step = selectors.continue_step(signed_in=current)
        if step is not None:
            try:
                return content.program_get(slug=step.module.program.slug)
            except Http404:  # no longer published: fall back to the first program
                pass
    programs = content.program_list()
    return programs[0] if programs else None


def _helplines(request: HttpRequest, countries: list[content.Choice]) -> tuple[str, list[content.HelplineView]]:
    """(country chosen among ``countries``, the helplines to act on for it)."""
    country = request.GET.get("country", "").upper()
    country = country if country in {choice.code for choice in countries} else ""
    return country, content.helplines_to_act_on(country=country or None, language=get_language())


@transaction.non_atomic_requests
def urge_now(request: HttpRequest) -> HttpResponse:
    """Own words (or general guidance), delay and distract, wait, helplines, the line."""
    program = reader_program(request)
    current = signed_in(request)
    urge, words = None, []
    if program is not None:
        language = content.content_language_for(program=program, requested=get_language())
        urge = content.urge_content(program=program, language=language)
        if current is not None and urge.words:
            texts = selectors.answer_texts(signed_in=current, block_ids=[word.block_id for word in urge.words])
            words = [(word, texts[word.block_id]) for word in urge.words if word.block_id in texts]
    countries = content.helpline_countries(language=get_language())
    country, helplines = _helplines(request, countries)
    return render(
        request,
        "journey/urge_now.html",
        {
            "program": program,
            "urge": urge,
            "content_dir": "rtl" if urge and is_bidi(urge.language) else "ltr",
            "content_fallback": urge is not None and urge.language != get_language(),
            "words": words,
            "helplines": helplines,
            "country": country,
            "countries": countries,
            "wait_minutes": settings.URGE_WAIT_MINUTES,
        },
    )


def urge_wait(request: HttpRequest) -> HttpResponse:
    """ "Wait, then come back": the page itself asks "did the urge pass?" after the wait
    (a plain refresh, no script), and a link asks it sooner."""
    minutes = settings.URGE_WAIT_MINUTES
    return render(request, "journey/urge_wait.html", {"wait_minutes": minutes, "wait_seconds": minutes * 60})


def urge_after(request: HttpRequest) -> HttpResponse:
    """ "Did the urge pass?": the answer is a link, and nothing of it is kept."""
    answer = request.GET.get("passed", "")
    answer = answer if answer in ("yes", "no") else ""
    helplines = _helplines(request, content.helpline_countries(language=get_language()))[1] if answer == "no" else []
    return render(
        request,
        "journey/urge_after.html",
        {"answer": answer, "helplines": helplines, "wait_minutes": settings.URGE_WAIT_MINUTES},
    )


def safety(request: HttpRequest) -> HttpResponse:
    """Using the program safely: Tor Browser, private windows, shared devices, what the
    browser keeps."""
    return render(request, "journey/safety.html", {"idle_minutes": settings.HELPSEEKER_IDLE_MINUTES})
