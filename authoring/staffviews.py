"""Staff pages beyond the admin's model pages: review and publishing per language, the
revisions of each program with their differences and restore, and the preview of a draft as
a help-seeker would read it. The staff site (``authoring.staffsite``) mounts them behind its
sign-in; each view checks the permission its action needs (``authoring.roles``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import override

from authoring import exchange, workflow
from authoring.models import LanguageReview, Revision
from authoring.revisions import snapshot_diff
from authoring.roles import edit_scope
from modules import selectors
from modules.models import FALLBACK_LANGUAGE, Program
from modules.views import BlockItem, is_bidi

LANGUAGES = dict(settings.LANGUAGES)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _live(slug: str) -> Program:
    return get_object_or_404(Program.objects.live(), slug=slug)


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise Http404
    return code


def review_index(site: Any, request: HttpRequest) -> HttpResponse:
    """Each program's languages: review state, who changed the draft, how much differs."""
    _require(request, "modules.view_step")
    programs = [
        (program, workflow.program_review_states(program=program), workflow.revision_latest(program))
        for program in Program.objects.live().order_by("slug")
    ]
    context = {**site.each_context(request), "title": "Review and publishing", "programs": programs}
    return TemplateResponse(request, "authoring/review_index.html", context)


def review_language(site: Any, request: HttpRequest, program: str, language: str) -> HttpResponse:
    """One language of a program's draft: what differs from the live content, what stops it
    being published, and the submit, return and publish actions."""
    _require(request, "modules.view_step")
    live, code = _live(program), _language(language)
    if request.method == "POST":
        return _review_action(request, live, code)
    review = LanguageReview.objects.filter(program=live, language=code).select_related("submitted_by").first()
    in_review = [
        r.language
        for r in LanguageReview.objects.filter(program=live, state=LanguageReview.IN_REVIEW).exclude(language=code)
    ]
    plan = workflow.publish_plan(program=live, languages=[code], user=request.user)
    user = request.user
    context = {
        **site.each_context(request),
        "title": f"{live.slug}: {LANGUAGES[code]}",
        "program": live,
        "language": code,
        "language_name": LANGUAGES[code],
        "review": review,
        "plan": plan,
        "also": in_review if code == FALLBACK_LANGUAGE else [],
        "can_submit": user.has_perm("authoring.submit_review") and edit_scope(user).language_allowed(code),
        "can_publish": user.has_perm("authoring.publish_language"),
    }
    return TemplateResponse(request, "authoring/review_language.html", context)


def _review_action(request: HttpRequest, live: Program, code: str) -> HttpResponse:
    action, note = request.POST.get("action", ""), request.POST.get("note", "").strip()
    here = reverse("admin:review-language", args=[live.slug, code])
    if action == "submit":
        _require(request, "authoring.submit_review")
        if not edit_scope(request.user).language_allowed(code):
            raise PermissionDenied(f"{code}: not a language you may edit")
        workflow.review_submit(program=live, language=code, user=request.user, note=note)
        messages.success(request, f"{LANGUAGES[code]} submitted for review.")
    elif action == "return":
        _require(request, "authoring.publish_language")
        workflow.review_return(program=live, language=code, user=request.user, note=note)
        messages.success(request, f"{LANGUAGES[code]} returned to the draft.")
    elif action == "publish":
        _require(request, "authoring.publish_language")
        languages = [code, *(c for c in request.POST.getlist("with") if c in LANGUAGES and c != code)]
        try:
            revision = workflow.languages_publish(program=live, languages=languages, user=request.user, note=note)
        except workflow.PublishRefused as refused:
            for problem in refused.problems:
                messages.error(request, problem)
            return HttpResponseRedirect(here)
        messages.success(request, f"Published as revision {revision.number}: {', '.join(revision.languages)}.")
    else:
        return HttpResponse("Unknown action.", status=400)
    return HttpResponseRedirect(here)


def revision_list(site: Any, request: HttpRequest, program: str) -> HttpResponse:
    _require(request, "authoring.view_revision")
    live = _live(program)
    revisions = Revision.objects.filter(program=live).defer("snapshot").order_by("-number")
    context = {
        **site.each_context(request),
        "title": f"{live.slug}: revisions",
        "program": live,
        "revisions": revisions,
    }
    return TemplateResponse(request, "authoring/revision_list.html", context)


def revision_detail(site: Any, request: HttpRequest, program: str, number: int) -> HttpResponse:
    """One revision: who published which languages when, and what changed from the one
    before, field by field; restoring it into the draft."""
    _require(request, "authoring.view_revision")
    live = _live(program)
    revision = get_object_or_404(Revision, program=live, number=number)
    if request.method == "POST":
        _require(request, "authoring.restore_revision")
        workflow.revision_restore(revision=revision, user=request.user)
        messages.success(request, f"Revision {number} restored into the draft: review and publish it to make it live.")
        return HttpResponseRedirect(reverse("admin:review-index"))
    previous = Revision.objects.filter(program=live, number__lt=number).order_by("-number").first()
    context = {
        **site.each_context(request),
        "title": f"{live.slug}: revision {number}",
        "program": live,
        "revision": revision,
        "previous": previous,
        "difference": snapshot_diff(previous.snapshot if previous else None, revision.snapshot),
        "can_restore": request.user.has_perm("authoring.restore_revision"),
    }
    return TemplateResponse(request, "authoring/revision_detail.html", context)


# --- Translation files ----------------------------------------------------------------------

FILE_KINDS = {
    "po": ("text/x-gettext-translation", exchange.export_po),
    "xlf": ("application/xliff+xml", exchange.export_xliff),
}


def _translatable(code: str) -> str:
    if code not in LANGUAGES or code == FALLBACK_LANGUAGE:
        raise Http404
    return code


def translations_export(site: Any, request: HttpRequest, program: str, language: str, kind: str) -> HttpResponse:
    """One language of a program's draft as a PO or XLIFF file, for a translator's tool."""
    _require(request, "modules.view_step")
    live, code = _live(program), _translatable(language)
    if kind not in FILE_KINDS:
        raise Http404
    content_type, export = FILE_KINDS[kind]
    response = HttpResponse(export(program=live, language=code), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{live.slug}-{code}.{kind}"'
    return response


def translations_import(site: Any, request: HttpRequest, program: str, language: str) -> HttpResponse:
    """Upload a translated PO or XLIFF file into the draft: all of it, or, with any problem,
    nothing, and every problem listed with its id."""
    _require(request, "modules.change_step")
    live, code = _live(program), _translatable(language)
    if not edit_scope(request.user).language_allowed(code):
        raise PermissionDenied(f"{code}: not a language you may edit")
    here = reverse("admin:translations-language", args=[live.slug, code])
    if request.method != "POST":
        return HttpResponseRedirect(here)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a PO or XLIFF file to upload.")
        return HttpResponseRedirect(here)
    if upload.size is not None and upload.size > exchange.MAX_FILE_BYTES:
        messages.error(request, "The file is too large.")
        return HttpResponseRedirect(here)
    report = exchange.translations_import(program=live, language=code, data=upload.read(), user=request.user)
    if report.problems:
        messages.error(request, f"Nothing was imported: {len(report.problems)} problem(s).")
        for unit_id, problem in report.problems:
            messages.error(request, f"{unit_id}: {problem}" if unit_id else problem)
    else:
        messages.success(request, f"{report.applied} translation(s) imported into the draft. Submit {code} for review.")
    return HttpResponseRedirect(here)


# --- Preview ---------------------------------------------------------------------------------


def _draft_ref(live: Program) -> selectors.ProgramRef:
    draft = workflow.program_draft(program=live)
    return selectors.ProgramRef(
        id=draft.pk,
        slug=live.slug,
        is_sample=draft.is_sample,
        content_version=draft.content_version,
        published_languages=frozenset(LANGUAGES),
    )


def _preview_context(live: Program, code: str) -> dict[str, Any]:
    draft = _draft_ref(live)
    return {
        "draft": draft,
        "program_slug": live.slug,
        "outline": selectors.program_outline(program=draft, language=code),
        "content_language": code,
        "content_dir": "rtl" if is_bidi(code) else "ltr",
        "preview_languages": list(settings.LANGUAGES),
    }


def preview_program(site: Any, request: HttpRequest, program: str, language: str) -> HttpResponse:
    """The draft's outline in ``language``, as help-seekers' pages would show it. Reads only:
    no profile, no progress, no statistics."""
    live, code = _live(program), _language(language)
    with override(code):
        return TemplateResponse(request, "authoring/preview_program.html", _preview_context(live, code)).render()


def preview_urge(site: Any, request: HttpRequest, program: str, language: str) -> HttpResponse:
    """The draft's "Urge now" page in ``language``: what a reader who is not signed in sees,
    and the prompts whose answers a signed-in reader sees first."""
    live, code = _live(program), _language(language)
    context = _preview_context(live, code)
    urge = selectors.urge_content(program=context["draft"], language=code)
    context.update(
        urge=urge,
        preview_words=urge.words,
        helplines=selectors.helplines_to_act_on(country=None, language=code),
        country="",
        countries=[],
        wait_minutes=settings.URGE_WAIT_MINUTES,
    )
    with override(code):
        return TemplateResponse(request, "authoring/preview_urge.html", context).render()


def preview_step(site: Any, request: HttpRequest, program: str, language: str, module: str, step: str) -> HttpResponse:
    """One step of the draft in ``language``, rendered by the help-seekers' own templates."""
    live, code = _live(program), _language(language)
    context = _preview_context(live, code)
    view = selectors.step_view(program=context["draft"], module_slug=module, step_slug=step, language=code)
    previous, following = context["outline"].neighbours(module, step)
    context.update(
        step=view,
        items=[BlockItem(block) for block in view.blocks],
        previous=previous,
        next=following,
    )
    with override(code):
        return TemplateResponse(request, "authoring/preview_step.html", context).render()
