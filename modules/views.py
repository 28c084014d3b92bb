"""Server-rendered help-seeker reading pages. No JavaScript; plain links and forms.

Each view resolves the program, decides the content language (the requested one if the
program is complete in it, else English) and hands the template plain views from
``selectors``. The interface stays in the requested language either way. Reading pages write nothing,
so they opt out of ``ATOMIC_REQUESTS`` and its extra round trips.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_info

from modules import selectors
from modules.context_processors import LANGUAGE_LINK_QUERY


def _is_bidi(language: str) -> bool:
    return bool(get_language_info(language)["bidi"])


def _content_context(program: selectors.ProgramRef) -> dict[str, Any]:
    requested = get_language()
    language = selectors.content_language_for(program=program, requested=requested)
    return {
        "outline": selectors.program_outline(program=program, language=language),
        "content_language": language,
        "content_dir": "rtl" if _is_bidi(language) else "ltr",
        "content_fallback": language != requested,
    }


@transaction.non_atomic_requests
def landing(request: HttpRequest) -> HttpResponse:
    """What the program is, that it is anonymous, and how to start."""
    programs = selectors.program_list()
    return render(request, "modules/landing.html", {"programs": programs})


@transaction.non_atomic_requests
def program_overview(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    return render(request, "modules/program.html", _content_context(program))


@transaction.non_atomic_requests
def module_page(request: HttpRequest, program_slug: str, module_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    context = _content_context(program)
    context["module"] = context["outline"].module(module_slug)
    return render(request, "modules/module.html", context)


@transaction.non_atomic_requests
def step_page(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """A step with previous/next links.

    The page holds nothing about the reader, so it is cached whole per language; the key
    carries the program's content version, so publishing a change shows at once.
    """
    program = selectors.program_get(slug=program_slug)
    requested = get_language()
    key = f"modules:step-page:{program.id}:{program.content_version}:{requested}:{module_slug}:{step_slug}"
    html = cache.get(key)
    if html is None:
        context = _content_context(program)
        context["step"] = selectors.step_view(
            program=program, module_slug=module_slug, step_slug=step_slug, language=context["content_language"]
        )
        context["previous"], context["next"] = context["outline"].neighbours(module_slug, step_slug)
        html = render_to_string("modules/step.html", context, request)
        cache.set(key, html, selectors.CACHE_SECONDS)
    return HttpResponse(html)


@transaction.non_atomic_requests
def helpline_directory(request: HttpRequest) -> HttpResponse:
    """Every helpline, or those of one country (plus international ones), by plain links."""
    countries = selectors.helpline_countries()
    country = request.GET.get("country", "").upper()
    if country not in countries:
        country = ""
    helplines = selectors.helpline_list(country=country or None)
    if country:
        setattr(request, LANGUAGE_LINK_QUERY, urlencode({"country": country}))
    return render(
        request,
        "modules/helplines.html",
        {
            "countries": countries,
            "country": country,
            "helplines": helplines,
            "any_sample": any(helpline.is_sample for helpline in helplines),
        },
    )
