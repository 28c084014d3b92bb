"""Step page throughput against two floors, under gunicorn with PostgreSQL, 16 clients.

Usage: ``make bench`` (or ``.venv/bin/python -m bench.step_page``). Needs PostgreSQL
(``BENCH_DATABASE_URL``, default the local server) and ``wrk`` (Debian package ``wrk``).

Three servers answer in the same run, with the same gunicorn configuration:

- **bare floor**: a single-file Django app with no middleware (``bench/bare.py``) returning
  the step page's exact bytes: the physical floor;
- **project floor**: a bare view inside the project (``/bench/floor/``), the same bytes through
  the project's whole middleware stack: what the stack costs;
- **step page**: the anonymous step page itself.

Rounds alternate the three; the report gives medians and the ratios. Target: the step page
at least 0.5 of the bare floor.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import (
    CONNECTIONS,
    PORT,
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
FLOOR_PATH = "/bench/floor/"
BARE_PORT = PORT + 1
TARGET_RATIO = 0.5


def main() -> None:
    require_wrk()
    floor_body = Path(tempfile.mkdtemp(prefix="redirection-bench-")) / "floor.html"
    floor_body.write_bytes(b"")
    env = bench_env(BENCH_FLOOR_BODY=str(floor_body))
    fresh_database(env)

    # First capture the exact bytes of the step page, then serve them from both floors.
    with gunicorn(env):
        body = get(STEP_PATH)
    floor_body.write_bytes(body)

    with gunicorn(env), gunicorn(env, app="bench.bare:application", port=BARE_PORT, ready=FLOOR_PATH):
        if not get(FLOOR_PATH, port=BARE_PORT) == get(FLOOR_PATH) == body == get(STEP_PATH):
            raise SystemExit("the floors and the step page differ")
        bare_runs, floor_runs, step_runs = [], [], []
        for _ in range(ROUNDS):
            bare_runs.append(wrk(FLOOR_PATH, port=BARE_PORT))
            floor_runs.append(wrk(FLOOR_PATH))
            step_runs.append(wrk(STEP_PATH))

    bare, floor, step = (statistics.median(runs) for runs in (bare_runs, floor_runs, step_runs))
    ratio = step / bare
    report = {
        "page": STEP_PATH,
        "bytes": len(body),
        "connections": CONNECTIONS,
        "seconds_per_run": SECONDS,
        "rounds": ROUNDS,
        "gunicorn_workers": int(WORKERS),
        "bare_floor_requests_per_second": round(bare, 1),
        "project_floor_requests_per_second": round(floor, 1),
        "step_requests_per_second": round(step, 1),
        "bare_floor_runs": bare_runs,
        "project_floor_runs": floor_runs,
        "step_runs": step_runs,
        "project_floor_over_bare": round(floor / bare, 3),
        "step_over_bare": round(ratio, 3),
        "step_over_project_floor": round(step / floor, 3),
        "target_step_over_bare": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
    }
    save_report("step_page", report)
    sys.exit(0 if ratio >= TARGET_RATIO else 1)


if __name__ == "__main__":
    main()
