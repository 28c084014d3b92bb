"""Server-rendered help-seeker reading pages. No JavaScript; plain links and forms.

Each view resolves the program, decides the content language (the requested one if the
program is complete in it, else English) and hands the template plain views from
``selectors``. The interface stays in the requested language either way. Reading pages write nothing,
so they opt out of ``ATOMIC_REQUESTS`` and its extra round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_info

from helpseekers import selectors as helpseeker_selectors
from helpseekers import services as helpseeker_services
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
    programs = []
    for program in selectors.program_list():
        language = selectors.content_language_for(program=program, requested=get_language())
        programs.append((selectors.program_outline(program=program, language=language), language))
    return render(request, "modules/landing.html", {"programs": programs})


@transaction.non_atomic_requests
def program_overview(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    context = _content_context(program)
    signed_in = getattr(request, "helpseeker", None)
    if signed_in is not None:
        context["progress"] = helpseeker_selectors.program_progress(signed_in=signed_in, program_id=program.id)
    return render(request, "modules/program.html", context)


@transaction.non_atomic_requests
def module_page(request: HttpRequest, program_slug: str, module_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    context = _content_context(program)
    context["module"] = context["outline"].module(module_slug)
    signed_in = getattr(request, "helpseeker", None)
    if signed_in is not None:
        context["completed"] = helpseeker_selectors.completed_steps(signed_in=signed_in, program_id=program.id)
    return render(request, "modules/module.html", context)


@dataclass(frozen=True)
class BlockItem:
    """A block as the step page shows it: content, the reader's answer, an error."""

    block: selectors.BlockView
    value: Any = None
    error: str | None = None


def _submitted_value(block: selectors.BlockView, values: list[str]) -> Any:
    if block.kind == "scale":
        return int(values[0]) if values and values[0].isdigit() else None
    if block.kind in {"single_choice", "multiple_choice"}:
        return values
    return values[0] if values else ""


@transaction.non_atomic_requests
def step_page(
    request: HttpRequest,
    program_slug: str,
    module_slug: str,
    step_slug: str,
    *,
    errors: dict[str, str] | None = None,
    submitted: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A step with previous/next links; for a signed-in reader, their answers in a form.

    For anyone not signed in the page holds nothing about the reader, so it is cached whole
    per language; the key carries the program's content version, so publishing shows at once.
    """
    program = selectors.program_get(slug=program_slug)
    requested = get_language()
    signed_in = getattr(request, "helpseeker", None)
    key = f"modules:step-page:{program.id}:{program.content_version}:{requested}:{module_slug}:{step_slug}"
    if signed_in is None:
        html = cache.get(key)
        if html is not None:
            return HttpResponse(html)
    context = _content_context(program)
    step = selectors.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=context["content_language"]
    )
    context["step"] = step
    context["previous"], context["next"] = context["outline"].neighbours(module_slug, step_slug)
    context["has_exercises"] = any(block.is_exercise for block in step.blocks)
    if signed_in is None:
        context["items"] = [BlockItem(block) for block in step.blocks]
        html = render_to_string("modules/step.html", context, request)
        cache.set(key, html, selectors.CACHE_SECONDS)
        return HttpResponse(html)

    helpseeker_services.step_record_view(profile=signed_in.profile, step_id=step.id)
    state = helpseeker_selectors.step_state(signed_in=signed_in, step_id=step.id)
    errors = errors or {}
    context["items"] = [
        BlockItem(
            block,
            _submitted_value(block, submitted[block.slug])
            if submitted and block.slug in submitted
            else state.answers.get(block.slug),
            errors.get(block.slug),
        )
        for block in step.blocks
    ]
    context.update(signed_in=True, completed=state.completed, errors=errors)
    return render(request, "modules/step.html", context, status=status)


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
