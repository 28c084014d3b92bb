"""The help-seeker's secrets: codename digest, answer key, answer encryption, session tokens.

- **Lookup digest**: Argon2id(normalised codename, salt = a digest of ``CODENAME_PEPPER``).
  Deterministic so it finds the profile; keyed by a secret that is not in the database, and
  slow, so a stolen database cannot be searched for codenames.
- **Answer key**: HKDF-SHA256(normalised codename, per-profile salt). Independent of the
  lookup digest, never stored: it lives only inside the help-seeker's session token.
- **Answers**: AES-256-GCM with a random nonce; the profile and exercise ids are the
  associated data, so a ciphertext cannot be moved to another row.
- **Session token**: ``<id>.<wrapped key>``. The server stores SHA-256(id) only; the answer
  key is wrapped with AES-GCM under a key derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
TOKEN_ID_BYTES = 32


class HashingBusy(Exception):
    """Every hashing slot is taken: the caller should ask the help-seeker to retry."""


class TokenInvalid(Exception):
    """A session token that is malformed or was not made by this server."""


_hash_slots: threading.BoundedSemaphore | None = None
_hash_slots_lock = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    global _hash_slots
    with _hash_slots_lock:
        if _hash_slots is None:
            _hash_slots = threading.BoundedSemaphore(settings.CODENAME_HASH_CONCURRENCY)
        return _hash_slots


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Cap concurrent Argon2 computations per process, so hashing cannot exhaust memory."""
    slots = _slots()
    if not slots.acquire(timeout=settings.CODENAME_HASH_WAIT_SECONDS):
        raise HashingBusy
    try:
        yield
    finally:
        slots.release()


def codename_digest(normalised_codename: str) -> bytes:
    """The keyed, deterministic lookup digest of a normalised codename (32 bytes)."""
    pepper_salt = hashlib.sha256(b"codename-digest\x00" + settings.CODENAME_PEPPER.encode()).digest()[:SALT_BYTES]
    with hashing_slot():
        return hash_secret_raw(
            secret=normalised_codename.encode(),
            salt=pepper_salt,
            time_cost=settings.CODENAME_ARGON2_TIME_COST,
            memory_cost=settings.CODENAME_ARGON2_MEMORY_KIB,
            parallelism=1,
            hash_len=32,
            type=Type.ID,
        )


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def answer_key(normalised_codename: str, salt: bytes) -> bytes:
    """The key that encrypts this help-seeker's free-text answers."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"redirection answers v1").derive(
        normalised_codename.encode()
    )


def encrypt(key: bytes, plaintext: str, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext.encode(), associated)


def decrypt(key: bytes, ciphertext: bytes, associated: bytes) -> str:
    nonce, body = bytes(ciphertext[:NONCE_BYTES]), bytes(ciphertext[NONCE_BYTES:])
    return AESGCM(key).decrypt(nonce, body, associated).decode()


# --- Session tokens ---------------------------------------------------------------------


def _wrapping_key() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"redirection token wrap v1").derive(
        settings.SECRET_KEY.encode()
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_digest(token_id: bytes) -> bytes:
    return hashlib.sha256(token_id).digest()


def token_issue(key: bytes) -> tuple[str, bytes]:
    """A new session token carrying ``key``, and the digest to store for it."""
    token_id = secrets.token_bytes(TOKEN_ID_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(_wrapping_key()).encrypt(nonce, key, token_id)
    return f"{_b64(token_id)}.{_b64(wrapped)}", token_digest(token_id)


def token_open(token: str) -> tuple[bytes, bytes]:
    """(stored digest, answer key) for a token, or ``TokenInvalid``."""
    try:
        encoded_id, encoded_key = token.split(".")
        token_id, wrapped = _unb64(encoded_id), _unb64(encoded_key)
        if len(token_id) != TOKEN_ID_BYTES:
            raise TokenInvalid
        key = AESGCM(_wrapping_key()).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], token_id)
    except (ValueError, InvalidTag) as exc:
        raise TokenInvalid from exc
    return token_digest(token_id), key
