"""A database dump alone cannot test codename guesses, and profiles made before key scheme 2
move to it the next time they sign in."""

import os

import pytest
from cryptography.exceptions import InvalidTag
from django.test import Client

from helpseekers import crypto, services
from helpseekers.codenames import codename_normalise
from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, HelpSeekerSession
from tests.factories import WHY, Course

WORDS = "I want to stop for the sake of my family."


def _dumped_answer() -> tuple[str, bytes, bytes, bytes]:
    """(profile id, salt, ciphertext, associated data) as a dump shows them."""
    row = ExerciseAnswer.objects.select_related("profile").get(encrypted_text__isnull=False)
    return (
        str(row.profile_id),
        bytes(row.profile.key_salt),
        bytes(row.encrypted_text),
        f"{row.profile_id}:{row.block_id}".encode(),
    )


@pytest.mark.django_db
def test_a_dump_and_the_right_codename_do_not_open_an_answer_without_the_pepper(
    started: tuple[Client, str], program: Course, settings
) -> None:
    browser, codename = started
    browser.post(program.answers_url(WHY), {"reasons": WORDS, "action": "save"})
    _profile, salt, ciphertext, associated = _dumped_answer()
    normalised = codename_normalise(codename)

    with pytest.raises(InvalidTag):  # the old derivation: HKDF of the codename alone
        crypto.decrypt(crypto.legacy_answer_key(normalised, salt), ciphertext, associated)
    pepper = settings.CODENAME_PEPPER
    settings.CODENAME_PEPPER = "a guessed pepper"
    with pytest.raises(InvalidTag):  # the current derivation, without the installation's pepper
        crypto.decrypt(
            crypto.answer_key(crypto.codename_secrets(normalised).key_material, salt), ciphertext, associated
        )
    settings.CODENAME_PEPPER = pepper  # with it (and an Argon2id run), it opens: the key is what the docs say
    key = crypto.answer_key(crypto.codename_secrets(normalised).key_material, salt)
    assert crypto.decrypt(key, ciphertext, associated) == WORDS


@pytest.mark.django_db
def test_answer_lengths_show_only_their_bucket(started: tuple[Client, str], program: Course) -> None:
    browser, _codename = started
    browser.post(program.answers_url(WHY), {"reasons": "Yes.", "action": "save"})
    short = len(bytes(ExerciseAnswer.objects.get().encrypted_text))
    browser.post(program.answers_url(WHY), {"reasons": "Because " * 25, "action": "save"})

    assert len(bytes(ExerciseAnswer.objects.get().encrypted_text)) == short == crypto.NONCE_BYTES + 256 + 16


def _legacy_profile(codename: str, course: Course, words: str) -> tuple[HelpSeekerProfile, str]:
    """A profile as scheme 1 made it, with an answer and an open session."""
    normalised = codename_normalise(codename)
    salt = os.urandom(16)
    profile = HelpSeekerProfile.objects.create(
        codename_digest=crypto.legacy_digest(normalised), key_salt=salt, key_scheme=crypto.SCHEME_LEGACY
    )
    key = crypto.legacy_answer_key(normalised, salt)
    block = course.blocks["reasons"]
    ExerciseAnswer.objects.create(
        profile=profile,
        block=block,
        encrypted_text=crypto.encrypt(key, words, f"{profile.pk}:{block.pk}".encode(), padded=False),
    )
    token, digest = crypto.token_issue(key, None)
    HelpSeekerSession.objects.create(
        token_digest=digest, profile=profile, signed_in_at=services._minute_now(), last_seen_at=services._minute_now()
    )
    return profile, token


CODENAME = "abacus abdomen abdominal abide abiding ability ablaze"


@pytest.mark.django_db
def test_a_profile_on_the_old_scheme_moves_at_its_next_sign_in_with_its_answers(program: Course) -> None:
    profile, old_token = _legacy_profile(CODENAME, program, WORDS)
    assert services.session_resolve(token=old_token) is not None  # old sessions keep working until the move

    moved, token = services.profile_resume(codename_text=CODENAME.upper(), browser_key=None)

    assert moved.pk == profile.pk
    profile.refresh_from_db()
    assert profile.key_scheme == crypto.SCHEME_CURRENT
    assert bytes(profile.codename_digest) == crypto.codename_secrets(CODENAME).lookup
    assert services.session_resolve(token=old_token) is None, "sessions with the old key end"
    signed_in = services.session_resolve(token=token)
    assert signed_in is not None
    answer = ExerciseAnswer.objects.get(profile=profile)
    assert services.answer_text(signed_in=signed_in, answer=answer, block=program.blocks["reasons"]) == WORDS
    assert len(bytes(answer.encrypted_text)) == crypto.NONCE_BYTES + 256 + 16, "now padded"
    with pytest.raises(InvalidTag):
        crypto.decrypt(
            crypto.legacy_answer_key(CODENAME, bytes(profile.key_salt)),
            bytes(answer.encrypted_text),
            f"{profile.pk}:{answer.block_id}".encode(),
            padded=False,
        )
    # and the next sign-in finds it in one step
    assert services.profile_resume(codename_text=CODENAME, browser_key=None)[0].pk == profile.pk


@pytest.mark.django_db
def test_an_old_scheme_session_still_catches_the_codename_in_an_answer(program: Course) -> None:
    _profile, old_token = _legacy_profile(CODENAME, program, WORDS)
    signed_in = services.session_resolve(token=old_token)
    assert signed_in is not None
    assert signed_in.codename_check is None

    with pytest.raises(services.AnswersInvalid):
        services.step_answers_save(
            signed_in=signed_in,
            exercises=[_Exercise(program.blocks["reasons"].pk)],
            submitted={"reasons": [f"my words: {CODENAME}"]},
        )


class _Exercise:
    def __init__(self, block_id: int) -> None:
        self.id, self.slug, self.kind, self.option_values = block_id, "reasons", "free_text", ()


@pytest.mark.django_db
def test_a_wrong_codename_costs_one_slow_step_once_no_profile_is_on_the_old_scheme(
    program: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy_runs: list[str] = []
    real = crypto.legacy_digest
    monkeypatch.setattr(crypto, "legacy_digest", lambda normalised: legacy_runs.append(normalised) or real(normalised))
    wrong = "abacus abacus abacus abacus abacus abacus abacus"

    with pytest.raises(services.SignInRefused):
        services.profile_resume(codename_text=wrong, browser_key=None)
    assert legacy_runs == []

    services._legacy_gone = False
    _legacy_profile(CODENAME, program, WORDS)
    legacy_runs.clear()
    with pytest.raises(services.SignInRefused):
        services.profile_resume(codename_text=wrong, browser_key=None)
    assert legacy_runs == [wrong], "while old profiles remain, a miss also tries the old digest"
