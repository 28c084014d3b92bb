"""Step page throughput against a floor, under gunicorn with PostgreSQL, 16 clients.

Usage: ``make bench`` (or ``.venv/bin/python -m bench.step_page``). Needs PostgreSQL
(``BENCH_DATABASE_URL``, default the local server) and ``wrk`` (Debian package ``wrk``).

The floor is a bare Django view returning the step page's exact bytes through the same
server, middleware and settings, in the same run. Rounds alternate floor and step page, and
the report gives medians and the ratio (target: at least 0.6).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import (
    CONNECTIONS,
    ROUNDS,
    SECONDS,
    WORKERS,
    bench_env,
    fresh_database,
    get,
    gunicorn,
    require_wrk,
    save_report,
    wrk,
)

STEP_PATH = "/fi/program/sample/feelings-that-drive-use/meeting-my-needs/"
TARGET_RATIO = 0.6


def main() -> None:
    require_wrk()
    floor_body = Path(tempfile.mkdtemp(prefix="redirection-bench-")) / "floor.html"
    floor_body.write_bytes(b"")
    env = bench_env(BENCH_FLOOR_BODY=str(floor_body))
    fresh_database(env)

    # First capture the exact bytes of the step page, then serve them from the floor view.
    with gunicorn(env):
        body = get(STEP_PATH)
    floor_body.write_bytes(body)

    with gunicorn(env):
        if not get("/bench/floor/") == body == get(STEP_PATH):
            raise SystemExit("floor and step page differ")
        floor_runs, step_runs = [], []
        for _ in range(ROUNDS):
            floor_runs.append(wrk("/bench/floor/"))
            step_runs.append(wrk(STEP_PATH))

    floor_rps, step_rps = statistics.median(floor_runs), statistics.median(step_runs)
    ratio = step_rps / floor_rps
    report = {
        "page": STEP_PATH,
        "bytes": len(body),
        "connections": CONNECTIONS,
        "seconds_per_run": SECONDS,
        "rounds": ROUNDS,
        "gunicorn_workers": int(WORKERS),
        "floor_requests_per_second": round(floor_rps, 1),
        "step_requests_per_second": round(step_rps, 1),
        "floor_runs": floor_runs,
        "step_runs": step_runs,
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
    }
    save_report("step_page", report)
    sys.exit(0 if ratio >= TARGET_RATIO else 1)


if __name__ == "__main__":
    main()
