"""The content workflow end to end in a real browser with JavaScript off, two-factor sign-in on:
an author signs in with a password and a TOTP code, changes a step's English title in the
staff site and submits English for review, and help-seekers still read the old title; a
reviewer signs in the same way, sees the change as a word difference and publishes it, and
only then do help-seekers read the new title, with nothing loaded from another origin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import Harness
from tests.factories import WHY, course, drafted

PASSWORD = "a long staff password"
OLD_TITLE, NEW_TITLE = "Why change?", "Why change, today?"
STEP_PAGE = "/en/program/course/first/why/"
REVIEW_PAGE = "/staff/review/course/en/"
CONTENT = ("program", "module", "step", "block", "blockoption")
ROLES = {
    "author": [("modules", f"{action}_{model}") for model in CONTENT for action in ("view", "add", "change")]
    + [("authoring", codename) for codename in ("submit_review", "view_revision", "restore_revision")],
    "reviewer": [("modules", f"view_{model}") for model in CONTENT]
    + [("authoring", codename) for codename in ("publish_language", "view_revision")],
}


def _staff(username: str, role: str) -> TOTPDevice:
    """A staff member in ``role`` with a confirmed authenticator of their own. The role's group
    and permissions are made here: a flush between transactional tests may have removed the
    migration's."""
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(
        *(Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in ROLES[role])
    )
    user.groups.add(group)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _sign_in(harness: Harness, device: TOTPDevice) -> None:
    """Through the staff sign-in form: a password alone is not enough, and the form then offers
    the member's authenticator; the password again with its current code signs them in."""
    page = harness.page
    harness.goto("/staff/login/")
    assert page.locator("#id_otp_device").count() == 0  # type: ignore[attr-defined]
    page.fill("#id_username", device.user.username)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    asked = harness.click("#login-form [type=submit]:not([name])")
    assert asked.status == 200  # type: ignore[attr-defined]
    assert page.url == f"{harness.origin}/staff/login/"  # type: ignore[attr-defined]
    page.select_option("#id_otp_device", device.persistent_id)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.fill("#id_otp_token", _code(device))  # type: ignore[attr-defined]
    response = harness.click("#login-form [type=submit]:not([name])")
    assert response.status == 200  # type: ignore[attr-defined]
    assert page.url == f"{harness.origin}/staff/", page.content()  # type: ignore[attr-defined]


def _help_seeker_reads(harness_factory: object) -> tuple[Harness, str]:
    """A fresh help-seeker, not signed in anywhere: the step's heading as they read it."""
    reader = harness_factory("en", prefix="staff-workflow-reader")  # type: ignore[operator]
    response = reader.goto(STEP_PAGE)
    assert response.status == 200  # type: ignore[attr-defined]
    return reader, reader.page.locator("h1").inner_text()  # type: ignore[attr-defined]


def test_a_change_goes_live_only_when_a_reviewer_publishes_it(harness_factory, transactional_db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_REQUIRE_2FA = True
    made = course(languages=("en", "fi"))
    step = drafted(made).steps[WHY]
    author, reviewer = _staff("ada", "author"), _staff("rey", "reviewer")

    # The author changes the draft's English title and submits English for review.
    writer = harness_factory("en", prefix="staff-workflow-author")
    _sign_in(writer, author)
    page = writer.page
    writer.goto(f"/staff/modules/step/{step.pk}/change/")
    assert page.input_value("#id_title_en") == OLD_TITLE  # type: ignore[attr-defined]
    page.fill("#id_title_en", NEW_TITLE)  # type: ignore[attr-defined]
    response = writer.click('input[type=submit][name="_save"]')
    assert response.status == 200  # type: ignore[attr-defined]
    assert page.locator(".errornote, .errorlist").count() == 0, page.content()  # type: ignore[attr-defined]
    writer.goto(REVIEW_PAGE)
    page.fill("#submit-note", "A warmer title.")  # type: ignore[attr-defined]
    writer.click('button:text-is("Submit English for review")')
    assert "English submitted for review." in page.locator(".messagelist").inner_text()  # type: ignore[attr-defined]

    # Submitted is not published: help-seekers still read the old title.
    reader, heading = _help_seeker_reads(harness_factory)
    assert heading == OLD_TITLE
    assert NEW_TITLE not in reader.page.content()  # type: ignore[attr-defined]
    assert reader.foreign_requests() == []

    # The reviewer sees the change word by word and publishes English.
    checker = harness_factory("en", prefix="staff-workflow-reviewer")
    _sign_in(checker, reviewer)
    page = checker.page
    checker.goto(REVIEW_PAGE)
    change = page.locator("table.difference tbody td", has=page.locator("ins"))  # type: ignore[attr-defined]
    assert change.count() == 1
    assert change.locator("del").all_inner_texts() == ["change?"]
    assert change.locator("ins").all_inner_texts() == ["change, today?"]
    checker.click('button:text-is("Publish English")')
    assert page.url == checker.origin + REVIEW_PAGE  # type: ignore[attr-defined]
    assert "Published as revision" in page.locator(".messagelist").inner_text()  # type: ignore[attr-defined]

    # Published: a fresh help-seeker reads the new title.
    reader, heading = _help_seeker_reads(harness_factory)
    assert heading == NEW_TITLE
    assert reader.foreign_requests() == []


def test_translation_tabs_show_one_language_at_a_time(browser, live_server, transactional_db) -> None:  # type: ignore[no-untyped-def]
    """The staff site's change form with JavaScript on: a button per language above it, and
    choosing one shows that language's fields (and the untranslated ones), in the inlines too."""
    made = course(languages=("en", "fi"))
    step = drafted(made).steps[WHY]
    User.objects.create_superuser("tab", password=PASSWORD)
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script that failed
    page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
    origin = str(live_server.url)
    page.goto(origin + "/staff/login/")
    page.fill("#id_username", "tab")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.goto(f"{origin}/staff/modules/step/{step.pk}/change/")

    tabs = page.locator(".translation-tabs button")
    assert tabs.first.inner_text() == "All languages"
    assert "fi" in tabs.all_inner_texts()
    assert page.is_visible("#id_title_en")
    assert page.is_visible("#id_title_fi")

    page.click('.translation-tabs button[value="fi"]')
    assert page.is_visible("#id_title_fi")
    assert not page.is_visible("#id_title_en")
    assert not page.is_visible("#id_title_sv")
    assert page.is_visible("#id_estimated_minutes"), "fields that are not translated stay"
    assert page.is_visible("#id_blocks-0-body_fi")
    assert not page.is_visible("#id_blocks-0-body_en")
    assert page.get_attribute('.translation-tabs button[value="fi"]', "aria-pressed") == "true"

    page.reload()  # the choice is kept for the browser tab
    assert not page.is_visible("#id_title_en")
    page.click('.translation-tabs button[value="all"]')
    assert page.is_visible("#id_title_en")
    assert page.is_visible("#id_title_sv")
    assert errors == []
    context.close()
