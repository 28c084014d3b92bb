"""The staff site: Django's admin with the project's sign-in.

- Two-factor sign-in (TOTP, django-otp) when ``STAFF_REQUIRE_2FA`` is on (the default, and
  what production uses): a password alone opens nothing, and only a session verified by a
  registered device counts as signed in. Enrol a device with ``manage.py totp_enrol``.
- A lock on the account name after repeated wrong passwords (``authoring.signin``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from authoring import staffviews, translations, workflow
from authoring.roles import edit_scope
from authoring.signin import StaffSignInForm, lock_check
from modules.models import FALLBACK_LANGUAGE, Program
from redirection.staff import second_factor_verified, two_factor_required


class StaffTwoFactorSignInForm(OTPAdminAuthenticationForm):
    """Name, password and the code from the authenticator app; a locked name is refused."""

    def clean(self) -> dict[str, Any]:
        lock_check(self.cleaned_data.get("username"))
        return super().clean()


class StaffAdminSite(OTPAdminSite):
    """The admin at ``STAFF_PATH``, with two-factor sign-in where it is required."""

    site_header = "Self-help program: staff"
    site_title = "Staff"

    def __init__(self, name: str = "admin") -> None:
        AdminSite.__init__(self, name)

    @property
    def login_form(self) -> type:
        return StaffTwoFactorSignInForm if two_factor_required() else StaffSignInForm

    @property
    def login_template(self) -> str | None:
        return "otp/admin111/login.html" if two_factor_required() else None

    def has_permission(self, request: HttpRequest) -> bool:
        return AdminSite.has_permission(self, request) and second_factor_verified(request.user)

    def get_urls(self) -> list[Any]:
        def page(view: Any) -> Any:
            return self.admin_view(lambda request, **kwargs: view(self, request, **kwargs))

        return [
            path("review/", page(staffviews.review_index), name="review-index"),
            path("review/<slug:program>/<str:language>/", page(staffviews.review_language), name="review-language"),
            path("revisions/<slug:program>/", page(staffviews.revision_list), name="revision-list"),
            path("revisions/<slug:program>/<int:number>/", page(staffviews.revision_detail), name="revision-detail"),
            path("preview/<slug:program>/<str:language>/", page(staffviews.preview_program), name="preview-program"),
            path("preview/<slug:program>/<str:language>/urge-now/", page(staffviews.preview_urge), name="preview-urge"),
            path(
                "preview/<slug:program>/<str:language>/<slug:module>/<slug:step>/",
                page(staffviews.preview_step),
                name="preview-step",
            ),
            path("translations/", self.admin_view(self.translations_index), name="translations"),
            path(
                "translations/<slug:program>/<str:language>/export.<str:kind>",
                page(staffviews.translations_export),
                name="translations-export",
            ),
            path(
                "translations/<slug:program>/<str:language>/import/",
                page(staffviews.translations_import),
                name="translations-import",
            ),
            path(
                "translations/<slug:program>/<str:language>/",
                self.admin_view(self.translations_language),
                name="translations-language",
            ),
            *super().get_urls(),
        ]

    def translations_index(self, request: HttpRequest) -> HttpResponse:
        """Every program and language: how much of the draft is translated, missing, outdated
        and reviewed (the same text as published)."""
        _can_read_content(request)
        rows = []
        names = {code: name for code, name in settings.LANGUAGES if code != FALLBACK_LANGUAGE}
        for program in Program.objects.live().order_by("slug"):
            draft = workflow.program_draft(program=program)
            status = translations.program_translation_status(program=draft, languages=list(names))
            reviewed = workflow.reviewed_shares(program=program, languages=list(names))
            for code, parts in status.items():
                whole = translations.PartStatus("", "", [field for part in parts for field in part.fields])
                shares = (whole.share("translated"), whole.share("missing"), whole.share("outdated"))
                rows.append((program, code, names[code], *shares, reviewed[code].get("all", 100)))
        context = {**self.each_context(request), "title": "Translations", "rows": rows}
        return TemplateResponse(request, "authoring/translations_index.html", context)

    def translations_language(self, request: HttpRequest, program: str, language: str) -> HttpResponse:
        """One language of one program's draft: per module, the share translated, missing,
        outdated and reviewed, and every field that needs work, with a link to it."""
        _can_read_content(request)
        chosen = get_object_or_404(Program.objects.live(), slug=program)
        if language not in {code for code, _name in settings.LANGUAGES} or language == FALLBACK_LANGUAGE:
            raise Http404
        draft = workflow.program_draft(program=chosen)
        reviewed = workflow.reviewed_shares(program=chosen, languages=[language])[language]
        parts = [
            {
                "title": part.title,
                "translated": part.share("translated"),
                "missing": part.share("missing"),
                "outdated": part.share("outdated"),
                "reviewed": reviewed.get(part.key),
                "needs_work": [field for field in part.fields if field.state != "translated"],
            }
            for part in translations.program_translation_status(program=draft, languages=[language])[language]
        ]
        context = {**self.each_context(request), "title": f"{chosen.slug}: {language}", "program": chosen,
                   "language": language, "parts": parts,
                   "can_import": request.user.has_perm("modules.change_step")
                   and edit_scope(request.user).language_allowed(language)}  # fmt: skip
        return TemplateResponse(request, "authoring/translations_language.html", context)


def _can_read_content(request: HttpRequest) -> None:
    if not request.user.has_perm("modules.view_step"):
        raise PermissionDenied
