"""Help-seeker pages: start, resume, sign out, my progress, answers, plan, export, delete.

Plain HTML forms, no JavaScript. The codename appears only in the response to the start
form (never in a URL, cookie or redirect) and is typed only into the resume form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpseekers import selectors, services
from helpseekers.middleware import clear_session_cookie, set_session_cookie
from modules import selectors as content
from questionnaires import selectors as questionnaire_selectors

View = Callable[..., HttpResponse]


def signed_in_required(view: View) -> View:
    """Send anyone not signed in to the resume page instead of the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.helpseeker is None:  # type: ignore[attr-defined]
            messages.info(request, _("Resume with your codename, or start the program, to see this page."))
            return redirect("helpseekers:resume")
        return view(request, *args, **kwargs)

    return wrapper


def _first_step_url() -> str | None:
    for program in content.program_list():
        outline = content.program_outline(program=program, language=get_language())
        for module in outline.modules:
            for step in module.steps:
                return reverse("modules:step", args=[program.slug, step.module_slug, step.step_slug])
    return None


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """One button creates a profile; the answer shows its codename, once."""
    if request.helpseeker is not None:  # type: ignore[attr-defined]
        messages.info(request, _("You have already started. Your codename was shown once, when you began."))
        return redirect("helpseekers:me")
    if request.method == "GET":
        return render(request, "helpseekers/start.html")
    try:
        started = services.profile_start(language=get_language())
    except services.SignInRefused as refused:
        message, status = SIGN_IN_MESSAGES[refused.reason]
        return render(request, "helpseekers/start.html", {"refused": message}, status=status)
    baseline = next(
        (
            occasion
            for program in content.program_list()
            for occasion in questionnaire_selectors.occasions_due(profile=started.profile, program_id=program.id)
        ),
        None,
    )
    response = render(
        request,
        "helpseekers/codename.html",
        {"codename_words": started.codename.split(" "), "first_step_url": _first_step_url(), "baseline": baseline},
    )
    set_session_cookie(response, started.token)
    return response


class ResumeForm(forms.Form):
    codename = forms.CharField(
        label=gettext_lazy("Your codename"),
        # Longer input is refused before any hashing; the browser limit is a courtesy.
        max_length=128,
        strip=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "maxlength": "128"}
        ),
        error_messages={"max_length": gettext_lazy("A codename is shorter than that. Check the words.")},
    )


def _browser_key(request: HttpRequest) -> str | None:
    """A per-browser identity for the resume limit: a digest of the CSRF cookie."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else None


SIGN_IN_MESSAGES = {
    services.SignInRefused.WRONG: (gettext_lazy("That codename did not work. Check the words and try again."), 400),
    services.SignInRefused.MALFORMED: (
        gettext_lazy("That codename did not work. Check the words and try again."),
        400,
    ),
    services.SignInRefused.THROTTLED: (gettext_lazy("Too many tries. Wait a minute, then try again."), 429),
    services.SignInRefused.BUSY: (gettext_lazy("Many people are signing in right now. Try again in a moment."), 503),
}


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Come back with the codename, from any device."""
    if request.method == "GET":
        return render(request, "helpseekers/resume.html", {"form": ResumeForm()})
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return render(request, "helpseekers/resume.html", {"form": form}, status=400)
    try:
        _profile, token = services.profile_resume(
            codename_text=form.cleaned_data["codename"], browser_key=_browser_key(request)
        )
    except services.SignInRefused as refused:
        message, status = SIGN_IN_MESSAGES[refused.reason]
        form.add_error("codename", str(message))
        return render(request, "helpseekers/resume.html", {"form": form}, status=status)
    previous = request.helpseeker  # type: ignore[attr-defined]
    if previous is not None:
        services.session_end(token_digest=previous.token_digest)
    response = redirect("helpseekers:me")
    set_session_cookie(response, token)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    signed_in = request.helpseeker  # type: ignore[attr-defined]
    if signed_in is not None:
        services.session_end(token_digest=signed_in.token_digest)
    response = render(request, "helpseekers/signed_out.html")
    clear_session_cookie(response)
    return response


@transaction.non_atomic_requests
@signed_in_required
def me(request: HttpRequest) -> HttpResponse:
    """My progress: where to continue, modules done, and my plan, export and delete."""
    signed_in = request.helpseeker  # type: ignore[attr-defined]
    programs = []
    for program in content.program_list():
        language = content.content_language_for(program=program, requested=get_language())
        outline = content.program_outline(program=program, language=language)
        progress = selectors.program_progress(signed_in=signed_in, program_id=program.id)
        due = [
            (occasion, questionnaire_selectors.occasion_label(occasion))
            for occasion in questionnaire_selectors.occasions_due(profile=signed_in.profile, program_id=program.id)
        ]
        programs.append({"outline": outline, "content_language": language, "progress": progress, "due": due})
    return render(
        request,
        "helpseekers/me.html",
        {
            "programs": programs,
            "continue_step": selectors.continue_step(signed_in=signed_in),
            "results": [
                (response, questionnaire_selectors.occasion_label(response.occasion))
                for response in questionnaire_selectors.results_list(profile=signed_in.profile)
            ],
        },
    )


@require_POST
def step_submit(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """Save a step's answers (all or nothing); "save and continue" also completes the step.

    The step's exercises come from the cached content, so a save costs the program lookup,
    one statement for the answers and, to continue, one for the progress.
    """
    from modules.views import step_page  # the step page renders errors next to their fields

    signed_in = request.helpseeker  # type: ignore[attr-defined]
    if signed_in is None:
        messages.info(request, _("Start the program or resume with your codename to save your answers."))
        return redirect("helpseekers:start")
    program = content.program_get(slug=program_slug)
    step = content.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=content.FALLBACK_LANGUAGE
    )
    # Unticked boxes are not sent: every exercise of the step is part of the form.
    submitted = {block.slug: request.POST.getlist(block.slug) for block in step.blocks if block.is_exercise}
    try:
        services.step_answers_save(signed_in=signed_in, exercises=step.blocks, submitted=submitted)
    except services.AnswersInvalid as invalid:
        return step_page(
            request, program_slug, module_slug, step_slug, errors=invalid.errors, submitted=submitted, status=400
        )
    if request.POST.get("action") != "complete":
        messages.success(request, _("Your answers are saved."))
        return HttpResponseRedirect(reverse("modules:step", args=[program_slug, module_slug, step_slug]))
    if services.step_complete(profile=signed_in.profile, step_id=step.id, module_id=step.module_id):
        # A module just ended: offer its check-in now (skippable), before the next step.
        for occasion in questionnaire_selectors.occasions_due(profile=signed_in.profile, program_id=program.id):
            if occasion.module_id == step.module_id:
                return redirect("questionnaires:answer", program_slug, occasion.slug)
    outline = content.program_outline(program=program, language=content.FALLBACK_LANGUAGE)
    _previous, following = outline.neighbours(module_slug, step_slug)
    if following is None:
        messages.success(request, _("You have completed the last step. Well done."))
        return redirect("helpseekers:me")
    return HttpResponseRedirect(
        reverse("modules:step", args=[program_slug, following.module_slug, following.step_slug])
    )


@signed_in_required
def plan(request: HttpRequest) -> HttpResponse:
    """My plan: every plan item in one printable page."""
    items = selectors.plan_items(signed_in=request.helpseeker, language=get_language())  # type: ignore[attr-defined]
    return render(request, "helpseekers/plan.html", {"items": items})


@signed_in_required
def export(request: HttpRequest) -> HttpResponse:
    """Download everything stored about me, readable."""
    data = selectors.profile_export(signed_in=request.helpseeker)  # type: ignore[attr-defined]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-self-help-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@signed_in_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete everything: a confirmation page, then one transaction."""
    if request.method == "GET":
        return render(request, "helpseekers/delete.html")
    services.profile_delete(profile=request.helpseeker.profile)  # type: ignore[attr-defined]
    response = render(request, "helpseekers/deleted.html")
    clear_session_cookie(response)
    return response
