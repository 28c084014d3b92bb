"""The cryptography: digests are keyed, answers are sealed to their row, tokens carry the key."""

import os

import pytest
from cryptography.exceptions import InvalidTag

from helpseekers import crypto


def test_digest_is_deterministic_and_keyed_by_the_pepper(settings) -> None:
    settings.CODENAME_ARGON2_MEMORY_KIB = 64
    settings.CODENAME_ARGON2_TIME_COST = 1
    first = crypto.codename_digest("alpha beta gamma delta echo foxtrot golf")

    assert first == crypto.codename_digest("alpha beta gamma delta echo foxtrot golf")
    settings.CODENAME_PEPPER = "another-installation"
    assert crypto.codename_digest("alpha beta gamma delta echo foxtrot golf") != first


def test_answer_key_depends_on_codename_and_salt() -> None:
    salt = os.urandom(16)
    key = crypto.answer_key("alpha beta gamma delta echo foxtrot golf", salt)

    assert len(key) == 32
    assert key != crypto.answer_key("alpha beta gamma delta echo foxtrot hotel", salt)
    assert key != crypto.answer_key("alpha beta gamma delta echo foxtrot golf", os.urandom(16))


def test_ciphertext_is_bound_to_its_row() -> None:
    key = os.urandom(32)
    sealed = crypto.encrypt(key, "my private words", b"profile-1:block-2")

    assert b"private" not in sealed
    assert crypto.decrypt(key, sealed, b"profile-1:block-2") == "my private words"
    with pytest.raises(InvalidTag):
        crypto.decrypt(key, sealed, b"profile-1:block-3")


def test_token_carries_the_key_and_only_its_digest_is_stored() -> None:
    key = os.urandom(32)
    token, digest = crypto.token_issue(key)

    opened_digest, opened_key = crypto.token_open(token)
    assert (opened_digest, opened_key) == (digest, key)
    assert key.hex() not in token


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "x" * 43 + ".yyyy", "!!!.???"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(crypto.TokenInvalid):
        crypto.token_open(token)


def test_token_from_another_installation_is_refused(settings) -> None:
    token, _digest = crypto.token_issue(os.urandom(32))
    settings.SECRET_KEY = "a-different-secret-key-for-another-installation-xxxxxxxx"

    with pytest.raises(crypto.TokenInvalid):
        crypto.token_open(token)


def test_hashing_slots_cap_concurrency(settings) -> None:
    settings.CODENAME_HASH_WAIT_SECONDS = 0.01
    slots = crypto._slots()
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        with pytest.raises(crypto.HashingBusy), crypto.hashing_slot():
            pass
    finally:
        for _ in range(taken):
            slots.release()
    assert taken == settings.CODENAME_HASH_CONCURRENCY
