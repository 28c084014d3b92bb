"""Load with nothing lost, the bounded run: ``bench/load.py`` as ``make load`` runs it, smaller.

Ten simulated help-seekers for ten seconds, each going the whole journey through the
no-JavaScript pages (start, baseline, steps with every exercise kind, check-ins, plan, sign
out, resume) against gunicorn with the production configuration and a PostgreSQL database
of its own on the machine's server. The run itself fails on a failed request or on an
acknowledged write it cannot find; this test reads its report and holds every count to
what the journey must have reached. No timing is asserted: the figures of the full run
(200 help-seekers, 60 s) are in ``bench/README.md``. Loopback only, bounded in time.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
USERS, SECONDS = 10, 10
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


@pytest.fixture
def load_report(postgresql: None) -> dict[str, Any]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = settings.DATABASES["default"]
    server = f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT'] or 5432}"
    name = f"load-test-{worker}"
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": f"{server}/redirection_load_{worker}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.load", "--users", str(USERS), "--seconds", str(SECONDS), "--think", "0.05",
         "--report", name],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=SECONDS + 120,
    )  # fmt: skip
    report_file = ROOT / "bench" / "results" / f"{name}.json"
    assert report_file.exists(), result.stderr[-4000:]
    report: dict[str, Any] = json.loads(report_file.read_text())
    report_file.unlink()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "redirection_load_{worker}"')
    report["exit_status"], report["stderr"] = result.returncode, result.stderr[-4000:]
    return report


def test_every_acknowledged_write_is_in_the_database_after_the_load(load_report: dict[str, Any]) -> None:
    report = load_report
    print(
        f"\nload: {report['users']} help-seekers, {report['seconds']} s, {report['requests']} requests, "
        f"{report['failures']} failed; acknowledged {report['acknowledged']}, found {report['found_in_database']}"
    )

    # then nothing failed and nothing acknowledged is missing, per help-seeker
    assert report["exit_status"] == 0, report["stderr"]
    assert report["failures"] == 0, report["errors"]
    assert report["errors"] == []
    assert report["lost"] == []
    assert report["found_in_database"] == report["acknowledged"]

    # and every part of the journey was reached, with writes of every kind to look for
    reached = report["reached"]
    assert reached["help_seekers_started"] >= USERS
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
