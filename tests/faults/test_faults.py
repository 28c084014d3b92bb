"""Fault injection: what help-seekers and the evaluation jobs see when a server fails.

On a private copy of the production stack (``tests.faults.stack``: its own PostgreSQL
cluster, Redis, gunicorn and Celery worker on loopback), each test breaks one part while
simulated help-seekers work, and checks the promise of ``SECURITY.md``:

- Redis stopped: help-seekers see no error and lose nothing (starting, resuming, reading and
  saving do not need it); the worker, never restarted, takes the jobs sent after it returns.
- A Celery worker killed in the middle of a release (its pool process, then the whole
  worker): no partial release is ever visible, and the next run completes it, with the same
  figures as a run that was never interrupted.
- PostgreSQL crashed and restarted under traffic: every request meanwhile gets a 503 page in
  the reader's language or a JSON 503, none a 500 or a broken connection; gunicorn serves
  again when PostgreSQL is back, with the same processes; every acknowledged write is kept.

First, while nothing is broken, a bounded load run (``bench/load.py``): simulated
help-seekers go the whole journey, and every write the server acknowledged is found in the
database afterwards.

Every wait is bounded; nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg
import pytest
from django.utils import timezone

from analytics.periods import months_before
from tests.conftest import require_service
from tests.faults.stack import (
    REFERENCE,
    ROOT,
    HelpSeeker,
    Reply,
    Stack,
    manage,
    private_stack,
    sample_steps,
    tools_missing,
    wait_until,
)

JOB_SECONDS = 60
OUTAGE_SECONDS = 3
RECOVERY_SECONDS = 30
FINNISH_TITLE = "Palvelu ei ole hetkeen käytettävissä"
MONTHS = months_before(timezone.now().date(), 3)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    missing = tools_missing()
    require_service(f"fault injection ({missing} is missing)" if missing else "fault injection", missing is None)
    with private_stack(synthetic=(MONTHS[0].start, MONTHS[-1].end)) as started:
        yield started


def completed_steps(stack: Stack, seeker: HelpSeeker) -> set[str]:
    """``program/module/step`` of every step the database holds as completed by ``seeker``."""
    rows = stack.sql(
        """SELECT p.slug, m.slug, s.slug FROM helpseekers_stepprogress sp
           JOIN helpseekers_helpseekersession se ON se.profile_id = sp.profile_id
           JOIN modules_step s ON s.id = sp.step_id JOIN modules_module m ON m.id = s.module_id
           JOIN modules_program p ON p.id = m.program_id
           WHERE se.token_digest = %s AND sp.completed_on IS NOT NULL""",
        seeker.token_digest,
    )
    return {"/".join(row) for row in rows}


def released(stack: Stack, period: str, database: str | None = None) -> list[tuple[object, ...]]:
    """A release's figures, without ids or times: the same data give the same rows."""
    return stack.postgres.sql(
        database or stack.database,
        """SELECT f.measure, f.language, f.module, f.step, f.instrument, f.item, f.occasion, f.category,
                  f.count, f.n, f.percent, f.suppressed, f.protected
           FROM analytics_releasedfigure f JOIN analytics_release r ON r.id = f.release_id
           WHERE r.period = %s ORDER BY 1, 2, 3, 4, 5, 6, 7, 8""",
        period,
    )


def release_in_reference(stack: Stack) -> None:
    """Make, without faults and in the same order, the releases the faulty runs made (an
    audit looks at the releases before it, so the order matters)."""
    made = [row[0] for row in stack.sql("SELECT period FROM analytics_release ORDER BY id")]
    there = {row[0] for row in stack.postgres.sql(REFERENCE, "SELECT period FROM analytics_release")}
    missing = [period for period in made if period not in there]
    script = f"from analytics import services\nfor period in {missing!r}:\n    services.release(period=period)\n"
    manage({**stack.env, "DATABASE_URL": stack.postgres.url(REFERENCE)}, "shell", stdin=script)


def assert_ok(replies: list[Reply]) -> None:
    failed = [(reply.status, reply.body[:200]) for reply in replies if not 200 <= reply.status < 300]
    assert not failed, failed


# --- Redis ----------------------------------------------------------------------------------


LOAD_USERS, LOAD_SECONDS_AT_MOST = 10, 90
EXERCISE_KINDS = ["free_text", "multiple_choice", "plan_item", "scale", "single_choice"]
JOURNEY = {
    "GET landing",
    "GET start page",
    "POST start",
    "POST questionnaire: baseline",
    "GET step",
    "POST step: save answers and continue",
    "POST step: done, continue",
    "POST questionnaire: check-in",
    "GET plan",
    "POST sign out",
    "POST resume",
}


def test_under_load_every_acknowledged_write_is_in_the_database(stack: Stack) -> None:
    """Load with nothing lost, bounded: ``bench/load.py`` (``make load`` runs 200 help-seekers
    for 60 s; figures in ``bench/README.md``) with ten simulated help-seekers against this
    stack's gunicorn, first, while nothing is broken, each going the first two modules (every
    part of the journey) and stopping, however long the busy machine takes (at most 90 s).
    The run fails itself on a failed request or an acknowledged write it cannot find; here
    every count is held to what the journey must have reached. No timing is asserted."""
    name = f"load-faults-{os.getpid()}"
    result = subprocess.run(
        [sys.executable, "-m", "bench.load", "--url", stack.web.base, "--users", str(LOAD_USERS), "--modules", "2",
         "--seconds", str(LOAD_SECONDS_AT_MOST), "--think", "0.05", "--spawn-rate", str(LOAD_USERS), "--report", name],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=LOAD_SECONDS_AT_MOST + 60,
    )  # fmt: skip
    report_file = ROOT / "bench" / "results" / f"{name}.json"
    assert report_file.exists(), result.stderr[-4000:]
    report = json.loads(report_file.read_text())
    report_file.unlink()
    print(
        f"\nload: {report['users']} help-seekers, {report['seconds']} s, {report['requests']} requests, "
        f"{report['failures']} failed; acknowledged {report['acknowledged']}, found {report['found_in_database']}"
    )

    # then nothing failed and nothing acknowledged is missing, per help-seeker
    assert result.returncode == 0, result.stderr[-4000:]
    assert report["failures"] == 0, report["errors"]
    assert report["errors"] == []
    assert report["lost"] == []
    assert report["found_in_database"] == report["acknowledged"]

    # and every part of the journey was reached, with writes of every kind to look for
    reached = report["reached"]
    assert reached["help_seekers_started"] == reached["journeys_done"] == LOAD_USERS
    assert reached["exercise_kinds_answered"] == EXERCISE_KINDS
    assert reached["baseline_answered"] > 0
    assert reached["check_ins_answered"] > 0
    assert reached["plan_read"] > 0
    assert reached["signed_out_and_resumed"] > 0
    assert all(report["acknowledged"][kind] > 0 for kind in ("steps", "answers", "responses", "item_answers"))

    # and every request type of the journey has its count and percentiles
    assert set(report["by_type"]) >= JOURNEY
    for figures in report["by_type"].values():
        assert figures["failures"] == 0
        assert {"requests", "per_second", "p50_ms", "p95_ms", "p99_ms"} <= set(figures)


def test_redis_stopped_while_help_seekers_work(stack: Stack) -> None:
    steps = sample_steps(stack.web.base)
    seekers = [HelpSeeker(stack.web.base) for _ in range(3)]
    assert_ok([seeker.start() for seeker in seekers])
    assert_ok([seeker.complete(step) for seeker in seekers for step in steps[:3]])

    # when Redis is gone (a crash: its queue is lost too)
    stack.redis.kill()

    # then starting, resuming (its budgets fall back to this process's), reading and saving
    # all work, with no error
    newcomer = HelpSeeker(stack.web.base)
    replies = [newcomer.start()]
    for seeker in seekers:
        replies.append(seeker.api("POST", "helpseekers/sign-out/"))
        replies.append(seeker.resume())
        replies += [seeker.complete(step) for step in steps[3:7]]
        replies.append(seeker.page("/fi/me/"))
        replies.append(seeker.api("GET", "helpseekers/me/progress/"))
    assert_ok(replies)
    assert FINNISH_TITLE.encode() not in b"".join(reply.body for reply in replies)

    # and nothing acknowledged is lost
    for seeker in [*seekers, newcomer]:
        assert completed_steps(stack, seeker) == seeker.acknowledged_steps
    assert all(len(seeker.acknowledged_steps) == 7 for seeker in seekers)

    # when Redis returns, the worker that lived through the outage takes the next job beat
    # sends (the hourly release of the last month, which the outage kept from being sent)
    stack.redis.start()
    last_month = MONTHS[-1].label
    assert not stack.sql("SELECT 1 FROM analytics_release WHERE period = %s", last_month)
    stack.send_task("analytics.tasks.release_last_period", "month")
    wait_until(
        "the release after Redis returned",
        lambda: bool(stack.sql("SELECT 1 FROM analytics_release WHERE period = %s", last_month)),
        seconds=JOB_SECONDS,
        every=0.3,
    )
    assert released(stack, last_month)


# --- A worker killed in the middle of a release ----------------------------------------------


@dataclass
class HeldRelease:
    """The release's last write (its figures, in the transaction that stores the release)
    held up by a lock, so the worker can be killed at exactly that point."""

    stack: Stack
    connection: psycopg.Connection[tuple[object, ...]]

    def waiting(self) -> bool:
        rows = self.stack.sql(
            """SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
               AND query LIKE 'INSERT INTO "analytics_releasedfigure"%%'"""
        )
        return rows[0][0] == 1

    def let_go(self) -> None:
        self.connection.rollback()
        self.connection.close()


def hold_release(stack: Stack) -> HeldRelease:
    connection = psycopg.connect(stack.postgres.url(stack.database), connect_timeout=5)
    connection.execute("LOCK TABLE analytics_releasedfigure IN EXCLUSIVE MODE")
    return HeldRelease(stack, connection)


def nothing_released(stack: Stack, period: str) -> bool:
    return not stack.sql(
        """SELECT 1 FROM analytics_release WHERE period = %s UNION ALL
           SELECT 1 FROM analytics_releasedfigure f JOIN analytics_release r ON r.id = f.release_id
           WHERE r.period = %s""",
        period,
        period,
    )


@pytest.mark.parametrize("killed", ["pool process", "whole worker"])
def test_a_worker_killed_in_the_middle_of_a_release(stack: Stack, killed: str) -> None:
    period = MONTHS[0 if killed == "pool process" else 1].label
    held = hold_release(stack)
    try:
        # given a release that has computed its cells and is storing its figures
        stack.send_task("analytics.tasks.release_period_task", period)
        wait_until("the release's last write", held.waiting, seconds=JOB_SECONDS, every=0.1)
        done = stack.sql("SELECT count(*) FROM analytics_fillstate WHERE period = %s AND state = 'done'", period)
        assert done[0][0] > 0

        # when the process running it is killed
        if killed == "pool process":
            (pool_process,) = stack.worker.pool_processes()
            os.kill(pool_process, signal.SIGKILL)
        else:
            stack.worker.kill()
        ((killed_at,),) = stack.sql("SELECT now()")

        # then no part of the release is visible
        assert nothing_released(stack, period)
    finally:
        held.let_go()

    if killed == "whole worker":
        # with no worker left, the killed run's open transaction is rolled back, not stored
        time.sleep(1)
        assert nothing_released(stack, period)
        # when the next run comes (beat's next hourly send, to a restarted worker)
        stack.worker.start()
        stack.send_task("analytics.tasks.release_period_task", period)
    # (a pool process lost with its task unacknowledged: the worker runs it again at once)
    wait_until(
        "the next run's release",
        lambda: not nothing_released(stack, period),
        seconds=JOB_SECONDS,
        every=0.3,
    )

    # then it completes it: one release, its figures the same as a run never interrupted,
    # and none of the interrupted run's working rows left
    ((count, computed_at),) = stack.sql(
        "SELECT count(*), max(computed_at) FROM analytics_release WHERE period = %s", period
    )
    assert count == 1
    assert computed_at > killed_at  # stored by a run after the kill
    assert not stack.sql("SELECT 1 FROM analytics_rawcell WHERE period = %s", period)
    assert not stack.sql("SELECT 1 FROM analytics_fillstate WHERE period = %s", period)
    release_in_reference(stack)
    figures = released(stack, period)
    assert figures
    assert figures == released(stack, period, REFERENCE)


# --- PostgreSQL restarted under traffic ------------------------------------------------------


@dataclass
class Sent:
    kind: str
    at: float
    reply: Reply


def traffic(seeker: HelpSeeker, steps: list[str], stop: threading.Event, log: list[Sent]) -> None:
    """A help-seeker's requests in turn (a page, an API read, a write) until ``stop``."""
    kinds: list[tuple[str, Callable[[], Reply]]] = [
        ("page", lambda: seeker.page("/fi/me/")),
        ("api", lambda: seeker.api("GET", "helpseekers/me/progress/")),
    ]
    index = 0
    while not stop.is_set():
        for kind, send in kinds:
            log.append(Sent(kind, time.monotonic(), send()))
        log.append(Sent("write", time.monotonic(), seeker.complete(steps[index % len(steps)])))
        index += 1
        time.sleep(0.05)


def test_postgresql_restarted_under_traffic(stack: Stack) -> None:
    steps = sample_steps(stack.web.base)
    seekers = [HelpSeeker(stack.web.base) for _ in range(3)]
    assert_ok([seeker.start() for seeker in seekers])
    processes = stack.web.processes()
    stop = threading.Event()
    logs: list[list[Sent]] = [[] for _ in seekers]
    threads = [
        threading.Thread(target=traffic, args=(seeker, steps, stop, log), daemon=True)
        for seeker, log in zip(seekers, logs, strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        stack.postgres.crash()
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        stack.postgres.start()
        up = time.monotonic()

        def recovered() -> bool:
            # every help-seeker has had a page, a read and a write answered since it returned
            return all(
                {s.kind for s in log if s.at > up and s.reply.status == 200} >= {"page", "api", "write"} for log in logs
            )

        wait_until("service after PostgreSQL returned", recovered, seconds=RECOVERY_SECONDS, every=0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)

    sent = [s for log in logs for s in log]
    # during the outage: a clean 503, never a 500 or a broken connection
    assert {s.reply.status for s in sent} <= {200, 503}, sorted({(s.kind, s.reply.status) for s in sent})
    unavailable = [s for s in sent if s.reply.status == 503]
    assert {s.kind for s in unavailable} == {"page", "api", "write"}  # the outage was really met
    assert all(down - 1 <= s.at <= up + RECOVERY_SECONDS for s in unavailable)
    for s in unavailable:
        assert s.reply.headers.get("Retry-After") == "30"
        if s.kind == "page":
            assert FINNISH_TITLE in s.reply.body.decode()
            assert 'lang="fi"' in s.reply.body.decode()
        else:
            assert s.reply.json() == {"detail": f"{FINNISH_TITLE}. Yritä uudelleen minuutin päästä."}
    # recovered without a restart: the same gunicorn processes
    assert stack.web.processes() == processes
    # every write acknowledged before, during or after the outage is kept
    for seeker in seekers:
        assert seeker.acknowledged_steps
        assert seeker.acknowledged_steps <= completed_steps(stack, seeker)
    print(
        f"\nPostgreSQL outage: {len(sent)} requests, {len(unavailable)} answered 503, "
        f"{sum(s.reply.status == 200 for s in sent)} answered 200, none failed otherwise"
    )
