"""Proof that the real parts work: PostgreSQL migrations and a Celery worker on Redis.

These tests skip on a laptop without the services and fail in CI (``REQUIRE_SERVICES=1``),
where ``.ci/run`` has made sure PostgreSQL and Redis are up.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from helpseekers.models import HelpSeekerProfile
from helpseekers.tasks import profile_purge_inactive_task
from redirection.celery import app as celery_app
from tests.factories import ProfileFactory

ROOT = Path(__file__).resolve().parents[2]
WORKER_DEADLINE_SECONDS = 60


@pytest.mark.django_db
def test_suite_reports_and_uses_postgresql(postgresql: None) -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_every_migration_applies_and_reverses_on_postgresql(postgresql: None) -> None:
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

    call_command("migrate", "helpseekers", "zero", verbosity=0)
    call_command("migrate", verbosity=0)

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


@pytest.fixture
def worker_queue(redis_broker: str, postgresql: None) -> "subprocess.Popen[bytes]":
    """A real `celery worker` process on its own queue, reading the test database."""
    queue = f"test-{uuid.uuid4().hex}"
    database = settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "redirection.test_settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_broker,
    }
    log = ROOT / "var" / "test-worker.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "redirection", "worker", "--pool", "solo", "--queues", queue,
             "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "INFO",
             "--hostname", f"{queue}@localhost"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    process.queue = queue  # type: ignore[attr-defined]
    # Wait until the worker has declared its queue: Redis drops a message sent to a queue
    # nobody has bound yet (on a busy machine the worker takes seconds to start).
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while f"{queue}@localhost ready." not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the worker did not start in time"
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def sending_to_broker() -> None:
    """Send tasks to the broker instead of running them in the test process."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_real_worker_consumes_a_task_from_redis_and_writes_to_postgresql(
    worker_queue: "subprocess.Popen[bytes]", sending_to_broker: None
) -> None:
    # given an inactive profile committed to PostgreSQL, and a task sent through Redis
    long_ago = timezone.now().date() - timedelta(days=settings.RETENTION_DAYS + 30)
    stale = ProfileFactory(created_on=long_ago, last_active_on=long_ago)
    fresh = ProfileFactory()

    # when a separate worker process consumes it
    profile_purge_inactive_task.apply_async(queue=worker_queue.queue)  # type: ignore[attr-defined]

    # then the worker's write is visible in PostgreSQL
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while HelpSeekerProfile.objects.filter(id=stale.id).exists():
        assert worker_queue.poll() is None, (ROOT / "var" / "test-worker.log").read_text()
        assert time.monotonic() < deadline, "the worker did not purge the profile in time"
        time.sleep(0.5)
    assert HelpSeekerProfile.objects.filter(id=fresh.id).exists()


@pytest.mark.django_db
def test_help_seeker_tables_are_vacuumed_after_a_few_dead_rows(postgresql: None) -> None:
    tables = (
        "helpseekers_helpseekerprofile",
        "helpseekers_helpseekersession",
        "helpseekers_stepprogress",
        "helpseekers_modulecompletion",
        "helpseekers_exerciseanswer",
        "questionnaires_questionnaireresponse",
        "questionnaires_itemresponse",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [list(tables)])
        options = dict(cursor.fetchall())

    assert set(options) == set(tables)
    for table in tables:
        assert "autovacuum_vacuum_scale_factor=0" in options[table], table
        assert "autovacuum_vacuum_threshold=50" in options[table], table
