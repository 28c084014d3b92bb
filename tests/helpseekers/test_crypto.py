"""The cryptography: one slow, peppered step gives the lookup digest and the key material;
answers are padded and sealed to their row; tokens carry the key and the codename check;
hashing slots are taken in arrival order."""

import os
import threading
import time

import pytest
from cryptography.exceptions import InvalidTag

from helpseekers import crypto

CODENAME = "alpha beta gamma delta echo foxtrot golf"


def test_secrets_are_deterministic_keyed_by_the_pepper_and_split_in_two(settings) -> None:
    first = crypto.codename_secrets(CODENAME)

    assert first == crypto.codename_secrets(CODENAME)
    assert len(first.lookup) == len(first.key_material) == 32
    assert first.lookup != first.key_material
    settings.CODENAME_PEPPER = "another-installation"
    assert crypto.codename_secrets(CODENAME).lookup != first.lookup
    assert crypto.codename_secrets(CODENAME).key_material != first.key_material


def test_the_answer_key_needs_the_key_material_not_the_codename() -> None:
    salt = os.urandom(16)
    material = crypto.codename_secrets(CODENAME).key_material
    key = crypto.answer_key(material, salt)

    assert len(key) == 32
    assert key != crypto.answer_key(crypto.codename_secrets(CODENAME.replace("golf", "hotel")).key_material, salt)
    assert key != crypto.answer_key(material, os.urandom(16))
    # what a database dump lets anyone compute from a guess is not the key
    assert key != crypto.legacy_answer_key(CODENAME, salt)
    assert key != crypto.answer_key(CODENAME.encode(), salt)


def test_the_legacy_digest_is_the_old_scheme_and_not_the_new_lookup() -> None:
    assert len(crypto.legacy_digest(CODENAME)) == 32
    assert crypto.legacy_digest(CODENAME) != crypto.codename_secrets(CODENAME).lookup


def test_ciphertext_is_bound_to_its_row() -> None:
    key = os.urandom(32)
    sealed = crypto.encrypt(key, "my private words", b"profile-1:block-2")

    assert b"private" not in sealed
    assert crypto.decrypt(key, sealed, b"profile-1:block-2") == "my private words"
    with pytest.raises(InvalidTag):
        crypto.decrypt(key, sealed, b"profile-1:block-3")


@pytest.mark.parametrize(
    ("lengths", "size"), [((0, 1, 100, 255), 256), ((256, 1000), 1024), ((1024, 4000), 4096), ((16000,), 16384)]
)
def test_answers_of_different_lengths_in_one_bucket_seal_to_the_same_length(
    lengths: tuple[int, ...], size: int
) -> None:
    key = os.urandom(32)
    sealed = {len(crypto.encrypt(key, "x" * length, b"a")) for length in lengths}

    assert sealed == {crypto.NONCE_BYTES + size + 16}
    assert [crypto.decrypt(key, crypto.encrypt(key, "é" * length, b"a"), b"a") for length in lengths] == [
        "é" * length for length in lengths
    ]


def test_unpadded_legacy_answers_still_open() -> None:
    key = os.urandom(32)
    sealed = crypto.encrypt(key, "old words", b"a", padded=False)

    assert len(sealed) == crypto.NONCE_BYTES + len("old words") + 16
    assert crypto.decrypt(key, sealed, b"a", padded=False) == "old words"


def test_token_carries_the_key_and_check_and_only_its_digest_is_stored() -> None:
    key, check = os.urandom(32), os.urandom(32)
    token, digest = crypto.token_issue(key, check)

    assert crypto.token_open(token) == (digest, key, check)
    assert key.hex() not in token
    legacy_token, legacy_digest = crypto.token_issue(key, None)
    assert crypto.token_open(legacy_token) == (legacy_digest, key, None)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "x" * 43 + ".yyyy", "!!!.???"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(crypto.TokenInvalid):
        crypto.token_open(token)


def test_token_from_another_installation_is_refused(settings) -> None:
    token, _digest = crypto.token_issue(os.urandom(32), os.urandom(32))
    settings.SECRET_KEY = "a-different-secret-key-for-another-installation-xxxxxxxx"

    with pytest.raises(crypto.TokenInvalid):
        crypto.token_open(token)


def test_hashing_slots_cap_concurrency_and_refuse_after_the_wait(settings) -> None:
    settings.CODENAME_HASH_WAIT_SECONDS = 0.01
    with crypto.hashing_slot(), crypto.hashing_slot():
        assert settings.CODENAME_HASH_CONCURRENCY == 2
        with pytest.raises(crypto.HashingBusy), crypto.hashing_slot():
            pass
    with crypto.hashing_slot():  # free again
        pass


def test_hashing_slots_are_taken_in_arrival_order() -> None:
    slots = crypto.FairSlots(1)
    order: list[int] = []

    def waiter(number: int) -> None:
        with slots.hold(timeout=10):
            order.append(number)

    with slots.hold(timeout=1):
        threads = []
        for number in range(5):
            thread = threading.Thread(target=waiter, args=(number,))
            thread.start()
            threads.append(thread)
            deadline = time.monotonic() + 5
            while len(slots._queue) < number + 1 and time.monotonic() < deadline:  # queued before the next arrives
                time.sleep(0.001)
    for thread in threads:
        thread.join(timeout=10)

    assert order == [0, 1, 2, 3, 4]
