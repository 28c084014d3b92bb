"""Completing a step (a write) against a bare one-insert view, gunicorn + PostgreSQL, 16 clients.

Usage: ``make bench`` (or ``.venv/bin/python -m bench.step_complete``).

Sixteen signed-in help-seekers post "save and continue" on a step with a 0-10 scale,
each request with a new value, so every request writes (answer row, progress, module
check). The floor is a bare view that does one INSERT and redirects, posted with the same
cookies and CSRF token through the same server and middleware, in the same run. Target:
at least 0.5 of the floor. The report also gives the cost of one resume (Argon2id digest)
and the throttle's limits.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    CONNECTIONS,
    ROUNDS,
    SECONDS,
    WORKERS,
    bench_env,
    fresh_database,
    gunicorn,
    require_wrk,
    save_report,
    wrk,
)

STEP = "sample/urges-and-risky-situations/urges-are-waves"
SUBMIT_PATH = f"/en/me/answers/{STEP}/"
TARGET_RATIO = 0.5
CLIENTS = CONNECTIONS
RESUMES = 20

LUA = """
tokens = {%(tokens)s}
csrf = "%(csrf)s"
counter = 0
request = function()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local body = "csrfmiddlewaretoken=" .. csrf .. "&urge-strength=" .. (counter %% 11) .. "&action=complete"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "helpseeker=" .. token .. "; csrftoken=" .. csrf,
  }, body)
end
"""


def _prepare(env: dict[str, str]) -> tuple[list[str], dict[str, object]]:
    """Create the signed-in help-seekers and measure resume, in this process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from helpseekers import crypto, services, throttle

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor_insert (id bigserial PRIMARY KEY, value int, created_on date)")
    started = [services.profile_start(language="en") for _ in range(CLIENTS)]
    # Setting up drew on the sign-in budgets; measure resumes from full ones.
    throttle.limiter_reset()
    digest_ms, resume_ms = [], []
    for index in range(RESUMES):
        codename = started[index % CLIENTS].codename
        begin = time.perf_counter()
        crypto.codename_secrets(codename)
        digest_ms.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        services.profile_resume(codename_text=codename, browser_key=f"bench-{index}")
        resume_ms.append((time.perf_counter() - begin) * 1000)
    resume = {
        "argon2id": {
            "memory_kib": settings.CODENAME_ARGON2_MEMORY_KIB,
            "time_cost": settings.CODENAME_ARGON2_TIME_COST,
            "parallelism": 1,
        },
        "digest_ms_median": round(statistics.median(digest_ms), 1),
        "resume_ms_median": round(statistics.median(resume_ms), 1),
        "resumes_measured": RESUMES,
        "concurrent_digests_per_process": settings.CODENAME_HASH_CONCURRENCY,
        "peak_hashing_memory_per_process_mib": round(
            settings.CODENAME_HASH_CONCURRENCY * settings.CODENAME_ARGON2_MEMORY_KIB / 1024, 1
        ),
        "throttle": {
            "per_browser_burst": settings.RESUME_SESSION_BURST,
            "per_browser_refill_per_minute": settings.RESUME_SESSION_PER_MINUTE,
            "resume_burst": settings.RESUME_GLOBAL_BURST,
            "resume_per_second": settings.RESUME_GLOBAL_PER_SECOND,
            "start_burst": settings.START_GLOBAL_BURST,
            "start_per_second": settings.START_GLOBAL_PER_SECOND,
            "longest_wait_seconds": settings.SIGNIN_WAIT_SECONDS,
        },
    }
    connection.close()
    return [s.token for s in started], resume


def main() -> None:
    require_wrk()
    env = bench_env()
    fresh_database(env)
    tokens, resume = _prepare(env)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts it unmasked
    workdir = Path(tempfile.mkdtemp(prefix="redirection-bench-"))
    script = workdir / "post.lua"
    script.write_text(LUA % {"tokens": ", ".join(f'"{t}"' for t in tokens), "csrf": csrf})

    with gunicorn(env):
        floor_runs, write_runs = [], []
        for _ in range(ROUNDS):
            floor_runs.append(wrk("/bench/insert/", script))
            write_runs.append(wrk(SUBMIT_PATH, script))

    floor_rps, write_rps = statistics.median(floor_runs), statistics.median(write_runs)
    ratio = write_rps / floor_rps
    report = {
        "write": f"POST {SUBMIT_PATH} (save a 0-10 answer and complete the step)",
        "floor": "POST /bench/insert/ (one INSERT, then redirect)",
        "connections": CONNECTIONS,
        "signed_in_help_seekers": CLIENTS,
        "seconds_per_run": SECONDS,
        "rounds": ROUNDS,
        "gunicorn_workers": int(WORKERS),
        "floor_requests_per_second": round(floor_rps, 1),
        "write_requests_per_second": round(write_rps, 1),
        "floor_runs": floor_runs,
        "write_runs": write_runs,
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "resume": resume,
    }
    save_report("step_complete", report)
    sys.exit(0 if ratio >= TARGET_RATIO else 1)


if __name__ == "__main__":
    main()
