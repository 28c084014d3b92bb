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
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpseekers import selectors, services
from helpseekers.codenames import list_language
from helpseekers.current import signed_in
from helpseekers.errors import AnswersInvalid, SignInRefused
from helpseekers.middleware import clear_session_cookie, set_session_cookie
from helpseekers.services import SignedIn
from journey import flow
from journey.export import full_export
from journey.forms import ResumeForm
from journey.serializers import FullExportSerializer
from modules import selectors as content
from modules import views as reading
from modules.models import SCALE_MAX, SCALE_MIN
from modules.views import BlockItem
from questionnaires import selectors as questionnaire_selectors
from questionnaires import services as questionnaire_services
from questionnaires.charts import history_svg
from questionnaires.errors import NotDue, ResponseInvalid
from questionnaires.models import Occasion
from redirection.inputs import whole_number

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


# --- A form that failed its CSRF check ---------------------------------------------------

# Fields whose values are choices or controls, never words someone typed; the codename is
# never shown back.
_NOT_TYPED = {"csrfmiddlewaretoken", "action", "codename", "skip"}
_CHOICE = re.compile(r"^[a-z0-9-]*$")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose CSRF check failed (cookies cleared, as Tor Browser's "New Identity"
    does, or a form kept open too long): say so in the reader's language, give back what they
    typed so they can copy it (it is stored nowhere), and link back to where it came from."""
    typed = [
        value
        for key, values in request.POST.lists()
        if key not in _NOT_TYPED
        for value in values
        if value.strip() and not _CHOICE.match(value)
    ]
    return render(request, "403_csrf.html", {"typed": typed, "back_url": _back_url(request)}, status=403)


def _back_url(request: HttpRequest) -> str:
    """The page a failed form was on: the step for a step's answers, else the form's own page."""
    try:
        match = resolve(request.path_info)
    except Http404:
        return reverse("journey:landing")
    if match.view_name == "journey:step-submit":
        return reverse("journey:step", kwargs=match.kwargs)
    if match.view_name in {
        "journey:questionnaire",
        "journey:resume",
        "journey:start",
        "journey:delete",
        "journey:diary-entry",
    }:
        return request.path
    return reverse("journey:landing")


# --- Front door: start, resume, sign out ------------------------------------------------


@transaction.non_atomic_requests
def landing(request: HttpRequest) -> HttpResponse:
    """What the program is, that it is anonymous, and how to start."""
    programs = []
    for program in content.program_list():
        language = content.content_language_for(program=program, requested=get_language())
        programs.append((content.program_outline(program=program, language=language), language))
    return render(request, "journey/landing.html", {"programs": programs})


@transaction.non_atomic_requests  # a turn may be waited for: never inside an open transaction
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """One button creates a profile; the answer shows its codename, once.

    A reader who is signed in is asked first: starting anew signs them out of the profile
    they have (which stays, with its codename) and makes a new one. Nothing happens to the
    current session without that answer.
    """
    current = signed_in(request)
    if current is not None:
        if request.method == "GET" or request.POST.get("action") != "sign-out-and-start":
            status = 200 if request.method == "GET" else 409
            return render(request, "journey/start_signed_in.html", status=status)
        services.session_end(token_digest=current.token_digest)
    if request.method == "GET":
        return render(request, "journey/start.html")
    try:
        started = services.profile_start(language=get_language())
    except SignInRefused as refused:
        refusal = render(request, "journey/start.html", {"refused": refused.message}, status=refused.status)
        if current is not None:  # signed out above: say so in the header and the cookie
            clear_session_cookie(refusal)
        return refusal
    response = render(
        request,
        "journey/codename.html",
        {
            "codename_words": started.codename.split(" "),
            "words_are_english": list_language(get_language()) == "en" and get_language() != "en",
            "first_step_url": flow.first_step_url(),
            "baseline": flow.baseline_due(profile=started.profile),
            # The request came in signed out; the response signs in: say so in the header.
            "helpseeker_signed_in": True,
        },
    )
    set_session_cookie(response, started.token)
    return response


def _browser_key(request: HttpRequest) -> str | None:
    """A per-browser identity for the resume limit: a digest of the CSRF cookie."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else None


@transaction.non_atomic_requests  # a turn may be waited for: never inside an open transaction
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
    response = render(request, "journey/signed_out.html", {"helpseeker_signed_in": False})
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
        progress = selectors.program_progress(signed_in=current, program_id=program.id)
        programs.append(
            {
                "outline": content.program_outline(program=program, language=language),
                "content_language": language,
                "progress": progress,
                "finished": bool(progress) and all(module.completed for module in progress.values()),
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
        {"programs": programs, "continue_url": flow.continue_url(signed_in=current), "results": results},
    )


@signed_in_required
def plan(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """My plan: every plan item in one printable page."""
    items = selectors.plan_items(signed_in=current, language=get_language())
    return render(request, "journey/plan.html", {"items": items, "helplines": content.helpline_list()})


@signed_in_required
def export(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Download everything stored about me, readable (the same document as the API's)."""
    data = FullExportSerializer(full_export(signed_in=current, requested_language=get_language())).data
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-self-help-data.json"'
    return response


@signed_in_required
def export_page(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Everything stored about me as a page to read or print, with a warning that a copy is sensitive."""
    return render(
        request,
        "journey/export.html",
        {"export": full_export(signed_in=current, requested_language=get_language())},
    )


@require_http_methods(["GET", "POST"])
@signed_in_required
def delete(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Delete everything: a confirmation page, then one transaction."""
    if request.method == "GET":
        return render(request, "journey/delete.html")
    services.profile_delete(profile=current.profile)
    response = render(request, "journey/deleted.html", {"helpseeker_signed_in": False})
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
    context["states"] = selectors.step_states(signed_in=current, program_id=program.id)
    context["hidden"] = flow.hidden_keys(signed_in=current, program=program)
    return render(request, "journey/module.html", context)


def _submitted_value(block: content.BlockView, values: list[str]) -> Any:
    """What the reader submitted for a block, shaped as a saved answer is, to show it back."""
    if block.kind == "scale":
        return whole_number(values[0], low=SCALE_MIN, high=SCALE_MAX) if values else None
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
    context["previous"], context["next"] = flow.neighbours(
        signed_in=current, program=program, key=(module_slug, step_slug)
    )
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
    context.update(editable=True, completed=state.completed, errors=errors)
    return render(request, "journey/step.html", context, status=invalid.status if invalid else 200)


@transaction.non_atomic_requests
def step_page(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """A step; for a signed-in reader, as a form holding their answers."""
    current = signed_in(request)
    if current is None:
        return reading.step_page(request, program_slug, module_slug, step_slug)
    program = content.program_get(slug=program_slug)
    return _signed_in_step_page(request, current, program, module_slug, step_slug)


ACTIONS = ("save", "complete", "skip")


@require_POST
def step_submit(request: HttpRequest, program_slug: str, module_slug: str, step_slug: str) -> HttpResponse:
    """Save a step's answers (all or nothing); "save and continue" also completes the step;
    "skip" goes on without saving anything.

    The step's exercises come from the cached content, so a save costs the program lookup,
    one statement for the answers and, to continue, one for the progress. A reader whose
    session has ended gets the step back with what they typed, and signs in from there.
    """
    program = content.program_get(slug=program_slug)
    step = content.step_view(
        program=program, module_slug=module_slug, step_slug=step_slug, language=content.FALLBACK_LANGUAGE
    )
    action = request.POST.get("action", "save")
    action = action if action in ACTIONS else "save"
    # Unticked boxes are not sent: every exercise of the step is part of the form.
    submitted = {block.slug: request.POST.getlist(block.slug) for block in step.blocks if block.is_exercise}
    current = signed_in(request)
    if current is not None:
        return _step_save(request, current, program, step, submitted, action)
    if "codename" not in request.POST:
        return _step_signed_out(request, program, module_slug, step_slug, submitted, action, ResumeForm())
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return _step_signed_out(request, program, module_slug, step_slug, submitted, action, form, status=400)
    try:
        _profile, token = services.profile_resume(
            codename_text=form.cleaned_data["codename"], browser_key=_browser_key(request)
        )
    except SignInRefused as refused:
        form.add_error("codename", refused.message)
        return _step_signed_out(request, program, module_slug, step_slug, submitted, action, form, refused.status)
    resumed = services.session_resolve(token=token)
    if resumed is None:  # the session was made a moment ago: only a clock jump could end it
        raise Http404
    response = _step_save(request, resumed, program, step, submitted, action)
    set_session_cookie(response, token)
    return response


def _step_save(
    request: HttpRequest,
    current: SignedIn,
    program: content.ProgramRef,
    step: content.StepView,
    submitted: dict[str, list[str]],
    action: str,
) -> HttpResponse:
    """Save (or, for "skip", leave alone) a signed-in reader's answers, then go where the action says."""
    if action == "skip":
        return HttpResponseRedirect(
            flow.next_step_in_order(
                signed_in=current, program=program, module_slug=step.module_slug, step_slug=step.slug
            )
        )
    try:
        services.step_answers_save(signed_in=current, exercises=step.blocks, submitted=submitted)
    except AnswersInvalid as invalid:
        return _signed_in_step_page(
            request, current, program, step.module_slug, step.slug, invalid=invalid, submitted=submitted
        )
    if action == "save":
        messages.success(request, _("Your answers are saved."))
        return HttpResponseRedirect(reverse("journey:step", args=[program.slug, step.module_slug, step.slug]))
    if services.step_complete(
        profile=current.profile, step_id=step.id, module_id=step.module_id, program_id=step.program_id
    ):
        # A module just ended: offer its check-in now (skippable), before the next step.
        check_in = flow.check_in_after(profile=current.profile, program_id=program.id, module_id=step.module_id)
        if check_in is not None:
            return redirect("journey:questionnaire", program.slug, check_in.slug)
    return HttpResponseRedirect(
        flow.after_step_url(signed_in=current, program=program, module_slug=step.module_slug, step_slug=step.slug)
    )


def _step_signed_out(
    request: HttpRequest,
    program: content.ProgramRef,
    module_slug: str,
    step_slug: str,
    submitted: dict[str, list[str]],
    action: str,
    form: ResumeForm,
    status: int = 403,
) -> HttpResponse:
    """The step again for a reader whose session ended: what they typed, still in the form
    (stored nowhere), and their codename field, to sign in and save it in one go."""
    context = reading.step_context(program, module_slug, step_slug)
    context["items"] = [
        BlockItem(block, _submitted_value(block, submitted[block.slug]) if block.slug in submitted else None)
        for block in context["step"].blocks
    ]
    context.update(editable=True, form=form, action=action)
    return render(request, "journey/step_signed_out.html", context, status=status)


# --- Questionnaires ---------------------------------------------------------------------


def _questionnaire(program_slug: str, occasion_slug: str) -> tuple[content.ProgramRef, Occasion, dict[str, Any]]:
    """The program and occasion (404 if unknown), and how the texts are shown: the program's
    language gate."""
    program = content.program_get(slug=program_slug)
    occasion = questionnaire_selectors.occasion_get(program_id=program.id, slug=occasion_slug)
    requested = get_language()
    language = content.content_language_for(program=program, requested=requested)
    return (
        program,
        occasion,
        {
            "content_language": language,
            "content_dir": "rtl" if reading.is_bidi(language) else "ltr",
            "content_fallback": language != requested,
        },
    )


def _not_due(request: HttpRequest, current: SignedIn, occasion: Occasion, language: dict[str, Any]) -> HttpResponse:
    code = language["content_language"]
    answered = questionnaire_selectors.response_result(profile=current.profile, occasion=occasion, language=code)
    context = {**language, "questionnaire": questionnaire_selectors.occasion_link(occasion, code), "answered": answered}
    return render(request, "journey/questionnaire_not_due.html", context, status=NotDue.status)


@require_http_methods(["GET", "POST"])
@signed_in_required
def questionnaire(request: HttpRequest, current: SignedIn, program_slug: str, occasion_slug: str) -> HttpResponse:
    """The questionnaire as a plain form. Skippable, never forced; skipping goes on with the program."""
    program, occasion, language = _questionnaire(program_slug, occasion_slug)
    invalid: ResponseInvalid | None = None
    values: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "skip":
            questionnaire_services.response_skip(profile=current.profile, occasion=occasion)
            return HttpResponseRedirect(
                flow.after_questionnaire_url(signed_in=current, program=program, occasion=occasion)
            )
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
    view = questionnaire_selectors.questionnaire_view(
        occasion=occasion, language=language["content_language"], profile=current.profile
    )
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
    """The score, what it means, my history on this questionnaire (chart and table), and the
    way on with the program."""
    program, occasion, language = _questionnaire(program_slug, occasion_slug)
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
    helplines = content.helpline_list() if outcome.safety or outcome.messages else []
    next_url = flow.after_questionnaire_url(signed_in=current, program=program, occasion=occasion)
    context = {
        **language,
        "result": outcome,
        "chart": chart,
        "helplines": [helpline for helpline in helplines if not helpline.is_crisis_line],
        "crisis_lines": [helpline for helpline in helplines if helpline.is_crisis_line],
        "next_url": next_url,
        "next_is_finished": next_url == flow.finished_url(program),
    }
    return render(request, "journey/questionnaire_result.html", context)


@transaction.non_atomic_requests
@signed_in_required
def finished(request: HttpRequest, current: SignedIn, program_slug: str) -> HttpResponse:
    """The end of the program: the last questionnaire, the plan, what next, and help."""
    program = content.program_get(slug=program_slug)
    progress = selectors.program_progress(signed_in=current, program_id=program.id)
    if not progress or not all(module.completed for module in progress.values()):
        return redirect("journey:me")
    context = reading.content_context(program)
    due = questionnaire_selectors.occasions_due(profile=current.profile, program_id=program.id)
    context["due"] = [questionnaire_selectors.occasion_link(o, context["content_language"]) for o in due]
    return render(request, "journey/finished.html", context)
