"""Reading pages for anyone: a program, a module, a step, the helpline directory.

No JavaScript; plain links. These pages know nothing of the reader. ``journey`` serves the
program, module and step addresses: for a reader who is not signed in it returns these views,
and for a signed-in help-seeker it adds their progress and answers around the same content,
with templates that extend these. Each view resolves the program, decides the content
language (the requested one if the program is published in it, else English) and hands the
template plain views from ``selectors``; the interface stays in the requested language
either way. Reading pages write nothing, so they opt out of ``ATOMIC_REQUESTS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_info

from modules import selectors, services
from modules.context_processors import LANGUAGE_LINK_QUERY


def is_bidi(language: str) -> bool:
    """Whether ``language`` is written right to left."""
    return bool(get_language_info(language)["bidi"])


def content_context(program: selectors.ProgramKey) -> dict[str, Any]:
    """The program's outline in its content language, and how to mark that language up."""
    requested = get_language()
    language = selectors.content_language_for(program=program, requested=requested)
    return {
        "outline": selectors.program_outline(program=program, language=language),
        "content_language": language,
        "content_dir": "rtl" if is_bidi(language) else "ltr",
        "content_fallback": language != requested,
    }


def module_context(program: selectors.ProgramKey, module_slug: str) -> dict[str, Any]:
    """The module page's context, or 404 when the module is not in use."""
    context = content_context(program)
    context["module"] = context["outline"].module(module_slug)
    return context


@dataclass(frozen=True)
class BlockItem:
    """A block as the step page shows it: content, the reader's answer, an error."""

    block: selectors.BlockView
    value: Any = None
    error: str | None = None


def step_context(program: selectors.ProgramKey, module_slug: str, step_slug: str) -> dict[str, Any]:
    """The step page's context (content, neighbours), or 404 when the step is not in use."""
    context = content_context(program)
    step = selectors.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=context["content_language"]
    )
    context["step"] = step
    context["previous"], context["next"] = context["outline"].neighbours(module_slug, step_slug)
    context["has_exercises"] = any(block.is_exercise for block in step.blocks)
    context["items"] = [BlockItem(block) for block in step.blocks]
    return context


@transaction.non_atomic_requests
def program_page(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The program: its modules in order, with their length."""
    program = selectors.program_get(slug=program_slug)
    return render(request, "modules/program.html", content_context(program))


@transaction.non_atomic_requests
def module_page(request: HttpRequest, program_slug: str, module_slug: str) -> HttpResponse:
    """One module: its steps in order."""
    program = selectors.program_get(slug=program_slug)
    return render(request, "modules/module.html", module_context(program, module_slug))


@transaction.non_atomic_requests
def step_page(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """A step with previous and next links, for a reader who is not signed in.

    The page holds nothing about the reader, so it is cached whole per language; the key
    carries the program's content version, so publishing shows at once. A message waiting
    for this reader is left for their next page rather than cached for everyone.
    """
    program = selectors.program_get(slug=program_slug)
    key = f"modules:step-page:{program.id}:{program.content_version}:{get_language()}:{module_slug}:{step_slug}"
    html = selectors.content_cache().get(key)
    if html is None:
        context = {**step_context(program, module_slug, step_slug), "messages": ()}
        html = render_to_string("modules/step.html", context, request)
        selectors.content_cache().set(key, html, selectors.CACHE_SECONDS)
    return HttpResponse(html)


@transaction.non_atomic_requests
def helpline_directory(request: HttpRequest) -> HttpResponse:
    """Every helpline, or those of one country (plus international ones) and one language, by
    plain links; names of countries and languages in the reader's language. On an onion host,
    onion addresses come first."""
    reader = get_language()
    countries = selectors.helpline_countries(language=reader)
    languages = selectors.helpline_languages(language=reader)
    country = request.GET.get("country", "").upper()
    country = country if country in {c.code for c in countries} else ""
    served = request.GET.get("language", "").lower()
    served = served if served in {c.code for c in languages} else ""
    helplines = selectors.helpline_list(country=country or None, served_language=served or None)
    services.helpline_directory_viewed(country=country)
    query = urlencode({key: value for key, value in (("country", country), ("language", served)) if value})
    if query:
        setattr(request, LANGUAGE_LINK_QUERY, query)
    return render(
        request,
        "modules/helplines.html",
        {
            "countries": countries,
            "country": country,
            "languages": languages,
            "served": served,
            "helplines": helplines,
            "any_sample": any(helpline.is_sample for helpline in helplines),
            "on_onion": request.get_host().split(":")[0].endswith(".onion"),
        },
    )
