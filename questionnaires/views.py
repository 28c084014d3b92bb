"""Questionnaire pages: answer (or skip) a due questionnaire, then read the feedback."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from helpseekers.models import HelpSeekerProfile
from helpseekers.views import signed_in_required
from modules import selectors as content
from questionnaires import selectors, services
from questionnaires.charts import history_svg
from questionnaires.models import Occasion


def _profile(request: HttpRequest) -> HelpSeekerProfile:
    """The signed-in help-seeker's profile (``signed_in_required`` has checked there is one)."""
    return request.helpseeker.profile  # type: ignore[attr-defined]


def _occasion(program_slug: str, occasion_slug: str) -> Occasion:
    occasion = (
        Occasion.objects.select_related("instrument", "module", "program")
        .filter(program__slug=program_slug, program__is_published=True, slug=occasion_slug)
        .first()
    )
    if occasion is None:
        raise Http404
    return occasion


@require_http_methods(["GET", "POST"])
@signed_in_required
def answer(request: HttpRequest, program_slug: str, occasion_slug: str) -> HttpResponse:
    """The questionnaire as a plain form. Skippable, never forced."""
    profile = _profile(request)
    occasion = _occasion(program_slug, occasion_slug)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "skip":
            services.response_skip(profile=profile, occasion=occasion)
            return redirect("helpseekers:me")
        values = {
            key: request.POST.get(key, "") for key in request.POST if key not in ("csrfmiddlewaretoken", "action")
        }
        try:
            services.response_submit(profile=profile, occasion=occasion, answers=values)
        except services.NotDue:
            return _not_due(request, occasion)
        except services.ResponseInvalid as invalid:
            errors = invalid.errors
        else:
            return redirect("questionnaires:result", program_slug, occasion_slug)
    elif occasion not in selectors.occasions_due(profile=profile, program_id=occasion.program_id):
        return _not_due(request, occasion)
    items = selectors.instrument_items(occasion.instrument)
    return render(
        request,
        "questionnaires/answer.html",
        {
            "occasion": occasion,
            "label": selectors.occasion_label(occasion),
            "items": [(item, values.get(item.slug, ""), errors.get(item.slug)) for item in items],
            "errors": errors,
            "scale_values": [str(number) for number in range(0, 11)],
        },
        status=400 if errors else 200,
    )


def _not_due(request: HttpRequest, occasion: Occasion) -> HttpResponse:
    result = selectors.response_result(profile=_profile(request), occasion=occasion, language=get_language())
    return render(request, "questionnaires/not_due.html", {"occasion": occasion, "result": result}, status=409)


@signed_in_required
def result(request: HttpRequest, program_slug: str, occasion_slug: str) -> HttpResponse:
    """The score, what it means, and my history on this questionnaire (chart and table)."""
    occasion = _occasion(program_slug, occasion_slug)
    outcome = selectors.response_result(profile=_profile(request), occasion=occasion, language=get_language())
    if outcome is None:
        raise Http404
    chart = (
        history_svg([p.score for p in outcome.history], [p.submitted_on.isoformat() for p in outcome.history],
                    outcome.low, outcome.high)
        if outcome.history
        else ""
    )  # fmt: skip
    helplines = content.helpline_list() if outcome.safety else []
    return render(
        request,
        "questionnaires/result.html",
        {"occasion": occasion, "result": outcome, "chart": chart, "helplines": helplines},
    )
