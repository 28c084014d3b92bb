"""Fixtures for help-seeker tests: fast hashing, a signed-in browser."""

import re

import pytest
from django.test import Client

from modules.models import Program


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    # Argon2's cost is measured in bench/; tests only need it to be Argon2.
    settings.CODENAME_ARGON2_MEMORY_KIB = 64
    settings.CODENAME_ARGON2_TIME_COST = 1


CODENAME_PATTERN = re.compile(r'<p class="codename"[^>]*>(.*?)</p>', re.S)


def codename_from(html: str) -> str:
    match = CODENAME_PATTERN.search(html)
    assert match, "no codename on the page"
    return " ".join(re.findall(r"<span>([a-z]+)</span>", match.group(1)))


@pytest.fixture
def started(client: Client, sample_program: Program) -> tuple[Client, str]:
    """A browser that pressed Start, and the codename it was shown."""
    client.get("/en/")
    response = client.post("/en/start/")
    assert response.status_code == 200
    return client, codename_from(response.content.decode())
