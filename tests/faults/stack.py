"""A private copy of the production stack on loopback, for breaking on purpose.

The fault tests stop Redis, kill a Celery worker and restart PostgreSQL. They cannot do that
to the machine's own servers, which the other test worker is using at the same moment, so
this module starts its own: a PostgreSQL cluster made with ``initdb`` in a temporary folder,
a ``redis-server``, gunicorn with the production settings and configuration, and a Celery
worker, each on a free port of 127.0.0.1 (nothing listens anywhere else), each stopped when
the test module ends. Every wait here is bounded.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from glob import glob
from pathlib import Path
from typing import Any

from bench.common import collect_static, free_port

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_SECONDS = 30
REFERENCE = "reference"
REQUEST_SECONDS = 10


def wait_until(what: str, ready: Any, *, seconds: float = START_SECONDS, every: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not ready within {seconds} s")
        time.sleep(every)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's program folder (Debian keeps ``initdb`` off PATH)."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def tools_missing() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL's initdb"
    if not shutil.which("redis-server"):
        return "redis-server"
    return None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free loopback port. ``crash`` stops it as a
    crash would; it recovers from its write-ahead log on the next start."""

    def __init__(self, folder: Path) -> None:
        self.bin = postgres_bin()
        assert self.bin is not None
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        # initdb refuses to run as root: the server runs as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        assert self.bin is not None
        subprocess.run(
            [*self.as_owner, str(self.bin / program), *args],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=START_SECONDS,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} "
            # No fsync: a crash here is of the server process, never of the machine, so what
            # the kernel holds survives it. Commits stay synchronous, as in production: with
            # synchronous_commit=off a crash loses acknowledged writes, and the outage test
            # finds them missing.
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def crash(self) -> None:
        """Stop at once, as a crash would: open transactions are lost, committed ones kept."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def sql(self, database: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []


class PrivateRedis:
    """A ``redis-server`` on a free loopback port, without persistence, as CI runs it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, number: int) -> str:
        return f"redis://{HOST}:{self.port}/{number}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until("Redis", self.answers)

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Gone at once, as a crashed or restarted Redis is: queued messages are lost too."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def service_env(postgres: PrivatePostgres, redis: PrivateRedis, database: str) -> dict[str, str]:
    """The production settings (``redirection.settings``), pointed at the private servers."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DATABASE", "REDIS", "CELERY"))},
        "DJANGO_SETTINGS_MODULE": "redirection.settings",
        "ENV_FILE": "",
        "SECRET_KEY": "fault-tests-only-secret-key-" + "x" * 40,
        "CODENAME_PEPPER": "fault-tests-only-pepper",
        "DATABASE_URL": postgres.url(database),
        "REDIS_URL": redis.url(0),
        "THROTTLE_REDIS_URL": redis.url(1),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "LOG_LEVEL": "WARNING",
        # The outage tests count on the persistent connections being reused across requests.
        "CONN_MAX_AGE": "60",
    }


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


class Gunicorn:
    """The web service as deployed: gunicorn, ``deploy/gunicorn.conf.py``, two workers."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def wait_ready(self) -> None:
        wait_until("gunicorn", lambda: request(self.base + "/healthz").status == 200)

    def launch(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "redirection.wsgi", "--config", "deploy/gunicorn.conf.py",
                 "--bind", f"{HOST}:{self.port}"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def processes(self) -> set[int]:
        """The master's and its workers' process ids (the same set means nothing restarted)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return {self.process.pid, *map(int, children)}

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
            self.process = None


class Worker:
    """A Celery worker with a prefork pool of one process, as in the container image."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._ready_before = 0

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def wait_ready(self) -> None:
        wait_until(
            "the Celery worker", lambda: self.log.read_text(errors="replace").count("ready.") > self._ready_before
        )

    def launch(self) -> None:
        self._ready_before = self.log.read_text(errors="replace").count("ready.") if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "redirection", "worker", "--pool", "prefork",
                 "--concurrency", "1", "--without-heartbeat", "--without-mingle", "--without-gossip",
                 "--loglevel", "INFO", "--hostname", f"faults-{os.getpid()}@localhost"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def pool_processes(self) -> list[int]:
        assert self.process is not None
        return [
            int(pid) for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        ]

    def kill(self) -> None:
        """The whole worker, at once (SIGKILL to every process of it)."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@dataclass
class Stack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    web: Gunicorn
    worker: Worker
    env: dict[str, str]
    database: str
    folder: Path

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.postgres.sql(self.database, query, *params)

    def send_task(self, name: str, *args: Any) -> None:
        """Send a task through the private Redis, as beat or a staff action would."""
        from celery import Celery

        sender = Celery(broker=self.env["REDIS_URL"], set_as_current=False)
        sender.conf.broker_connection_retry = False
        sender.conf.broker_connection_max_retries = 0
        sender.conf.broker_transport_options = {"max_retries": 1}
        with sender.connection_for_write() as connection:
            sender.send_task(name, args=list(args), connection=connection)


@contextmanager
def private_stack(*, synthetic: tuple[date, date] | None = None) -> Iterator[Stack]:
    """PostgreSQL (migrated, the sample program loaded), Redis, gunicorn and a worker, all
    private and on loopback. With ``synthetic`` (first and last day), synthetic help-seekers
    active then, so releases have figures to compute, and a copy of the database as it was
    before anything ran (``REFERENCE``), to compute the same releases without faults."""
    folder = Path(tempfile.mkdtemp(prefix="redirection-faults-"))
    postgres = PrivatePostgres(folder)
    redis = PrivateRedis()
    database = "redirection"
    env = service_env(postgres, redis, database)
    web = Gunicorn(env, folder / "gunicorn.log")
    worker = Worker(env, folder / "worker.log")
    try:
        postgres.start()
        postgres.sql("postgres", f'CREATE DATABASE "{database}"')
        redis.start()
        # One Django process for all of the setting up (each start costs a second or two).
        setup = _SETUP + (_SYNTHETIC.format(start=synthetic[0], end=synthetic[1]) if synthetic else "")
        manage(env, "shell", stdin=setup)
        collect_static(env)
        if synthetic is not None:
            postgres.sql("postgres", f'CREATE DATABASE "{REFERENCE}" TEMPLATE "{database}"')
        web.launch()
        worker.launch()
        web.wait_ready()
        worker.wait_ready()
        yield Stack(postgres, redis, web, worker, env, database, folder)
    finally:
        web.stop()
        worker.stop()
        redis.kill()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


_SETUP = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_program", "programs/sample", verbosity=0)
"""

_SYNTHETIC = """
from datetime import date
from modules.models import Program
from questionnaires import synthetic
synthetic.generate(program=Program.objects.get(slug="sample"), profiles=240, start=date.fromisoformat("{start}"),
                   end=date.fromisoformat("{end}"), seed=7, languages=["en", "fi"], language_weights=[0.6, 0.4])
"""


# --- A simulated help-seeker --------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str, *, method: str = "GET", data: Any = None, headers: dict[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
) -> Reply:  # fmt: skip
    """One HTTP request; any status is a reply, a refused or broken connection is status 0."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError("the fault tests contact 127.0.0.1 only")
    body = json.dumps(data).encode() if data is not None else None
    wanted = {"Content-Type": "application/json"} if body is not None else {}
    prepared = urllib.request.Request(url, data=body, method=method, headers={**wanted, **(headers or {})})  # noqa: S310 (http://127.0.0.1 only, checked above)
    try:
        with (opener or _plain).open(prepared, timeout=REQUEST_SECONDS) as response:
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))
    except (OSError, urllib.error.URLError) as error:
        return Reply(0, str(error).encode(), {})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_plain = urllib.request.build_opener(_NoRedirect)


@dataclass
class HelpSeeker:
    """One simulated help-seeker, on the API and on the Finnish pages; it remembers every
    write the server acknowledged, to be found in the database afterwards."""

    base: str
    token: str = ""
    codename: str = ""
    acknowledged_steps: set[str] = field(default_factory=set)

    def api(self, method: str, path: str, data: Any = None) -> Reply:
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "fi"} if self.token else {}
        return request(self.base + "/api/v1/" + path, method=method, data=data, headers=headers)

    def page(self, path: str) -> Reply:
        from django.conf import settings

        cookie = {"Cookie": f"{settings.HELPSEEKER_COOKIE_NAME}={self.token}"} if self.token else {}
        return request(self.base + path, headers=cookie)

    def start(self) -> Reply:
        reply = request(self.base + "/api/v1/helpseekers/start/", method="POST", headers={"Accept-Language": "fi"})
        if reply.status == 201:
            self.codename, self.token = reply.json()["codename"], reply.json()["token"]
        return reply

    def resume(self) -> Reply:
        reply = request(self.base + "/api/v1/helpseekers/resume/", method="POST", data={"codename": self.codename})
        if reply.status == 200:
            self.token = reply.json()["token"]
        return reply

    def complete(self, step: str) -> Reply:
        reply = self.api("POST", f"helpseekers/me/steps/{step}/complete/", {})
        if reply.status == 200:
            self.acknowledged_steps.add(step)
        return reply

    @property
    def token_digest(self) -> bytes:
        """What the server stores for the session (the digest of the token's id)."""
        token_id = self.token.split(".")[0]
        return hashlib.sha256(base64.urlsafe_b64decode(token_id + "=" * (-len(token_id) % 4))).digest()


def sample_steps(base: str) -> list[str]:
    """``program/module/step`` for every step of the sample, in order, from the content API."""
    program = request(base + "/api/v1/programs/sample/?lang=fi").json()
    return [f"sample/{module['slug']}/{step['slug']}" for module in program["modules"] for step in module["steps"]]
