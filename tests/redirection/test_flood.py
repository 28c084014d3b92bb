"""Nobody can lock everyone out: a flood of wrong codenames against the real server.

gunicorn with the production configuration (2 workers, threads) on 127.0.0.1, PostgreSQL,
the sign-in budgets in Redis and the real Argon2id cost. Eight cookie-less threads post wrong
codenames to resume, as the audit did (half through the API without cookies, half through the
page, each request from a newly invented browser), while people start and resume with their
right codenames: every one of them gets in, after a fair wait. Bounded: the flood runs for a fixed time, every
request has a timeout, and only loopback is targeted. Runs in CI (it needs PostgreSQL and
Redis); skips on a laptop without them.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from bench.common import free_port
from helpseekers import services

ROOT = Path(__file__).resolve().parents[2]
FLOOD_THREADS = 8
FLOOD_SECONDS = 20.0  # at most: the flood stops once everyone has tried
PEOPLE = 4
TIMEOUT = 15.0


def _post_form(port: int, path: str, fields: dict[str, str]) -> int:
    """A form post from a browser invented for this one request (its own CSRF cookie)."""
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
        method="POST",
    )
    try:
        with _NOT_FOLLOWING.open(request, timeout=TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as answered:  # a redirect (not followed) or a refusal
        signed_in = answered.code == 302 and "helpseeker=" in (answered.headers.get("Set-Cookie") or "")
        return 302 if signed_in else int(answered.code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_NOT_FOLLOWING = urllib.request.build_opener(_NoRedirect)


def _post(port: int, path: str, body: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/helpseekers/{path}",
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http on loopback)
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


@pytest.fixture
def server(postgresql: None, redis_broker: str, transactional_db: None) -> int:
    """The production server on a free loopback port, reading the test database."""
    import redis

    throttle_url = redis_broker
    client = redis.Redis.from_url(throttle_url)
    for key in client.scan_iter("throttle:*"):
        client.delete(key)
    database = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "redirection.test_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "THROTTLE_REDIS_URL": throttle_url,
        "CELERY_BROKER_URL": "",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    log = ROOT / "var" / "test-flood-server.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "redirection.wsgi", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        for key in client.scan_iter("throttle:*"):
            client.delete(key)


def test_a_flood_of_wrong_codenames_locks_nobody_out(server: int, settings) -> None:
    # the server's real Argon2id cost, here too, so these profiles are found there
    settings.CODENAME_ARGON2_MEMORY_KIB, settings.CODENAME_ARGON2_TIME_COST = 19_456, 2
    codenames = [services.profile_start(language="en").codename for _ in range(PEOPLE)]
    stop = threading.Event()
    flood: Counter[int] = Counter()
    lock = threading.Lock()

    wrong = {"codename": "abacus abacus abacus abacus abacus abacus abacus"}

    def flooder(through_the_page: bool) -> None:
        deadline = time.monotonic() + FLOOD_SECONDS + TIMEOUT
        while not stop.is_set() and time.monotonic() < deadline:
            # half without cookies through the API, half as a new invented browser each time
            status = _post_form(server, "/en/resume/", wrong) if through_the_page else _post(server, "resume/", wrong)
            with lock:
                flood[status] += 1

    threads = [
        threading.Thread(target=flooder, args=(number % 2 == 1,), daemon=True) for number in range(FLOOD_THREADS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the flood is on
    starts: list[int] = []
    resumes: list[int] = []
    page_resumes: list[int] = []
    people = [
        threading.Thread(target=lambda: starts.extend(_post(server, "start/") for _ in codenames)),
        threading.Thread(target=lambda: resumes.extend(_post(server, "resume/", {"codename": c}) for c in codenames)),
        threading.Thread(
            target=lambda: page_resumes.extend(_post_form(server, "/en/resume/", {"codename": c}) for c in codenames)
        ),
    ]
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=PEOPLE * TIMEOUT)
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)

    assert flood[400] >= 10, f"the flood was served and refused as wrong codenames: {dict(flood)}"
    assert starts == [201] * PEOPLE
    assert resumes == [200] * PEOPLE
    assert page_resumes == [302] * PEOPLE, "the resume page signs in (a session cookie) and goes on"
