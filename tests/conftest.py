"""Shared fixtures, and the header line that says which real services the suite runs on."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from modules.models import Program
from modules.services import program_load_path


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


SAMPLE_BUNDLE = Path(__file__).resolve().parents[1] / "programs" / "sample"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rendered content is cached by program id and version; ids repeat across tests."""
    cache.clear()


@pytest.fixture
def sample_program(db: None) -> Program:
    """The shipped sample program, loaded from its bundle."""
    program, _changed = program_load_path(path=SAMPLE_BUNDLE)
    return program
