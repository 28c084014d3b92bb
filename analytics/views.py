"""Evaluator pages: server-rendered, no JavaScript, released figures only.

Only signed-in staff with the ``analytics.view_release`` permission (the *evaluator* group,
and administrators) see them; anyone else signed in gets 403, and a visitor is sent to the
staff sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.decorators import permission_required, user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics import charts, pages, selectors
from analytics.measures import BY_SLUG
from analytics.models import VIEW_RELEASE
from redirection.errors import ApplicationError
from redirection.staff import staff_signed_in


def evaluator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    allowed = permission_required(VIEW_RELEASE, raise_exception=True)(view)
    return user_passes_test(staff_signed_in, login_url="admin:login")(allowed)


@evaluator_only
def overview(request: HttpRequest) -> HttpResponse:
    releases = list(selectors.release_list())
    months = [release for release in releases if release.kind == "month"]
    points = {
        (figure.release_id, figure.measure): figure
        for figure in selectors.figures_over_time_many(kind="month", measures=("new_profiles", "active_profiles"))
    }
    rows = []
    series: dict[str, list[Decimal | None]] = {"new_profiles": [], "active_profiles": []}
    for release in months:
        row = [release.period]
        for measure in series:
            figure = points.get((release.id, measure))
            series[measure].append(pages.value(figure))
            row.append(pages.show(figure))
        rows.append(row)
    title = _("New and active profiles by month")
    chart = (
        charts.line_chart(
            [release.period for release in months],
            [(_("New profiles"), series["new_profiles"]), (_("Active profiles"), series["active_profiles"])],
            title=title,
        )
        if months
        else None
    )
    trend = pages.Block(title, [_("Month"), _("New profiles"), _("Active profiles")], rows, chart)
    return render(request, "analytics/overview.html", {"releases": releases, "trend": trend})


@evaluator_only
def release_page(request: HttpRequest, period: str) -> HttpResponse:
    try:
        release = selectors.release_get(period=period)
    except ApplicationError as error:
        return render(request, "analytics/missing.html", {"message": error.message}, status=error.status)
    sections = pages.release_sections(release, selectors.figures(release=release))
    accuracy = sorted(release.accuracy.items())
    return render(request, "analytics/release.html", {"release": release, "sections": sections, "accuracy": accuracy})


@evaluator_only
def release_csv(request: HttpRequest, period: str) -> HttpResponse:
    """The release (or the measures named by ``?measure=``) in the tidy long CSV."""
    try:
        release = selectors.release_get(period=period)
    except ApplicationError as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
    wanted = [slug for slug in request.GET.getlist("measure") if slug in BY_SLUG] or None
    body = selectors.figures_csv(selectors.figures(release=release, measures=wanted))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"release-{release.period}" + (f"-{'-'.join(wanted)}" if wanted else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
