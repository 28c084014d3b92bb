"""The authorization matrix over every URL pattern and every role (issue 16, item 1).

Every pattern of the URLconf has a row: here, or, for the staff site's model pages and its
own pages, in ``tests/authoring/test_roles.py`` (which derives its expectations per model and
view). A new URL without a row fails ``test_every_url_pattern_has_a_row``. The roles: an
anonymous visitor, help-seekers A and B, an author, a translator assigned to the language
and one who is not, a reviewer, an evaluator and an administrator. Besides the status of
every cell: help-seeker A's marked words (an answer and a diary note) appear in no response
to anyone else, staff included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from authoring.models import TranslatorLanguage
from helpseekers.models import today
from tests.factories import PLAN, WHY, Course, course

ROLES = (
    "anonymous",
    "helpseeker-a",
    "helpseeker-b",
    "author",
    "translator",
    "translator-elsewhere",
    "reviewer",
    "evaluator",
    "administrator",
)
HELPSEEKERS = {"helpseeker-a", "helpseeker-b"}
STAFF = {"author", "translator", "translator-elsewhere", "reviewer", "evaluator", "administrator"}
READS_FIGURES = {"evaluator", "administrator"}
MARKERS = ("A-answer-marker-3391", "A-diary-marker-7710")
STEP = "course/first/why"
PERIOD = "2026-11"

Expected = Callable[[str], int]


def everyone(status: int) -> Expected:
    return lambda role: status


def helpseekers(status: int, otherwise: int) -> Expected:
    return lambda role: status if role in HELPSEEKERS else otherwise


def figures(anonymous: int) -> Expected:
    """Evaluation pages: evaluators and administrators read released figures; other staff
    are refused; anyone not signed in to the staff site is sent to sign in (pages) or
    refused (API)."""
    return lambda role: 200 if role in READS_FIGURES else 403 if role in STAFF else anonymous


def a_only(status_a: int, status_b: int, otherwise: int) -> Expected:
    return lambda role: status_a if role == "helpseeker-a" else status_b if role == "helpseeker-b" else otherwise


# Route (as the URLconf spells it, under /en/ for the help-seeker pages) -> (URL, expected).
# Every request is a GET: reading is what the matrix is about; writes are in the tests below.
ROWS: dict[str, tuple[str, Expected]] = {
    # Help-seeker pages: reading is open; "me" pages need a help-seeker; forms take POST only.
    "en/": ("/en/", everyone(200)),
    "en/program/<slug:program_slug>/": ("/en/program/course/", everyone(200)),
    "en/program/<slug:program_slug>/<slug:module_slug>/": ("/en/program/course/first/", everyone(200)),
    "en/program/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/": (f"/en/program/{STEP}/", everyone(200)),
    "en/start/": ("/en/start/", everyone(200)),
    "en/resume/": ("/en/resume/", everyone(200)),
    "en/sign-out/": ("/en/sign-out/", everyone(405)),
    "en/me/": ("/en/me/", helpseekers(200, 302)),
    "en/me/plan/": ("/en/me/plan/", helpseekers(200, 302)),
    "en/me/export/": ("/en/me/export/", helpseekers(200, 302)),
    "en/me/export/read/": ("/en/me/export/read/", helpseekers(200, 302)),
    "en/me/delete/": ("/en/me/delete/", helpseekers(200, 302)),
    "en/me/diary/": ("/en/me/diary/", helpseekers(200, 302)),
    "en/me/diary/entry/": ("/en/me/diary/entry/", helpseekers(200, 302)),
    "en/me/answers/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/": (
        f"/en/me/answers/{STEP}/",
        everyone(405),
    ),
    "en/me/finished/<slug:program_slug>/": ("/en/me/finished/course/", everyone(302)),
    "en/questionnaires/<slug:program_slug>/<slug:occasion_slug>/": (
        "/en/questionnaires/course/start/",
        a_only(409, 200, 302),  # A answered it (not due again); B may answer it
    ),
    "en/questionnaires/<slug:program_slug>/<slug:occasion_slug>/result/": (
        "/en/questionnaires/course/start/result/",
        a_only(200, 404, 302),  # only one's own result exists
    ),
    "en/urge/": ("/en/urge/", everyone(200)),
    "en/urge/wait/": ("/en/urge/wait/", everyone(200)),
    "en/urge/after/": ("/en/urge/after/", everyone(200)),
    "en/safety/": ("/en/safety/", everyone(200)),
    "en/help/": ("/en/help/", everyone(200)),
    # Evaluation pages: released figures only, for evaluators.
    "evaluation/": ("/evaluation/", figures(302)),
    "evaluation/<str:period>/": (f"/evaluation/{PERIOD}/", figures(302)),
    "evaluation/<str:period>/figures.csv": (f"/evaluation/{PERIOD}/figures.csv", figures(302)),
    # Content API: open.
    "api/v1/programs/": ("/api/v1/programs/", everyone(200)),
    "api/v1/programs/<slug:program_slug>/": ("/api/v1/programs/course/", everyone(200)),
    "api/v1/programs/<slug:program_slug>/modules/<slug:module_slug>/": (
        "/api/v1/programs/course/modules/first/",
        everyone(200),
    ),
    "api/v1/programs/<slug:program_slug>/modules/<slug:module_slug>/steps/<slug:step_slug>/": (
        "/api/v1/programs/course/modules/first/steps/why/",
        everyone(200),
    ),
    "api/v1/helplines/": ("/api/v1/helplines/", everyone(200)),
    "api/schema/": ("/api/schema/", everyone(200)),
    "api/docs/": ("/api/docs/", everyone(200)),
    # Help-seeker API: a bearer token only (the web cookie and staff sessions do not count).
    "api/v1/helpseekers/start/": ("/api/v1/helpseekers/start/", everyone(405)),
    "api/v1/helpseekers/resume/": ("/api/v1/helpseekers/resume/", everyone(405)),
    "api/v1/helpseekers/sign-out/": ("/api/v1/helpseekers/sign-out/", helpseekers(405, 401)),
    "api/v1/helpseekers/me/": ("/api/v1/helpseekers/me/", helpseekers(405, 401)),
    "api/v1/helpseekers/me/progress/": ("/api/v1/helpseekers/me/progress/", helpseekers(200, 401)),
    "api/v1/helpseekers/me/diary/": ("/api/v1/helpseekers/me/diary/", helpseekers(200, 401)),
    "api/v1/helpseekers/me/export/": ("/api/v1/helpseekers/me/export/", helpseekers(200, 401)),
    "api/v1/helpseekers/me/steps/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/answers/": (
        f"/api/v1/helpseekers/me/steps/{STEP}/answers/",
        helpseekers(200, 401),
    ),
    "api/v1/helpseekers/me/steps/<slug:program_slug>/<slug:module_slug>/<slug:step_slug>/complete/": (
        f"/api/v1/helpseekers/me/steps/{STEP}/complete/",
        helpseekers(405, 401),
    ),
    "api/v1/helpseekers/me/questionnaires/": ("/api/v1/helpseekers/me/questionnaires/", helpseekers(200, 401)),
    "api/v1/helpseekers/me/questionnaires/<slug:program_slug>/<slug:occasion_slug>/": (
        "/api/v1/helpseekers/me/questionnaires/course/start/",
        helpseekers(405, 401),
    ),
    "api/v1/helpseekers/me/questionnaires/<slug:program_slug>/<slug:occasion_slug>/result/": (
        "/api/v1/helpseekers/me/questionnaires/course/start/result/",
        a_only(200, 404, 401),
    ),
    # Evaluation API: released figures only, for evaluators.
    "api/v1/evaluation/releases/": ("/api/v1/evaluation/releases/", figures(403)),
    "api/v1/evaluation/releases/<str:period>/": (f"/api/v1/evaluation/releases/{PERIOD}/", figures(403)),
    "api/v1/evaluation/releases/<str:period>/figures.csv": (
        f"/api/v1/evaluation/releases/{PERIOD}/figures.csv",
        figures(403),
    ),
    # The staff site's own pages that tests/authoring/test_roles.py does not request.
    "staff/login/": ("/staff/login/", lambda role: 302 if role in STAFF else 200),
    "staff/logout/": ("/staff/logout/", lambda role: 405 if role in STAFF else 302),  # a POST form
    "staff/password_change/": ("/staff/password_change/", lambda role: 200 if role in STAFF else 302),
    "staff/password_change/done/": ("/staff/password_change/done/", lambda role: 200 if role in STAFF else 302),
    "staff/jsi18n/": ("/staff/jsi18n/", lambda role: 200 if role in STAFF else 302),
    "staff/autocomplete/": ("/staff/autocomplete/", lambda role: 403 if role in STAFF else 302),
    "staff/r/<path:content_type_id>/<path:object_id>/": ("/staff/r/1/1/", lambda role: 404 if role in STAFF else 302),
    "staff/^(?P<app_label>auth|otp_totp|authtoken|modules|authoring|admin|questionnaires)/$": (
        "/staff/modules/",
        lambda role: 302 if role not in STAFF else 404 if role == "evaluator" else 200,
    ),
    "staff/(?P<url>.*)$": ("/staff/no-such-page/", lambda role: 404 if role in STAFF else 302),
    # a staff member's second-factor secret is shown to nobody (OTP_ADMIN_HIDE_SENSITIVE_DATA)
    "staff/otp_totp/totpdevice/<int:pk>/config/": (
        "/staff/otp_totp/totpdevice/1/config/",
        lambda role: 403 if role in STAFF else 302,
    ),
    "staff/otp_totp/totpdevice/<int:pk>/qrcode/": (
        "/staff/otp_totp/totpdevice/1/qrcode/",
        lambda role: 403 if role in STAFF else 302,
    ),
}

# Staff pages whose row is in tests/authoring/test_roles.py (its list of staff pages).
STAFF_MATRIX_PAGES = {
    "staff/",
    "staff/review/",
    "staff/review/<slug:program>/<str:language>/",
    "staff/revisions/<slug:program>/",
    "staff/revisions/<slug:program>/<int:number>/",
    "staff/preview/<slug:program>/<str:language>/",
    "staff/preview/<slug:program>/<str:language>/urge-now/",
    "staff/preview/<slug:program>/<str:language>/<slug:module>/<slug:step>/",
    "staff/translations/",
    "staff/translations/<slug:program>/<str:language>/export.<str:kind>",
    "staff/translations/<slug:program>/<str:language>/import/",
    "staff/translations/<slug:program>/<str:language>/",
}
ADMIN_MODEL_VIEW = re.compile(r"_(changelist|add|change|history|delete)$")


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def _is_admin_model_page(route: str, name: str | None) -> bool:
    """A registered model's page (list, add, change, history, delete, or the old-style
    object URL that redirects to change): test_roles.py requests each for every model."""
    models = {f"staff/{m._meta.app_label}/{m._meta.model_name}/" for m in admin_site._registry}
    return any(route.startswith(prefix) for prefix in models) and (name is None or bool(ADMIN_MODEL_VIEW.search(name)))


@pytest.mark.django_db
def test_every_url_pattern_has_a_row() -> None:
    with translation.override("en"):  # the help-seeker pages' prefix is the active language's
        routes = list(_patterns(get_resolver().url_patterns))
    missing = [
        route
        for route, name in routes
        if route not in ROWS and route not in STAFF_MATRIX_PAGES and not _is_admin_model_page(route, name)
    ]
    assert missing == [], "a URL pattern without a row in the authorization matrix"
    assert not (set(ROWS) - {route for route, _name in routes}), "a row for a URL that no longer exists"


def _staff(role: str) -> Client:
    group = {"translator-elsewhere": "translator"}.get(role, role)
    user = User.objects.create_user(role, password=f"{role} password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if group == "translator":
        TranslatorLanguage.objects.create(user=user, language="fi" if role == "translator" else "sv")
    client = Client()
    client.force_login(user)
    return client


def _helpseeker(made: Course, marked: bool) -> tuple[Client, str]:
    """A help-seeker's browser (web cookie) and API token; A writes the marked words."""
    browser = Client()
    browser.post("/en/start/")
    token = Client().post("/api/v1/helpseekers/start/").json()["token"] if not marked else ""
    if marked:
        browser.post(made.answers_url(WHY), {"reasons": MARKERS[0], "importance": "5"})
        browser.post(made.answers_url(PLAN), {"first-link": "walk"})
        browser.post(
            "/en/me/diary/entry/", {"day": today().isoformat(), "urge": "3", "viewed": "no", "note": MARKERS[1]}
        )
        browser.post("/en/questionnaires/course/start/", {"urge-strength": "3", "confidence": "5"})
    return browser, token


@pytest.fixture
def released(transactional_db: None) -> None:
    from analytics import services

    services.release(period=PERIOD, today=date(2026, 12, 2))


# Committed, as in production: the sign-in views run outside a transaction, and an API
# refusal there must not be taken for the rollback of a test's own transaction.
@pytest.mark.django_db(transaction=True)
def test_every_role_gets_what_the_matrix_says_and_nobody_reads_another_s_words(released: None) -> None:
    made = course(languages=("en", "fi"))
    a_browser, _ = _helpseeker(made, marked=True)
    # A's API token: resume A through the API is not possible without the codename, so A's
    # API rows are read with a profile of A's own made through the API, marked the same way.
    a_api = Client()
    a_token = a_api.post("/api/v1/helpseekers/start/").json()["token"]
    bearer_a = {"HTTP_AUTHORIZATION": f"Bearer {a_token}"}
    a_api.put(
        f"/api/v1/helpseekers/me/steps/{STEP}/answers/",
        {"answers": {"reasons": MARKERS[0]}},
        content_type="application/json",
        **bearer_a,
    )
    a_api.post(
        "/api/v1/helpseekers/me/questionnaires/course/start/",
        {"answers": {"urge-strength": "3", "confidence": "5"}},
        content_type="application/json",
        **bearer_a,
    )
    b_browser, b_token = _helpseeker(made, marked=False)
    clients: dict[str, tuple[Client, dict[str, str]]] = {
        "anonymous": (Client(), {}),
        "helpseeker-a": (a_browser, bearer_a),
        "helpseeker-b": (b_browser, {"HTTP_AUTHORIZATION": f"Bearer {b_token}"}),
    }
    for role in sorted(STAFF):
        clients[role] = (_staff(role), {})

    wrong, leaks, cells, seen_by_a = [], [], 0, set()
    for route, (url, expected) in ROWS.items():
        for role in ROLES:
            client, bearer = clients[role]
            headers = bearer if url.startswith("/api/v1/helpseekers/") else {}
            response = client.get(url, **headers)
            cells += 1
            if response.status_code != expected(role):
                wrong.append((route, role, response.status_code, expected(role)))
            body = b"".join(response) if response.streaming else response.content
            found = {marker for marker in MARKERS if marker.encode() in body}
            if role == "helpseeker-a":
                seen_by_a |= found
            elif found:
                leaks.append((route, role))
    print(f"authorization matrix: {len(ROLES)} roles x {len(ROWS)} URLs = {cells} cells here")
    assert seen_by_a == set(MARKERS), "A reads their own words (so the check could see a leak)"
    assert leaks == [], "help-seeker A's words reached someone else"
    assert wrong == []


@pytest.mark.django_db
def test_what_help_seeker_b_writes_or_deletes_never_touches_a_s_data() -> None:
    from helpseekers.models import DiaryEntry, ExerciseAnswer, HelpSeekerProfile

    made = course()
    a, _ = _helpseeker(made, marked=True)
    a_profile = HelpSeekerProfile.objects.get()  # the only one yet
    b, b_token = _helpseeker(made, marked=False)
    before = (
        ExerciseAnswer.objects.filter(profile=a_profile).count(),
        DiaryEntry.objects.filter(profile=a_profile).count(),
    )

    # B writes the same step and day through the web and the API, then deletes everything
    b.post(made.answers_url(WHY), {"reasons": "B's words", "importance": "1"})
    b.post("/en/me/diary/entry/", {"day": today().isoformat(), "urge": "9", "viewed": "yes"})
    Client().put(
        f"/api/v1/helpseekers/me/steps/{STEP}/answers/",
        {"answers": {"reasons": "B through the API"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {b_token}",
    )
    Client().delete("/api/v1/helpseekers/me/", HTTP_AUTHORIZATION=f"Bearer {b_token}")
    b.post("/en/me/delete/")

    after = (
        ExerciseAnswer.objects.filter(profile=a_profile).count(),
        DiaryEntry.objects.filter(profile=a_profile).count(),
    )
    assert after == before
    assert before == (3, 1), "A's answers, plan item and diary entry were there to lose"
    assert MARKERS[0] in a.get(f"/en/program/{STEP}/").content.decode()
    assert MARKERS[1] in a.get("/en/me/diary/").content.decode()


@pytest.mark.django_db
def test_the_rows_do_not_depend_on_the_language_a_test_left_active() -> None:
    with translation.override("fi"):
        test_every_url_pattern_has_a_row()
