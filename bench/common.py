"""Shared by the benchmarks: a PostgreSQL database, a gunicorn server, and wrk runs.

Only 127.0.0.1 is ever targeted, and every load run is bounded in time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONNECTIONS = 16
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/redirection_bench")


def bench_env(**extra: str) -> dict[str, str]:
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
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def fresh_database(env: dict[str, str]) -> None:
    """Drop and create the bench database (``env["DATABASE_URL"]``), migrate it and load the
    sample program."""
    import psycopg

    admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput")
    manage(env, "load_program", "programs/sample")
    collect_static(env)


STATIC_ROOT = ROOT / "var" / "static"


def _static_fingerprint() -> str:
    """What the collected files depend on: the pinned packages (whose static files are
    collected too), the settings (storage, compression) and every file of the project's own
    static folders, by name, size and time."""
    import hashlib

    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    digest.update((ROOT / "redirection" / "settings.py").read_bytes())
    for path in sorted(ROOT.glob("*/static/**/*")):
        if path.is_file() and not path.is_relative_to(ROOT / "var"):
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` into ``var/static``, unless it already holds what the sources would
    give (compressing a thousand files takes about 18 s here, and the benchmarks, the load
    run and the fault tests each need them). A lock keeps two runs at once from writing
    the folder together."""
    import fcntl

    STATIC_ROOT.parent.mkdir(exist_ok=True)
    marker = STATIC_ROOT / ".sources"
    with (STATIC_ROOT.parent / "static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fingerprint = _static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        marker.unlink(missing_ok=True)
        manage(env, "collectstatic", "--noinput")
        marker.write_text(fingerprint)


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def get(path: str, *, port: int = PORT) -> bytes:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as response:
        return response.read()


@contextmanager
def gunicorn(
    env: dict[str, str], *, app: str = "redirection.wsgi", port: int = PORT, ready: str = "/healthz"
) -> Iterator[None]:
    """gunicorn with the production configuration on 127.0.0.1, stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--config", "deploy/gunicorn.conf.py",
         "--bind", f"{HOST}:{port}"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(ready, port=port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def wrk(path: str, script: Path | None = None, *, port: int = PORT) -> float:
    """Requests per second for one bounded run; fails on any non-2xx/3xx response."""
    command = ["wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{SECONDS}s",
               "--timeout", "10s"]  # fmt: skip
    if script is not None:
        command += ["--script", str(script)]
    result = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True, timeout=SECONDS + 30
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if not match or errors:
        raise SystemExit(f"wrk run failed:\n{result.stdout}")
    return float(match.group(1))


def save_report(name: str, report: dict[str, object]) -> None:
    """Print the report and keep it in ``bench/results/<name>.json`` (not committed)."""
    import json

    print(json.dumps(report, indent=2, default=str))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
