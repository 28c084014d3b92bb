"""Shared fixtures, and the header line that says which real services the suite runs on.

Tests build their own content (``tests/factories.py``); only the sample program's own test
module loads the shipped sample.
"""

import importlib
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from tests.factories import Course, course


def _services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


def pytest_report_header(config: pytest.Config) -> list[str]:
    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL or "none (tasks run eagerly)"
    return [
        f"database backend: {database['ENGINE'].rsplit('.', 1)[-1]} ({database.get('HOST') or 'local file'})",
        f"celery broker: {broker}",
        f"real services required: {_services_required()}",
    ]


def require_service(name: str, available: bool) -> None:
    """Skip on a laptop without the service; fail in CI, where it must be there."""
    if available:
        return
    message = f"{name} is not configured for this run"
    if _services_required():
        pytest.fail(f"{message}, but REQUIRE_SERVICES=1: CI must run on the real {name}")
    pytest.skip(message)


@pytest.fixture
def postgresql() -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql")


@pytest.fixture
def redis_broker() -> str:
    require_service("Redis broker", bool(settings.CELERY_BROKER_URL))
    return settings.CELERY_BROKER_URL


# The data migrations that make the staff roles. A test that flushes the database (one with a
# live server) takes them away; every test that uses the database after that makes them again
# first (in its own transaction, or for good), whatever order the tests run in, on any worker.
ROLE_MIGRATIONS = (
    ("analytics.migrations.0002_evaluator_group", "create_group"),
    ("authoring.migrations.0004_roles", "create_roles"),
    ("authoring.migrations.0005_questionnaire_roles", "grant"),
    ("authoring.migrations.0008_review_roles", "grant"),
)
_flushed = False
FLUSHING = {"transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _roles_after_a_flush(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    global _flushed
    names = set(request.fixturenames)
    if _flushed and (request.node.get_closest_marker("django_db") or {"db", *FLUSHING} & names):
        from django.apps import apps

        with django_db_blocker.unblock():
            for module, function in ROLE_MIGRATIONS:
                getattr(importlib.import_module(module), function)(apps, None)
    yield
    marker = request.node.get_closest_marker("django_db")
    if FLUSHING & set(request.fixturenames) or (marker is not None and marker.kwargs.get("transaction")):
        _flushed = True


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rendered content is cached by program id and version; ids repeat across tests."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_budgets() -> None:
    """Every test starts with full sign-in budgets and hashing slots of its own."""
    from helpseekers import crypto, services, throttle

    throttle.limiter_reset()
    crypto._hash_slots = None
    services._legacy_gone = False


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    # Argon2's real cost is measured in bench/; tests only need it to be Argon2.
    settings.CODENAME_ARGON2_MEMORY_KIB = 64
    settings.CODENAME_ARGON2_TIME_COST = 1


@pytest.fixture
def program(db: None) -> Course:
    """The small test course (``tests.factories.course``), in English."""
    return course()


CODENAME_PATTERN = re.compile(r'<p class="codename"[^>]*>(.*?)</p>', re.S)


def codename_from(html: str) -> str:
    match = CODENAME_PATTERN.search(html)
    assert match, "no codename on the page"
    return " ".join(re.findall(r"<span>([a-z]+)</span>", match.group(1)))


@pytest.fixture
def started(client: Client, program: Course) -> tuple[Client, str]:
    """A browser that pressed Start (with the course loaded), and the codename it was shown."""
    client.get("/en/")
    response = client.post("/en/start/")
    assert response.status_code == 200
    return client, codename_from(response.content.decode())


@pytest.fixture
def api() -> Client:
    """A client whose every successful API response is checked against the OpenAPI schema."""
    from tests.api_schema import SchemaCheckedClient

    return SchemaCheckedClient()
