"""Step page throughput against a floor, under gunicorn with PostgreSQL, 16 clients.

Usage: ``make bench`` (or ``.venv/bin/python -m bench.step_page``). Needs PostgreSQL
(``BENCH_DATABASE_URL``, default the local server) and ``wrk`` (Debian package ``wrk``).
Only 127.0.0.1 is ever targeted; every load run is bounded in time.

The floor is a bare Django view returning the step page's exact bytes through the same
server, middleware and settings, in the same run. Rounds alternate floor and step page, and
the report gives medians and the ratio (target: at least 0.6).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = "127.0.0.1"
STEP_PATH = "/fi/program/sample/feelings-that-drive-use/meeting-my-needs/"
CONNECTIONS = 16
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/redirection_bench")
TARGET_RATIO = 0.6


def _env(floor_body: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "ENV_FILE": "",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "CODENAME_PEPPER": "bench-only-pepper",
        "DATABASE_URL": DATABASE_URL,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "COOKIE_SECURE": "false",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "WEB_CONCURRENCY": WORKERS,
        "BENCH_FLOOR_BODY": str(floor_body),
        "LOG_LEVEL": "WARNING",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _create_database() -> None:
    import psycopg

    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _get(path: str) -> bytes:
    with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=10) as response:
        return response.read()


def _wait_for_server(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            _get("/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _wrk(path: str) -> float:
    result = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{SECONDS}s", "--timeout", "10s",
         f"http://{HOST}:{PORT}{path}"],
        capture_output=True, text=True, check=True, timeout=SECONDS + 30,
    )  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if not match or errors:
        raise SystemExit(f"wrk run failed:\n{result.stdout}")
    return float(match.group(1))


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="redirection-bench-"))
    floor_body = workdir / "floor.html"
    floor_body.write_bytes(b"")
    env = _env(floor_body)
    _create_database()
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_program", "programs/sample")
    _manage(env, "collectstatic", "--noinput")

    def serve() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "redirection.wsgi", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"{HOST}:{PORT}"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        _wait_for_server(time.monotonic() + 30)
        return process

    # First capture the exact bytes of the step page, then serve them from the floor view.
    server = serve()
    try:
        body = _get(STEP_PATH)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    floor_body.write_bytes(body)

    server = serve()
    try:
        assert _get("/bench/floor/") == body == _get(STEP_PATH), "floor and step page differ"
        floor_runs, step_runs = [], []
        for _ in range(ROUNDS):
            floor_runs.append(_wrk("/bench/floor/"))
            step_runs.append(_wrk(STEP_PATH))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

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
    print(json.dumps(report, indent=2))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "step_page.json").write_text(json.dumps(report, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ratio >= TARGET_RATIO else 1)


if __name__ == "__main__":
    main()
