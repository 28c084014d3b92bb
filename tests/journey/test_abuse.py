"""Bad input and abuse: clear errors in the reader's language, nothing saved is ever lost."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from helpseekers import crypto, services
from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, HelpSeekerSession, StepProgress
from tests.conftest import codename_from
from tests.factories import Course

WHY = "/en/program/course/first/why/"
WHY_ANSWERS = "/en/me/answers/course/first/why/"


def _no_hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(
        crypto,
        "codename_secrets",
        lambda normalised: calls.append(normalised) or crypto.CodenameSecrets(b"x" * 32, b"y" * 32),
    )
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "word " * 30,
        "alpha beta gamma\x00delta echo foxtrot golf",
        "just three words",
        # a look-alike letter from another script (Cyrillic U+0430 for "a") in otherwise plain words
        "\u0430lpha bravo charlie delta echo foxtrot golf",
    ],
)
def test_overlong_or_malformed_codename_is_refused_before_any_hashing(
    client: Client, program: Course, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    calls = _no_hashing(monkeypatch)
    client.get("/en/resume/")

    response = client.post("/en/resume/", {"codename": typed})

    assert response.status_code == 400
    assert calls == []
    assert 'id="codename-error"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variant",
    [
        lambda words: " ".join(words).upper(),
        lambda words: "  " + "\t".join(word.title() for word in words) + " \n",
        lambda words: "-".join(words),
    ],
    ids=["upper case", "spaces, tabs and capitals", "hyphens"],
)
def test_case_and_whitespace_variants_resume_the_same_profile(started: tuple[Client, str], variant, settings) -> None:
    browser, codename = started
    browser.post(WHY_ANSWERS, {"reasons": "My reasons.", "action": "complete"})
    browser.post("/en/sign-out/")
    browser.get("/en/resume/")

    response = browser.post("/en/resume/", {"codename": variant(codename.split(" "))})

    assert response.status_code == 302
    token = browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value
    signed_in = services.session_resolve(token=token)
    assert signed_in is not None
    assert HelpSeekerProfile.objects.count() == 1
    assert StepProgress.objects.get(profile=signed_in.profile).completed_on is not None


@pytest.mark.django_db
def test_wrong_and_malformed_codenames_get_the_same_message(started: tuple[Client, str]) -> None:
    _browser, _codename = started
    wrong, malformed = Client(), Client()
    wrong.get("/en/resume/")
    malformed.get("/en/resume/")

    first = wrong.post("/en/resume/", {"codename": "abacus abacus abacus abacus abacus abacus abacus"})
    second = malformed.post("/en/resume/", {"codename": "two words"})

    message = "That codename did not work. Check the words and try again."
    assert message in first.content.decode()
    assert message in second.content.decode()


@pytest.mark.django_db
def test_missing_csrf_token_gets_a_403_page_in_the_readers_language(program: Course) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/fi/")

    response = client.post("/fi/start/")

    assert response.status_code == 403
    with translation.override("fi"):
        heading = translation.gettext("The form expired")
    assert heading != "The form expired"
    assert heading in response.content.decode()
    assert not HelpSeekerProfile.objects.exists()


@pytest.mark.django_db
def test_oversized_answer_is_refused_and_the_saved_answer_is_kept(started: tuple[Client, str], settings) -> None:
    browser, _codename = started
    browser.post(WHY_ANSWERS, {"reasons": "My first reasons.", "importance": "6", "action": "save"})

    response = browser.post(
        WHY_ANSWERS, {"reasons": "x" * (settings.ANSWER_MAX_CHARS + 5), "importance": "9", "action": "save"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your answer is 5 characters too long. Shorten it to 4000 characters." in html
    assert 'aria-invalid="true"' in html
    assert "x" * 100 in html, "what the reader typed is shown back, not lost"
    page = browser.get(WHY).content.decode()
    assert "My first reasons." in page
    assert 'name="importance" value="6" checked' in page, "nothing of the failed submission was saved"


@pytest.mark.django_db
def test_double_submission_is_idempotent(started: tuple[Client, str]) -> None:
    browser, _codename = started
    for _ in range(2):
        browser.post(WHY_ANSWERS, {"reasons": "Same words.", "importance": "7", "action": "complete"})

    assert ExerciseAnswer.objects.count() == 2
    assert StepProgress.objects.filter(completed_on__isnull=False).count() == 1


@pytest.mark.django_db
def test_codename_typed_into_an_answer_is_not_saved_and_the_reader_is_warned(started: tuple[Client, str]) -> None:
    browser, codename = started

    response = browser.post(WHY_ANSWERS, {"reasons": f"note to self: {codename.replace(' ', '-')}", "action": "save"})

    assert response.status_code == 400
    assert "This answer contains your codename, so it was not saved." in response.content.decode()
    assert not ExerciseAnswer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("importance", "11", "Choose a number from 0 to 10."), ("importance", "seven", "Choose a number from 0 to 10.")],
)
def test_out_of_range_values_get_a_clear_error(
    started: tuple[Client, str], field: str, value: str, message: str
) -> None:
    browser, _codename = started

    response = browser.post(WHY_ANSWERS, {field: value, "action": "save"})

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_unknown_option_is_refused(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.post("/en/me/answers/course/first/welcome/", {"reason": "something-else", "action": "save"})

    assert response.status_code == 400
    assert "Choose from the options shown." in response.content.decode()


@pytest.mark.django_db
def test_another_profiles_identifiers_never_reach_their_data(started: tuple[Client, str]) -> None:
    # given two help-seekers, A with an answer
    browser_a, _codename_a = started
    browser_a.post(WHY_ANSWERS, {"reasons": "Words of A only.", "action": "save"})
    profile_a = HelpSeekerProfile.objects.get()
    browser_b = Client()
    browser_b.post("/en/start/")
    profile_b = HelpSeekerProfile.objects.exclude(pk=profile_a.pk).get()

    # when B names A in the body and in a made-up URL
    browser_b.post(WHY_ANSWERS, {"reasons": "Words of B.", "profile": str(profile_a.pk), "action": "save"})
    made_up = browser_b.get(f"/en/me/{profile_a.pk}/")

    # then B sees only B's data, and A's answer is untouched
    assert made_up.status_code == 404
    assert "Words of A only." not in browser_b.get(WHY).content.decode()
    assert ExerciseAnswer.objects.filter(profile=profile_a).count() == 1
    assert ExerciseAnswer.objects.filter(profile=profile_b).count() == 1
    assert "Words of A only." in browser_a.get(WHY).content.decode()


@pytest.mark.django_db
def test_unknown_step_is_a_404(started: tuple[Client, str]) -> None:
    browser, _codename = started

    assert browser.post("/en/me/answers/course/first/nope/", {"action": "save"}).status_code == 404


@pytest.mark.django_db
def test_saving_answers_needs_a_signed_in_reader_and_stores_nothing_before(client: Client, program: Course) -> None:
    response = client.post(WHY_ANSWERS, {"reasons": "Typed while signed out.", "action": "save"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "You are not signed in any more, so your answers are not saved yet." in html
    assert ">Typed while signed out.</textarea>" in html
    assert 'name="codename"' in html
    assert not ExerciseAnswer.objects.exists()


@pytest.mark.django_db
def test_resume_attempts_are_limited_per_browser(client: Client, program: Course, settings) -> None:
    settings.RESUME_SESSION_BURST = 3
    client.get("/en/resume/")
    statuses = [
        client.post("/en/resume/", {"codename": "abacus abacus abacus abacus abacus abacus abacus"}).status_code
        for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]
    # another browser is not locked out
    other = Client()
    other.get("/en/resume/")
    assert (
        other.post("/en/resume/", {"codename": "abacus abacus abacus abacus abacus abacus abacus"}).status_code == 400
    )


@pytest.mark.django_db
def test_past_the_global_budget_people_wait_their_turn_and_are_refused_only_when_the_queue_is_long(
    program: Course, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.RESUME_GLOBAL_BURST = 1
    settings.RESUME_GLOBAL_PER_SECOND = 2.0
    settings.SIGNIN_WAIT_SECONDS = 1.2
    waited: list[float] = []
    monkeypatch.setattr(services.time, "sleep", waited.append)  # the waits, without waiting
    statuses = []
    for _ in range(5):
        browser = Client()
        browser.get("/en/resume/")
        statuses.append(
            browser.post("/en/resume/", {"codename": "abacus abacus abacus abacus abacus abacus abacus"}).status_code
        )

    assert statuses == [400, 400, 400, 503, 503]  # wrong codenames, in turn; then the queue is too long
    assert waited == pytest.approx([0.5, 1.0], abs=0.05)


@pytest.mark.django_db
def test_a_flood_of_resumes_never_uses_up_starting(program: Course, settings) -> None:
    settings.RESUME_GLOBAL_BURST = 1
    settings.RESUME_GLOBAL_PER_SECOND = 0.001
    settings.SIGNIN_WAIT_SECONDS = 0
    flood = Client()
    flood.get("/en/resume/")
    wrong = {"codename": "abacus abacus abacus abacus abacus abacus abacus"}
    assert [flood.post("/en/resume/", wrong).status_code for _ in range(3)] == [400, 503, 503]

    assert Client().post("/en/start/").status_code == 200


@pytest.mark.django_db
def test_session_rotates_at_sign_in_and_sign_out_ends_it(started: tuple[Client, str], settings) -> None:
    browser, codename = started
    first_token = browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value

    browser.post("/en/resume/", {"codename": codename})
    second_token = browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value

    assert second_token != first_token
    assert services.session_resolve(token=first_token) is None
    assert services.session_resolve(token=second_token) is not None
    browser.post("/en/sign-out/")
    assert services.session_resolve(token=second_token) is None
    assert not HelpSeekerSession.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("idle", "absolute"), [(timedelta(minutes=61), timedelta(hours=2)), (timedelta(0), timedelta(hours=13))]
)
def test_idle_and_absolute_timeouts_end_the_session(
    started: tuple[Client, str], settings, idle: timedelta, absolute: timedelta
) -> None:
    browser, _codename = started
    now = timezone.now()
    HelpSeekerSession.objects.update(signed_in_at=now - absolute, last_seen_at=now - idle)

    response = browser.get("/en/me/")

    assert response.status_code == 302
    assert response["Location"] == "/en/resume/"
    assert not HelpSeekerSession.objects.exists()
    assert browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value == ""


@pytest.mark.django_db
def test_start_while_signed_in_asks_first_and_changes_nothing_without_an_answer(
    started: tuple[Client, str], settings
) -> None:
    browser, _codename = started
    token = browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value

    asked = browser.get("/en/start/")
    pressed = browser.post("/en/start/")

    for response in (asked, pressed):
        html = response.content.decode()
        assert "Start anew?" in html
        assert 'value="sign-out-and-start"' in html
        assert 'href="/en/me/">Continue with my current codename' in html
    assert pressed.status_code == 409
    assert HelpSeekerProfile.objects.count() == 1
    assert browser.cookies[settings.HELPSEEKER_COOKIE_NAME].value == token
    assert HelpSeekerSession.objects.count() == 1


@pytest.mark.django_db
def test_start_anew_signs_out_and_keeps_the_first_profile(started: tuple[Client, str], settings) -> None:
    browser, codename = started
    first = HelpSeekerProfile.objects.get()

    response = browser.post("/en/start/", {"action": "sign-out-and-start"})

    assert response.status_code == 200
    assert codename_from(response.content.decode()) != codename
    assert HelpSeekerProfile.objects.count() == 2
    assert not HelpSeekerSession.objects.filter(profile=first).exists(), "the first session ended"
    assert HelpSeekerSession.objects.count() == 1


@pytest.mark.django_db
def test_pages_of_a_signed_in_reader_are_never_cached(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.get(WHY)

    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
def test_skip_goes_on_without_saving_what_was_typed(started: tuple[Client, str]) -> None:
    browser, _codename = started

    response = browser.post(WHY_ANSWERS, {"reasons": "Not now.", "importance": "4", "action": "skip"})

    assert response.status_code == 302
    assert response["Location"] == "/en/program/course/first/values/"
    assert not ExerciseAnswer.objects.exists()
    assert not StepProgress.objects.filter(completed_on__isnull=False).exists()


@pytest.mark.django_db
def test_the_signed_in_step_offers_no_link_forward_that_would_drop_typed_words(started: tuple[Client, str]) -> None:
    browser, _codename = started

    html = browser.get(WHY).content.decode()

    assert 'rel="next"' not in html
    assert (
        '<button type="submit" name="action" value="skip" class="link">Skip this step without saving</button>' in html
    )


@pytest.mark.django_db
def test_after_the_session_ended_the_text_waits_in_the_form_and_is_saved_on_signing_in(
    started: tuple[Client, str], settings
) -> None:
    # given a help-seeker whose session ended while they were typing
    browser, codename = started
    HelpSeekerSession.objects.all().delete()

    # when they send their answer, it comes back in the form with their codename field
    lost = browser.post(WHY_ANSWERS, {"reasons": "Words worth keeping.", "importance": "7", "action": "complete"})
    assert lost.status_code == 403
    assert ">Words worth keeping.</textarea>" in lost.content.decode()
    assert 'name="importance" value="7" checked' in lost.content.decode()
    assert 'name="action" value="complete"' in lost.content.decode()
    assert not ExerciseAnswer.objects.exists()

    # a wrong codename keeps the text too
    wrong = browser.post(
        WHY_ANSWERS, {"reasons": "Words worth keeping.", "codename": "two words", "action": "complete"}
    )
    assert wrong.status_code == 400
    assert ">Words worth keeping.</textarea>" in wrong.content.decode()
    assert "That codename did not work" in wrong.content.decode()

    # then with the codename they are signed in, the answer saved and the step completed
    resumed = browser.post(
        WHY_ANSWERS, {"reasons": "Words worth keeping.", "importance": "7", "codename": codename, "action": "complete"}
    )
    assert resumed.status_code == 302
    assert resumed["Location"] == "/en/program/course/first/values/"
    assert settings.HELPSEEKER_COOKIE_NAME in resumed.cookies
    assert "Words worth keeping." in browser.get(WHY).content.decode()
    assert StepProgress.objects.filter(completed_on__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_failed_csrf_check_explains_and_gives_back_what_was_typed_but_never_the_codename(program: Course) -> None:
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        WHY_ANSWERS,
        {"reasons": "Please do not lose this.", "importance": "3", "codename": "alpha beta gamma", "action": "save"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert ">Please do not lose this.</textarea>" in html
    assert "alpha beta gamma" not in html
    assert 'href="/en/program/course/first/why/"' in html
    assert not ExerciseAnswer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "content_type"), [("/en/resume/", None), ("/api/v1/helpseekers/resume/", "json")])
def test_an_oversized_body_is_refused_with_a_clear_400(
    client: Client, program: Course, path: str, content_type: str | None
) -> None:
    huge = "word " * 600_000  # 3 MB, past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

    if content_type:
        response = client.post(path, {"codename": huge}, content_type="application/json")
    else:
        response = client.post(path, {"codename": huge})

    assert response.status_code == 400
    assert not HelpSeekerProfile.objects.exists()


HELPSEEKER_TEMPLATES = ("journey/templates", "modules/templates", "redirection/templates")


def test_no_help_seeker_template_holds_a_script_or_an_inline_handler() -> None:
    from pathlib import Path as _Path

    root = _Path(__file__).resolve().parents[2]
    templates = [path for folder in HELPSEEKER_TEMPLATES for path in (root / folder).rglob("*.html")]
    assert len(templates) > 30
    for template in templates:
        text = template.read_text()
        assert "<script" not in text.lower(), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text.lower(), template


@pytest.mark.django_db
def test_the_codename_is_in_no_cache_key_and_no_task_argument(
    client: Client, program: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery.app.task import Task
    from django.core.cache import caches

    seen: list[str] = []
    for alias in ("default", "content"):
        cache = caches[alias]
        for name in ("get", "set", "add", "delete", "get_many", "set_many"):
            real = getattr(cache, name)
            monkeypatch.setattr(cache, name, lambda *a, _real=real, **k: seen.append(repr((a, k))) or _real(*a, **k))
    real_apply = Task.apply_async
    monkeypatch.setattr(
        Task, "apply_async", lambda self, *a, **k: seen.append(repr((a, k))) or real_apply(self, *a, **k)
    )

    started = client.post("/en/start/")
    codename = codename_from(started.content.decode())
    client.post("/en/sign-out/")
    client.get("/en/resume/")
    client.post("/en/resume/", {"codename": codename})
    client.post(program.answers_url("why"), {"reasons": "My reasons.", "action": "complete"})
    client.get("/en/me/export/")

    assert seen, "the cache was used, so the check could see a codename in it"
    words = codename.split(" ")
    for form in (" ".join(words), "-".join(words), "".join(words)):
        assert not any(form in entry for entry in seen), form
