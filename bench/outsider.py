"""What an outsider can do to a running server: the audit's reproductions (issue 11).

Usage: ``.venv/bin/python -m bench.outsider`` (needs the local PostgreSQL; Redis is used
when ``THROTTLE_REDIS_URL`` is set, as in production). Everything targets 127.0.0.1 only,
every loop is bounded in count and time, and nothing here knows more of the code than an
outsider reading the open source: HTTP requests, and ``psql`` output for the database dump.

1. **Lock-out**: 8 threads post wrong codenames to the API's resume, without cookies, for a
   bounded time; meanwhile 12 people start and 12 resume with their right codenames. The
   report counts who got in.
2. **Dump**: one help-seeker saves a free-text answer; the outsider reads the profile's salt
   and the ciphertext from ``psql`` and tests the right codename (as if guessed) with the
   key derivation the code documents, without the pepper. The report says whether the
   answer was decrypted and what one guess costs.
3. **Reachable 500s**: deeply nested JSON, a scale value of ``²`` and of 5,000 digits, a lone
   surrogate in a free-text answer; the report gives each status, whether Python's error
   text reached the person, and whether the submitted value reached the server's log.
4. **The CSRF cookie's lifetime**, and 6. **a forged Host** (does stderr get a traceback?).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import HOST, ROOT, bench_env, fresh_database

PORT = int(os.environ.get("OUTSIDER_PORT", "8766"))
FLOOD_THREADS = 8
FLOOD_SECONDS = 12.0
PEOPLE = 12
REQUEST_TIMEOUT = 15.0
FREE_TEXT_STEP = "sample/getting-started/why-change"
FREE_TEXT_BLOCK = "my-reasons"
SCALE_BLOCK = "importance"


def call(
    method: str, path: str, body: bytes | str | None = None, headers: dict[str, str] | None = None, host: str = HOST
) -> tuple[int, dict[str, str], str]:
    """One request to the server on loopback: (status, headers, body text)."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
    try:
        payload = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        connection.request(method, path, body=payload, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            headers[name.lower()] = f"{headers[name.lower()]}\n{value}" if name.lower() in headers else value
        return response.status, headers, text
    finally:
        connection.close()


def api(method: str, path: str, data: Any = None, token: str | None = None, raw: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = raw if raw is not None else (json.dumps(data) if data is not None else None)
    status, _headers, text = call(method, f"/api/v1/helpseekers/{path}", body, headers)
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def start() -> dict[str, Any]:
    """Start through the API, waiting (bounded) for a budget the flood may have drained."""
    for _attempt in range(60):
        status, body = api("POST", "start/")
        if status == 201:
            return body
        time.sleep(1)
    raise SystemExit(f"could not start: {status} {body}")


def wrong_codename() -> str:
    return " ".join(secrets.choice(["able", "acid", "aged", "also", "area", "army", "away", "baby"]) for _ in range(7))


# --- 1. Lock-out -------------------------------------------------------------------------


def lockout() -> dict[str, Any]:
    """Flood resume from cookie-less threads while people start and resume."""
    codenames = []
    for _ in range(PEOPLE):
        status, body = api("POST", "start/")
        if status != 201:
            raise SystemExit(f"could not prepare a profile: {status} {body}")
        codenames.append(body["codename"])
        time.sleep(0.3)  # well inside any budget: the flood has not begun
    time.sleep(3)

    stop = threading.Event()
    flood: Counter[int] = Counter()
    lock = threading.Lock()

    def flooder() -> None:
        deadline = time.monotonic() + FLOOD_SECONDS + 10
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                status, _body = api("POST", "resume/", {"codename": wrong_codename()})
            except OSError:
                status = 0
            with lock:
                flood[status] += 1

    threads = [threading.Thread(target=flooder, daemon=True) for _ in range(FLOOD_THREADS)]
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    starts: Counter[int] = Counter()
    resumes: Counter[int] = Counter()
    waits: list[float] = []
    for codename in codenames:
        before = time.monotonic()
        starts[api("POST", "start/")[0]] += 1
        resumes[api("POST", "resume/", {"codename": codename})[0]] += 1
        waits.append(time.monotonic() - before)
        time.sleep(max(0.0, (FLOOD_SECONDS - 1.0) / PEOPLE - (time.monotonic() - before)))
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    return {
        "flood": f"{FLOOD_THREADS} cookie-less threads posting wrong codenames to /api/v1/helpseekers/resume/",
        "flood_seconds": round(time.monotonic() - begin, 1),
        "flood_statuses": dict(sorted(flood.items())),
        "starts": f"{starts[201]} of {PEOPLE} started",
        "start_statuses": dict(sorted(starts.items())),
        "resumes": f"{resumes[200]} of {PEOPLE} resumed with the right codename",
        "resume_statuses": dict(sorted(resumes.items())),
        "slowest_start_and_resume_seconds": round(max(waits), 2),
    }


# --- 2. Dump -----------------------------------------------------------------------------


def psql(database_url: str, query: str) -> list[list[str]]:
    result = subprocess.run(
        ["psql", database_url, "-At", "-F", "|", "-c", query], capture_output=True, text=True, check=True, timeout=30
    )
    return [line.split("|") for line in result.stdout.splitlines() if line]


def dump(database_url: str) -> dict[str, Any]:
    """A saved answer, read from psql output, tested against the codename without the pepper."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    body = start()
    codename, token = body["codename"], body["token"]
    answer = "I want to stop for the sake of my family."
    saved, _ = api("PUT", f"me/steps/{FREE_TEXT_STEP}/answers/", {"answers": {FREE_TEXT_BLOCK: answer}}, token)
    rows = psql(
        database_url,
        "SELECT p.id, encode(p.key_salt, 'hex'), a.block_id, encode(a.encrypted_text, 'hex') "
        "FROM helpseekers_exerciseanswer a JOIN helpseekers_helpseekerprofile p ON p.id = a.profile_id "
        "WHERE a.encrypted_text IS NOT NULL",
    )
    profile_id, salt_hex, block_id, ciphertext_hex = rows[-1]
    salt, ciphertext = bytes.fromhex(salt_hex), bytes.fromhex(ciphertext_hex)
    associated = f"{profile_id}:{block_id}".encode()
    normalised = " ".join(codename.lower().split())

    def guess(candidate: str) -> str | None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"redirection answers v1").derive(
            candidate.encode()
        )
        try:
            return AESGCM(key).decrypt(ciphertext[:12], ciphertext[12:], associated).decode()
        except InvalidTag:
            return None

    plaintext = guess(normalised)
    begin = time.perf_counter()
    for _ in range(1000):
        guess(wrong_codename())
    per_guess_us = (time.perf_counter() - begin) * 1000
    return {
        "saved": saved,
        "ciphertext_bytes": len(ciphertext),
        "answer_bytes": len(answer.encode()),
        "read_from": "psql output alone (profile salt, ciphertext, ids); no pepper, no SECRET_KEY",
        "decrypted_with_the_right_guess": plaintext == answer,
        "one_guess_microseconds": round(per_guess_us, 1),
    }


# --- 3. Reachable 500s, 4. CSRF cookie, 6. forged Host -------------------------------------


def web_session() -> tuple[str, str]:
    """(cookie header, CSRF token) of a browser that has just started."""
    csrf = secrets.token_hex(16)
    for _attempt in range(60):
        status, headers, _ = call(
            "POST",
            "/en/start/",
            f"csrfmiddlewaretoken={csrf}",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
        )
        if status == 200 and "helpseeker=" in headers.get("set-cookie", ""):
            break
        time.sleep(1)
    match = re.search(r"helpseeker=([^;]+)", headers.get("set-cookie", ""))
    if not match:
        raise SystemExit(f"could not start in the browser: {status}")
    return f"csrftoken={csrf}; helpseeker={match.group(1)}", csrf


def errors(log: Path) -> dict[str, Any]:
    token = start()["token"]
    cookie, csrf = web_session()
    nested = "[" * 1100 + "]" * 1100
    report: dict[str, Any] = {}
    for name, status_and_text in {
        "nested_json_resume": call("POST", "/api/v1/helpseekers/resume/", nested, {"Content-Type": "application/json"}),
        "nested_json_answers": call(
            "PUT",
            f"/api/v1/helpseekers/me/steps/{FREE_TEXT_STEP}/answers/",
            nested,
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        ),
        "scale_superscript_two": call(
            "POST",
            f"/en/me/answers/{FREE_TEXT_STEP}/",
            f"csrfmiddlewaretoken={csrf}&{SCALE_BLOCK}=%C2%B2&action=save",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        ),
        "scale_5000_digits": call(
            "POST",
            f"/en/me/answers/{FREE_TEXT_STEP}/",
            f"csrfmiddlewaretoken={csrf}&{SCALE_BLOCK}={'7' * 5000}&action=save",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        ),
        "scale_superscript_two_api": call(
            "PUT",
            f"/api/v1/helpseekers/me/steps/{FREE_TEXT_STEP}/answers/",
            json.dumps({"answers": {SCALE_BLOCK: "²"}}),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        ),
        "lone_surrogate_api": call(
            "PUT",
            f"/api/v1/helpseekers/me/steps/{FREE_TEXT_STEP}/answers/",
            '{"answers": {"' + FREE_TEXT_BLOCK + '": "a\\ud800b"}}',
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        ),
    }.items():
        status, _headers, text = status_and_text
        report[name] = {
            "status": status,
            "python_error_text_shown": bool(re.search(r"invalid literal|Traceback|codec can't|recursion", text)),
        }
    time.sleep(0.5)
    logged = log.read_text(errors="replace")
    report["submitted_values_in_the_server_log"] = {
        "superscript_two": "²" in logged,
        "5000_digits": "7" * 100 in logged,
        "python_error_text": bool(re.search(r"invalid literal|RecursionError|UnicodeEncodeError", logged)),
    }

    _status, headers, _text = call("GET", "/en/start/")
    report["csrf_cookie"] = re.sub(r"csrftoken=[^;]+", "csrftoken=…", headers.get("set-cookie", ""))
    before = len(log.read_text(errors="replace"))
    status, _headers, _text = call("GET", "/en/", host="forged.example")
    time.sleep(0.5)
    written = log.read_text(errors="replace")[before:]
    report["forged_host"] = {
        "status": status,
        "stderr_characters": len(written),
        "stderr_names_the_host": "forged.example" in written,
    }
    return report


def main() -> None:
    env = bench_env(
        WEB_CONCURRENCY="2",
        LOG_LEVEL="INFO",
        THROTTLE_REDIS_URL=os.environ.get("THROTTLE_REDIS_URL", ""),
    )
    fresh_database(env)
    log = Path(tempfile.mkdtemp(prefix="redirection-outsider-")) / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "redirection.wsgi", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"{HOST}:{PORT}"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        report = {
            "1_lockout": lockout(),
            "2_dump": dump(env["DATABASE_URL"]),
            "3_errors_4_csrf_6_host": errors(log),
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "outsider.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
