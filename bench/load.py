"""Load with nothing lost: simulated help-seekers against gunicorn and PostgreSQL on loopback.

Usage: ``make load`` (200 help-seekers for 60 s), or e.g.
``.venv/bin/python -m bench.load --users 20 --seconds 10``. The test suite makes a bounded
run against the fault tests' private stack (``--url``, ``tests/faults/test_faults.py``).

A fresh database (``BENCH_DATABASE_URL``, or ``--database``) with the sample program, the
web service as deployed (gunicorn, ``deploy/gunicorn.conf.py``, the production settings), and
locust in this process running ``bench/locustfile.py``: each simulated help-seeker goes the
whole journey through the no-JavaScript pages (start, baseline, steps with every exercise
kind, check-ins, plan, sign out, resume). When the time is up the users stop, the server
stops, and every write the server acknowledged to each help-seeker is looked for in the
database, that help-seeker's profile found by its codename as a resume would: the steps
completed, the exercise answers and the questionnaire responses (and their items) are
counted per help-seeker, and each acknowledged one must be there by name.

The report (printed, and kept in ``bench/results/``) gives throughput and the 50th, 95th and
99th percentile response times per request type. It fails (exit status 1) on any failed
request, any acknowledged write not found, or a journey part nobody reached. Only
127.0.0.1 is contacted; the run is bounded by ``--seconds``.
"""
# ruff: noqa: E402 (gevent must patch the standard library before anything imports it)

from gevent import monkey

monkey.patch_all()

import argparse
import os
import resource
import sys
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import between
from locust.env import Environment

from bench import locustfile
from bench.common import HOST, bench_env, free_port, fresh_database, gunicorn, save_report

PERCENTILES = (0.5, 0.95, 0.99)
STOP_SECONDS = 10


@dataclass
class Stored:
    """One help-seeker's rows, by name (``Record``'s fields, as the database has them)."""

    steps: set[str]
    answers: set[str]
    responses: set[str]
    item_answers: int


@dataclass
class Run:
    environment: Environment
    seconds: float  # from the first help-seeker's start to the last one's stop
    client_cpu_seconds: float  # what the simulated help-seekers used of the machine


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60, help="how long (with --modules: at most)")
    parser.add_argument(
        "--modules", type=int, default=None, help="each help-seeker goes this many modules, then stops (bounded runs)"
    )
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="new help-seekers per second at the start")
    parser.add_argument("--database", default="", help="a database name on BENCH_DATABASE_URL's server")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a help-seeker's requests")
    parser.add_argument("--port", type=int, default=0, help="the server's port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--url", default="", help="use a server already running on loopback (its settings from the environment)"
    )
    parser.add_argument("--report", default="load")
    return parser.parse_args()


def service_env(arguments: argparse.Namespace) -> dict[str, str]:
    extra = {
        # The sign-in budgets are sized to refuse a flood (30 starts at once, then 2 a
        # second): this run's first seconds, every simulated help-seeker starting, are one
        # by design. Raised to let them all in; the flood tests keep the defaults.
        "START_GLOBAL_BURST": str(arguments.users),
        "START_GLOBAL_PER_SECOND": str(max(arguments.spawn_rate, 2.0)),
        "RESUME_GLOBAL_BURST": str(arguments.users),
        "RESUME_GLOBAL_PER_SECOND": str(max(arguments.spawn_rate, 5.0)),
    }
    env = bench_env(**extra)
    if arguments.database:
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + arguments.database
    return env


def run_users(base: str, arguments: argparse.Namespace) -> tuple[Environment, float]:
    """Run the simulated help-seekers for ``--seconds`` (with ``--modules``, until each has
    gone that far, for at most ``--seconds``), then stop them; the seconds it took."""
    think = arguments.think
    locustfile.HelpSeeker.wait_time = between(think / 2, think * 1.5)
    locustfile.MODULES_LIMIT = arguments.modules
    environment = Environment(user_classes=[locustfile.HelpSeeker], host=base)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(arguments.users, spawn_rate=arguments.spawn_rate)
    if arguments.modules is None:
        gevent.sleep(arguments.seconds)
    else:
        if runner.spawning_greenlet is not None:
            runner.spawning_greenlet.join(timeout=arguments.seconds)
        runner.user_greenlets.join(timeout=max(0.0, arguments.seconds - (time.monotonic() - started)))
    # Each help-seeker stops before its next request: the ones in flight are answered and
    # counted, so an acknowledged write is never one the run cut off.
    locustfile.STOPPING = True
    runner.user_greenlets.join(timeout=STOP_SECONDS)
    elapsed = time.monotonic() - started
    runner.quit()
    return environment, elapsed


def stored_rows(env: dict[str, str]) -> dict[int, Stored]:
    """Each record's rows in the database (by its index in ``RECORDS``), found by codename."""
    os.environ.update(env)
    import django

    django.setup()
    from helpseekers import crypto
    from helpseekers.codenames import codename_normalise
    from helpseekers.models import ExerciseAnswer, HelpSeekerProfile, StepProgress
    from questionnaires.models import ItemResponse, QuestionnaireResponse

    digests = {
        index: crypto.codename_secrets(codename_normalise(record.codename)).lookup
        for index, record in enumerate(locustfile.RECORDS)
    }
    profiles = dict(
        HelpSeekerProfile.objects.filter(codename_digest__in=digests.values()).values_list("codename_digest", "id")
    )
    found = {index: profiles.get(bytes(digest)) for index, digest in digests.items()}
    rows: dict[Any, Stored] = {profile: Stored(set(), set(), set(), 0) for profile in found.values() if profile}
    for profile, module, step in StepProgress.objects.filter(profile__in=rows, completed_on__isnull=False).values_list(
        "profile_id", "step__module__slug", "step__slug"
    ):
        rows[profile].steps.add(f"{module}/{step}")
    for profile, module, step, block in ExerciseAnswer.objects.filter(profile__in=rows).values_list(
        "profile_id", "block__step__module__slug", "block__step__slug", "block__slug"
    ):
        rows[profile].answers.add(f"{module}/{step}/{block}")
    for profile, occasion in QuestionnaireResponse.objects.filter(profile__in=rows, skipped=False).values_list(
        "profile_id", "occasion__slug"
    ):
        rows[profile].responses.add(occasion)
    for (profile,) in ItemResponse.objects.filter(response__profile__in=rows).values_list("response__profile_id"):
        rows[profile].item_answers += 1
    empty = Stored(set(), set(), set(), 0)
    return {index: rows[profile] if profile else empty for index, profile in found.items()}


def percentiles(entry: Any) -> dict[str, float]:
    return {f"p{round(share * 100)}_ms": entry.get_response_time_percentile(share) for share in PERCENTILES}


def report(run: Run, arguments: argparse.Namespace, stored: dict[int, Stored]) -> dict[str, Any]:
    records = locustfile.RECORDS
    stats = run.environment.stats
    by_type = {
        f"{entry.method} {entry.name}": {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "per_second": round(entry.num_requests / run.seconds, 1),
            **percentiles(entry),
            "max_ms": round(entry.max_response_time or 0),
        }
        for entry in sorted(stats.entries.values(), key=lambda entry: -entry.num_requests)
    }
    acknowledged = {"steps": 0, "answers": 0, "responses": 0, "item_answers": 0}
    found = dict.fromkeys(acknowledged, 0)
    lost: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        rows = stored[index]
        for kind in ("steps", "answers", "responses"):
            mine, theirs = getattr(record, kind), getattr(rows, kind)
            acknowledged[kind] += len(mine)
            found[kind] += len(mine & theirs)
            if mine - theirs:
                lost.append({"help_seeker": index, kind: sorted(mine - theirs)})
        acknowledged["item_answers"] += record.item_answers
        found["item_answers"] += min(record.item_answers, rows.item_answers)
        if rows.item_answers < record.item_answers:
            lost.append({"help_seeker": index, "item_answers": record.item_answers - rows.item_answers})
    reached = {
        "help_seekers_started": len(records),
        "journeys_done": sum(record.journey_done for record in records),
        "baseline_answered": sum("start" in record.responses for record in records),
        "check_ins_answered": sum(len(record.responses - {"start"}) for record in records),
        "exercise_kinds_answered": sorted(set().union(*(record.kinds for record in records))),
        "plan_read": sum(record.plan_read for record in records),
        "signed_out_and_resumed": sum(record.signed_out_and_resumed for record in records),
        "steps_completed": sum(len(record.steps) for record in records),
    }
    total = stats.total
    return {
        "users": arguments.users,
        "seconds": round(run.seconds, 1),
        "modules_per_help_seeker": arguments.modules,
        "spawn_rate": arguments.spawn_rate,
        "think_seconds": arguments.think,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "errors": [
            {"request": error.name, "error": str(error.error), "times": error.occurrences}
            for error in stats.errors.values()
        ],
        "requests_per_second": round(total.num_requests / run.seconds, 1),
        # The simulated help-seekers share the machine with the server: their own CPU time.
        "client_cpu_seconds": round(run.client_cpu_seconds, 1),
        **percentiles(total),
        "reached": reached,
        "acknowledged": acknowledged,
        "found_in_database": found,
        "lost": lost,
        "by_type": by_type,
    }


def problems(result: dict[str, Any]) -> list[str]:
    found = []
    if result["failures"] or result["errors"]:
        found.append(f"{result['failures']} requests failed")
    if result["lost"]:
        found.append(f"{len(result['lost'])} help-seekers miss acknowledged writes")
    reached = result["reached"]
    if result["modules_per_help_seeker"] and reached["journeys_done"] < reached["help_seekers_started"]:
        found.append("not every help-seeker went its modules within the time")
    if set(reached["exercise_kinds_answered"]) != locustfile.EXERCISE_KINDS:
        found.append("not every exercise kind was answered")
    for part in ("baseline_answered", "check_ins_answered", "plan_read", "signed_out_and_resumed"):
        if not reached[part]:
            found.append(f"no help-seeker reached {part.replace('_', ' ')}")
    return found


def measured_run(base: str, arguments: argparse.Namespace) -> Run:
    before = resource.getrusage(resource.RUSAGE_SELF)
    environment, seconds = run_users(base, arguments)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return Run(environment, seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def main() -> int:
    arguments = options()
    if arguments.url:
        # A server already running (the fault tests' private stack): its settings, database
        # and pepper come from this process's environment, to find the rows afterwards.
        if urlsplit(arguments.url).hostname not in ("127.0.0.1", "::1"):
            raise SystemExit("the load run targets 127.0.0.1 or ::1 only")
        env = dict(os.environ)
        run = measured_run(arguments.url.rstrip("/"), arguments)
    else:
        env = service_env(arguments)
        fresh_database(env)
        port = arguments.port or free_port()
        with gunicorn(env, port=port):
            run = measured_run(f"http://{HOST}:{port}", arguments)
    result = report(run, arguments, stored_rows(env))
    save_report(arguments.report, result)
    found = problems(result)
    for problem in found:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
