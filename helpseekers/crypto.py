"""The help-seeker's secrets: codename digest, answer key, answer encryption, session tokens.

Key scheme 2 (every profile made or signed in since it came):

- **One slow, peppered step**: Argon2id(normalised codename, salt = a digest of
  ``CODENAME_PEPPER``), 64 bytes. The first half is the **lookup digest**, stored to find
  the profile; the second half never leaves memory and is the **key material**.
- **Answer key**: HKDF-SHA256(key material, per-profile salt). So testing a guessed codename
  against anything in the database costs an Argon2id run *and* needs the pepper, which is
  not in the database: a dump alone is useless.
- **Codename check**: HKDF-SHA256(normalised codename, per-profile salt), kept only inside
  the session token, so an answer that contains the codename can be caught without the
  server knowing the codename.
- **Answers**: padded to a fixed size bucket (256, 1,024, 4,096 or 16,384 bytes, then
  multiples of 16,384) and encrypted with AES-256-GCM under a random nonce; the profile and
  exercise ids are the associated data, so a ciphertext cannot be moved to another row,
  and its length says only which bucket the answer fits.
- **Session token**: ``<id>.<wrapped secrets>``. The server stores SHA-256(id) only; the
  answer key and codename check are wrapped with AES-GCM under a key derived from
  ``SECRET_KEY``.

Key scheme 1 (profiles from before, until their next sign-in moves them): lookup digest
Argon2id(codename, pepper salt) of 32 bytes; answer key HKDF(codename, salt), which a dump
let anyone test at HKDF speed; answers unpadded. Only what moving a profile needs of it
is kept here (``legacy_*``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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


class FairSlots:
    """At most ``size`` holders at once; those waiting go ahead in the order they came, each
    for at most ``timeout`` seconds."""

    def __init__(self, size: int) -> None:
        self._condition = threading.Condition()
        self._free = size
        self._queue: deque[object] = deque()

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        ticket = object()
        deadline = time.monotonic() + timeout
        with self._condition:
            self._queue.append(ticket)
            while self._queue[0] is not ticket or self._free == 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._queue.remove(ticket)
                    self._condition.notify_all()
                    raise HashingBusy
                self._condition.wait(remaining)
            self._queue.popleft()
            self._free -= 1
            self._condition.notify_all()
        try:
            yield
        finally:
            with self._condition:
                self._free += 1
                self._condition.notify_all()


_hash_slots: FairSlots | None = None
_hash_slots_lock = threading.Lock()


def _slots() -> FairSlots:
    global _hash_slots
    with _hash_slots_lock:
        if _hash_slots is None:
            _hash_slots = FairSlots(settings.CODENAME_HASH_CONCURRENCY)
        return _hash_slots


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Cap concurrent Argon2 computations per process, so hashing cannot exhaust memory;
    a request waits its turn (in order) up to ``CODENAME_HASH_WAIT_SECONDS``."""
    with _slots().hold(settings.CODENAME_HASH_WAIT_SECONDS):
        yield


SECRETS_BYTES = 64
SCHEME_LEGACY, SCHEME_CURRENT = 1, 2
PAD_BUCKETS = (256, 1024, 4096, 16384)


@dataclass(frozen=True)
class CodenameSecrets:
    """What the slow step gives: ``lookup`` is stored, ``key_material`` never is."""

    lookup: bytes = field(repr=False)
    key_material: bytes = field(repr=False)


def _pepper_salt() -> bytes:
    return hashlib.sha256(b"codename-digest\x00" + settings.CODENAME_PEPPER.encode()).digest()[:SALT_BYTES]


def _argon2(normalised_codename: str, length: int) -> bytes:
    with hashing_slot():
        return hash_secret_raw(
            secret=normalised_codename.encode(),
            salt=_pepper_salt(),
            time_cost=settings.CODENAME_ARGON2_TIME_COST,
            memory_cost=settings.CODENAME_ARGON2_MEMORY_KIB,
            parallelism=1,
            hash_len=length,
            type=Type.ID,
        )


def codename_secrets(normalised_codename: str) -> CodenameSecrets:
    """The lookup digest and the key material of a normalised codename (one Argon2id run)."""
    output = _argon2(normalised_codename, SECRETS_BYTES)
    return CodenameSecrets(lookup=output[:KEY_BYTES], key_material=output[KEY_BYTES:])


def legacy_digest(normalised_codename: str) -> bytes:
    """The scheme-1 lookup digest (32 bytes of Argon2id), to find a profile not yet moved."""
    return _argon2(normalised_codename, KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def _hkdf(material: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(material)


def answer_key(key_material: bytes, salt: bytes) -> bytes:
    """The key that encrypts this help-seeker's free-text answers."""
    return _hkdf(key_material, salt, b"redirection answers v2")


def legacy_answer_key(normalised_codename: str, salt: bytes) -> bytes:
    """The scheme-1 answer key, to re-encrypt a profile's answers when it moves."""
    return _hkdf(normalised_codename.encode(), salt, b"redirection answers v1")


def codename_check(normalised_codename: str, salt: bytes) -> bytes:
    """A value, kept only in the session token, that a text containing the codename matches."""
    return _hkdf(normalised_codename.encode(), salt, b"redirection codename check v2")


def pad(data: bytes) -> bytes:
    """``data`` with 0x80 then zeros up to the smallest bucket that holds it (ISO/IEC 7816-4)."""
    size = next((bucket for bucket in PAD_BUCKETS if len(data) < bucket), None)
    if size is None:
        size = (len(data) // PAD_BUCKETS[-1] + 1) * PAD_BUCKETS[-1]
    return data + b"\x80" + b"\x00" * (size - len(data) - 1)


def unpad(padded: bytes) -> bytes:
    data = padded.rstrip(b"\x00")
    if not data.endswith(b"\x80"):
        raise ValueError("not padded")
    return data[:-1]


def encrypt(key: bytes, plaintext: str, associated: bytes, *, padded: bool = True) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    data = plaintext.encode()
    return nonce + AESGCM(key).encrypt(nonce, pad(data) if padded else data, associated)


def decrypt(key: bytes, ciphertext: bytes, associated: bytes, *, padded: bool = True) -> str:
    nonce, body = bytes(ciphertext[:NONCE_BYTES]), bytes(ciphertext[NONCE_BYTES:])
    data = AESGCM(key).decrypt(nonce, body, associated)
    return (unpad(data) if padded else data).decode()


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


def token_issue(key: bytes, check: bytes | None) -> tuple[str, bytes]:
    """A new session token carrying the answer key (and the codename check), and the digest
    to store for it."""
    token_id = secrets.token_bytes(TOKEN_ID_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(_wrapping_key()).encrypt(nonce, key + (check or b""), token_id)
    return f"{_b64(token_id)}.{_b64(wrapped)}", token_digest(token_id)


def token_open(token: str) -> tuple[bytes, bytes, bytes | None]:
    """(stored digest, answer key, codename check or ``None``) for a token, or ``TokenInvalid``."""
    try:
        encoded_id, encoded_key = token.split(".")
        token_id, wrapped = _unb64(encoded_id), _unb64(encoded_key)
        if len(token_id) != TOKEN_ID_BYTES:
            raise TokenInvalid
        carried = AESGCM(_wrapping_key()).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], token_id)
    except (ValueError, InvalidTag) as exc:
        raise TokenInvalid from exc
    if len(carried) not in (KEY_BYTES, 2 * KEY_BYTES):
        raise TokenInvalid
    return token_digest(token_id), carried[:KEY_BYTES], carried[KEY_BYTES:] or None
