"""The help-seeker's web pages: start, resume, sign out, my progress, plan, export, delete,
the program, module and step pages with the reader's own progress and answers, saving a
step, and the questionnaires.

Plain HTML forms, no JavaScript. The codename appears only in the response to the start form
(never in a URL, cookie or redirect) and is typed only into the resume form. For a reader who
is not signed in, the program, module and step pages are ``modules``' reading pages; a
signed-in reader gets the same content with their own state around it. Refusals come from
the services as ``ApplicationError``s, whose message and status these pages show as they are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpseekers import selectors, services
from helpseekers.current import signed_in
from helpseekers.errors import AnswersInvalid, SignInRefused
from helpseekers.middleware import clear_session_cookie, set_session_cookie
from helpseekers.serializers import ProfileExportSerializer
from helpseekers.services import SignedIn
from journey import flow
from journey.forms import ResumeForm
from modules import selectors as content
from modules import views as reading
from modules.views import BlockItem
from questionnaires import selectors as questionnaire_selectors
from questionnaires import services as questionnaire_services
from questionnaires.charts import history_svg
from questionnaires.errors import NotDue, ResponseInvalid
from questionnaires.models import Occasion

SignedInView = Callable[..., HttpResponse]


def signed_in_required(view: SignedInView) -> Callable[..., HttpResponse]:
    """Call ``view(request, signed_in, ...)``; send anyone not signed in to the resume page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = signed_in(request)
        if current is None:
            messages.info(request, _("Resume with your codename, or start the program, to see this page."))
            return redirect("journey:resume")
        return view(request, current, *args, **kwargs)

    return wrapper


# --- Front door: start, resume, sign out ------------------------------------------------


@transaction.non_atomic_requests
def landing(request: HttpRequest) -> HttpResponse:
    """What the program is, that it is anonymous, and how to start."""
    programs = []
    for program in content.program_list():
        language = content.content_language_for(program=program, requested=get_language())
        programs.append((content.program_outline(program=program, language=language), language))
    return render(request, "journey/landing.html", {"programs": programs})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """One button creates a profile; the answer shows its codename, once."""
    if signed_in(request) is not None:
        messages.info(request, _("You have already started. Your codename was shown once, when you began."))
        return redirect("journey:me")
    if request.method == "GET":
        return render(request, "journey/start.html")
    try:
        started = services.profile_start(language=get_language())
    except SignInRefused as refused:
        return render(request, "journey/start.html", {"refused": refused.message}, status=refused.status)
    response = render(
        request,
        "journey/codename.html",
        {
            "codename_words": started.codename.split(" "),
            "first_step_url": flow.first_step_url(),
            "baseline": flow.baseline_due(profile=started.profile),
        },
    )
    set_session_cookie(response, started.token)
    return response


def _browser_key(request: HttpRequest) -> str | None:
    """A per-browser identity for the resume limit: a digest of the CSRF cookie."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else None


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Come back with the codename, from any device."""
    if request.method == "GET":
        return render(request, "journey/resume.html", {"form": ResumeForm()})
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return render(request, "journey/resume.html", {"form": form}, status=400)
    try:
        _profile, token = services.profile_resume(
            codename_text=form.cleaned_data["codename"], browser_key=_browser_key(request)
        )
    except SignInRefused as refused:
        form.add_error("codename", refused.message)
        return render(request, "journey/resume.html", {"form": form}, status=refused.status)
    previous = signed_in(request)
    if previous is not None:
        services.session_end(token_digest=previous.token_digest)
    response = redirect("journey:me")
    set_session_cookie(response, token)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    current = signed_in(request)
    if current is not None:
        services.session_end(token_digest=current.token_digest)
    response = render(request, "journey/signed_out.html")
    clear_session_cookie(response)
    return response


# --- My progress, plan, data ------------------------------------------------------------


@transaction.non_atomic_requests
@signed_in_required
def me(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """My progress: where to continue, modules done, questionnaires due and answered, my data."""
    programs, languages = [], {}
    for program in content.program_list():
        language = content.content_language_for(program=program, requested=get_language())
        languages[program.id] = language
        due = questionnaire_selectors.occasions_due(profile=current.profile, program_id=program.id)
        programs.append(
            {
                "outline": content.program_outline(program=program, language=language),
                "content_language": language,
                "progress": selectors.program_progress(signed_in=current, program_id=program.id),
                "due": [questionnaire_selectors.occasion_link(occasion, language) for occasion in due],
            }
        )
    results = [
        questionnaire_selectors.occasion_link(
            response.occasion,
            languages.get(response.occasion.program_id, content.FALLBACK_LANGUAGE),
            response.submitted_on,
        )
        for response in questionnaire_selectors.results_list(profile=current.profile)
    ]
    return render(
        request,
        "journey/me.html",
        {"programs": programs, "continue_step": selectors.continue_step(signed_in=current), "results": results},
    )


@signed_in_required
def plan(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """My plan: every plan item in one printable page."""
    items = selectors.plan_items(signed_in=current, language=get_language())
    return render(request, "journey/plan.html", {"items": items})


@signed_in_required
def export(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Download everything stored about me, readable (the same document as the API's)."""
    data = ProfileExportSerializer(selectors.profile_export(signed_in=current)).data
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-self-help-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@signed_in_required
def delete(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Delete everything: a confirmation page, then one transaction."""
    if request.method == "GET":
        return render(request, "journey/delete.html")
    services.profile_delete(profile=current.profile)
    response = render(request, "journey/deleted.html")
    clear_session_cookie(response)
    return response


# --- The program, a module, a step ------------------------------------------------------


@transaction.non_atomic_requests
def program_page(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The program; for a signed-in reader, with their progress per module."""
    current = signed_in(request)
    if current is None:
        return reading.program_page(request, program_slug)
    program = content.program_get(slug=program_slug)
    context = reading.content_context(program)
    context["progress"] = selectors.program_progress(signed_in=current, program_id=program.id)
    return render(request, "journey/program.html", context)


@transaction.non_atomic_requests
def module_page(request: HttpRequest, program_slug: str, module_slug: str) -> HttpResponse:
    """A module; for a signed-in reader, with the steps they completed marked."""
    current = signed_in(request)
    if current is None:
        return reading.module_page(request, program_slug, module_slug)
    program = content.program_get(slug=program_slug)
    context = reading.module_context(program, module_slug)
    context["completed"] = selectors.completed_steps(signed_in=current, program_id=program.id)
    return render(request, "journey/module.html", context)


def _submitted_value(block: content.BlockView, values: list[str]) -> Any:
    """What the reader submitted for a block, shaped as a saved answer is, to show it back."""
    if block.kind == "scale":
        return int(values[0]) if values and values[0].isdigit() else None
    if block.kind in {"single_choice", "multiple_choice"}:
        return values
    return values[0] if values else ""


def _signed_in_step_page(
    request: HttpRequest,
    current: SignedIn,
    program: content.ProgramRef,
    module_slug: str,
    step_slug: str,
    *,
    invalid: AnswersInvalid | None = None,
    submitted: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """The step as a form holding the reader's answers (or what they just submitted, with errors)."""
    context = reading.step_context(program, module_slug, step_slug)
    step: content.StepView = context["step"]
    services.step_record_view(profile=current.profile, step_id=step.id)
    state = selectors.step_state(signed_in=current, step_id=step.id)
    errors = invalid.errors if invalid else {}
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
    return render(request, "journey/step.html", context, status=invalid.status if invalid else 200)


@transaction.non_atomic_requests
def step_page(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """A step; for a signed-in reader, as a form holding their answers."""
    current = signed_in(request)
    if current is None:
        return reading.step_page(request, program_slug, module_slug, step_slug)
    program = content.program_get(slug=program_slug)
    return _signed_in_step_page(request, current, program, module_slug, step_slug)


@require_POST
def step_submit(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """Save a step's answers (all or nothing); "save and continue" also completes the step.

    The step's exercises come from the cached content, so a save costs the program lookup,
    one statement for the answers and, to continue, one for the progress.
    """
    current = signed_in(request)
    if current is None:
        messages.info(request, _("Start the program or resume with your codename to save your answers."))
        return redirect("journey:start")
    program = content.program_get(slug=program_slug)
    step = content.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=content.FALLBACK_LANGUAGE
    )
    # Unticked boxes are not sent: every exercise of the step is part of the form.
    submitted = {block.slug: request.POST.getlist(block.slug) for block in step.blocks if block.is_exercise}
    try:
        services.step_answers_save(signed_in=current, exercises=step.blocks, submitted=submitted)
    except AnswersInvalid as invalid:
        return _signed_in_step_page(
            request, current, program, module_slug, step_slug, invalid=invalid, submitted=submitted
        )
    if request.POST.get("action") != "complete":
        messages.success(request, _("Your answers are saved."))
        return HttpResponseRedirect(reverse("journey:step", args=[program_slug, module_slug, step_slug]))
    if services.step_complete(profile=current.profile, step_id=step.id, module_id=step.module_id):
        # A module just ended: offer its check-in now (skippable), before the next step.
        check_in = flow.check_in_after(profile=current.profile, program_id=program.id, module_id=step.module_id)
        if check_in is not None:
            return redirect("journey:questionnaire", program_slug, check_in.slug)
    following = flow.next_step_url(program=program, module_slug=module_slug, step_slug=step_slug)
    if following is None:
        messages.success(request, _("You have completed the last step. Well done."))
        return redirect("journey:me")
    return HttpResponseRedirect(following)


# --- Questionnaires ---------------------------------------------------------------------


def _questionnaire(program_slug: str, occasion_slug: str) -> tuple[Occasion, dict[str, Any]]:
    """The occasion (404 if unknown) and how its texts are shown: the program's language gate."""
    program = content.program_get(slug=program_slug)
    occasion = questionnaire_selectors.occasion_get(program_id=program.id, slug=occasion_slug)
    requested = get_language()
    language = content.content_language_for(program=program, requested=requested)
    return occasion, {
        "content_language": language,
        "content_dir": "rtl" if reading.is_bidi(language) else "ltr",
        "content_fallback": language != requested,
    }


def _not_due(request: HttpRequest, current: SignedIn, occasion: Occasion, language: dict[str, Any]) -> HttpResponse:
    code = language["content_language"]
    answered = questionnaire_selectors.response_result(profile=current.profile, occasion=occasion, language=code)
    context = {**language, "questionnaire": questionnaire_selectors.occasion_link(occasion, code), "answered": answered}
    return render(request, "journey/questionnaire_not_due.html", context, status=NotDue.status)


@require_http_methods(["GET", "POST"])
@signed_in_required
def questionnaire(request: HttpRequest, current: SignedIn, program_slug: str, occasion_slug: str) -> HttpResponse:
    """The questionnaire as a plain form. Skippable, never forced."""
    occasion, language = _questionnaire(program_slug, occasion_slug)
    invalid: ResponseInvalid | None = None
    values: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "skip":
            questionnaire_services.response_skip(profile=current.profile, occasion=occasion)
            return redirect("journey:me")
        values = {
            key: request.POST.get(key, "") for key in request.POST if key not in ("csrfmiddlewaretoken", "action")
        }
        try:
            questionnaire_services.response_submit(profile=current.profile, occasion=occasion, answers=values)
        except NotDue:
            return _not_due(request, current, occasion, language)
        except ResponseInvalid as refused:
            invalid = refused
        else:
            return redirect("journey:questionnaire-result", program_slug, occasion_slug)
    elif occasion not in questionnaire_selectors.occasions_due(profile=current.profile, program_id=occasion.program_id):
        return _not_due(request, current, occasion, language)
    view = questionnaire_selectors.questionnaire_view(occasion=occasion, language=language["content_language"])
    errors = invalid.errors if invalid else {}
    context = {
        **language,
        "questionnaire": view,
        "items": [(item, values.get(item.slug, ""), errors.get(item.slug)) for item in view.items],
        "errors": errors,
        "scale_values": [str(number) for number in range(0, 11)],
    }
    return render(request, "journey/questionnaire_answer.html", context, status=invalid.status if invalid else 200)


@signed_in_required
def questionnaire_result(
    request: HttpRequest, current: SignedIn, program_slug: str, occasion_slug: str
) -> HttpResponse:
    """The score, what it means, and my history on this questionnaire (chart and table)."""
    occasion, language = _questionnaire(program_slug, occasion_slug)
    outcome = questionnaire_selectors.response_result(
        profile=current.profile, occasion=occasion, language=language["content_language"]
    )
    if outcome is None:
        raise Http404
    chart = (
        history_svg([p.score for p in outcome.history], [p.submitted_on.isoformat() for p in outcome.history],
                    outcome.low, outcome.high)
        if outcome.history
        else ""
    )  # fmt: skip
    helplines = content.helpline_list() if outcome.safety else []
    context = {**language, "result": outcome, "chart": chart, "helplines": helplines}
    return render(request, "journey/questionnaire_result.html", context)
