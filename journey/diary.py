"""The private diary's pages: the last twelve weeks (runs without viewing, a chart and its
table, the entries) and the entry form (today's, or a missed day's).

Plain forms, no JavaScript; nobody but the signed-in help-seeker sees any of it. After a
slip the page says so without judgement and points to the program's setback plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helpseekers import selectors, services
from helpseekers.charts import diary_svg
from helpseekers.errors import DiaryInvalid
from helpseekers.models import DiaryEntry, Helped, Viewed, today
from helpseekers.services import DiaryInput, SignedIn
from journey.moments import reader_program
from journey.views import signed_in_required
from modules import selectors as content


@signed_in_required
def diary(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Runs without viewing, a slip said kindly, the last weeks as a chart and a table, the entries."""
    on = today()
    weeks = selectors.diary_weeks(profile=current.profile, on=on)
    first = weeks[0].starts_on
    entries = selectors.diary_entries_in_words(signed_in=current, since=first)
    runs = selectors.diary_runs(profile=current.profile)
    setback_url = None
    program = reader_program(request)
    if runs.slipped_on is not None and program is not None:
        language = content.content_language_for(program=program, requested=get_language())
        setback = content.urge_content(program=program, language=language).setback_step
        if setback is not None:
            setback_url = reverse("journey:step", args=[program.slug, setback.module_slug, setback.step_slug])
    return render(
        request,
        "journey/diary.html",
        {
            "runs": runs,
            "weeks": weeks,
            "chart": diary_svg(((e.day, e.urge, e.viewed) for e in entries), first=first, days=7 * len(weeks))
            if entries
            else "",
            "entries": entries,
            "has_today": any(entry.day == on for entry in entries),
            # the twelve weeks hold the days that may still be filled in (DIARY_LATE_DAYS < 84)
            "late_days": _late_days(on, taken={entry.day for entry in entries}),
            "setback_url": setback_url,
        },
    )


def _late_window(on: date) -> list[date]:
    return [on - timedelta(days=back) for back in range(1, settings.DIARY_LATE_DAYS + 1)]


def _late_days(on: date, *, taken: set[date]) -> list[date]:
    """The days before today that may still be filled in (``taken`` have an entry), newest first."""
    return [day for day in _late_window(on) if day not in taken]


@require_http_methods(["GET", "POST"])
@signed_in_required
def diary_entry(request: HttpRequest, current: SignedIn) -> HttpResponse:
    """Today's entry (new, or changed on its day), or a missed day's; errors beside their
    fields, with everything typed kept in the form."""
    on = today()
    errors: dict[str, str] = {}
    if request.method == "POST":
        submitted = DiaryInput(
            day=request.POST.get("day", ""),
            urge=request.POST.get("urge", ""),
            viewed=request.POST.get("viewed", ""),
            hours=request.POST.get("hours", ""),
            helped=request.POST.getlist("helped"),
            note=request.POST.get("note", ""),
            replace=request.POST.get("replace") == "1",
        )
        try:
            services.diary_save(signed_in=current, submitted=submitted, on=on)
        except DiaryInvalid as invalid:
            errors = invalid.errors
            status = invalid.status
        else:
            messages.success(request, _("Your diary entry is saved."))
            return redirect("journey:diary")
        values = {
            "day": submitted.day,
            "urge": submitted.urge,
            "viewed": submitted.viewed,
            "hours": submitted.hours,
            "helped": list(submitted.helped),
            "note": submitted.note,
        }
        replace = submitted.replace
    else:
        status = 200
        requested = request.GET.get("day", "")
        day = on
        if requested in {d.isoformat() for d in _late_window(on)}:
            asked = date.fromisoformat(requested)
            if not DiaryEntry.objects.filter(profile=current.profile, day=asked).exists():
                day = asked
        existing = selectors.diary_entry(signed_in=current, day=on) if day == on else None
        replace = existing is not None
        values = {
            "day": day.isoformat(),
            "urge": str(existing.urge) if existing else "",
            "viewed": existing.viewed if existing else "",
            "hours": str(existing.hours) if existing and existing.hours is not None else "",
            "helped": list(existing.helped) if existing else [],
            "note": existing.note if existing else "",
        }
    return render(
        request,
        "journey/diary_entry.html",
        {
            "values": values,
            "errors": errors,
            "replace": replace,
            "is_today": values["day"] == on.isoformat(),
            "today": on,
            "viewed_choices": Viewed.choices,
            "helped_choices": selectors.diary_helped_choices(signed_in=current),
            "common_helped": Helped.values,
            "urge_values": [str(number) for number in range(0, 11)],
            "note_max": settings.DIARY_NOTE_MAX_CHARS,
        },
        status=status,
    )
