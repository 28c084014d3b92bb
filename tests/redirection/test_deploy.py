"""Production settings: the deploy check passes, and a missing secret stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "redirection.settings",
    "ENV_FILE": "",
    "SECRET_KEY": "prod-like-" + "k3y" * 20,
    "CODENAME_PEPPER": "prod-like-pepper-" + "p" * 20,
    "ALLOWED_HOSTS": "help.example.org",
    "DATABASE_URL": "sqlite:////tmp/redirection-deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    unwanted = {"SECRET_KEY", "CODENAME_PEPPER", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_at_warning_level() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_start_up_with_one_line() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: SECRET_KEY is not set (it signs sessions and CSRF tokens); see README.md"
    ]


def test_missing_pepper_stops_start_up() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CODENAME_PEPPER"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "CODENAME_PEPPER is not set" in result.stderr


def test_the_layer_that_can_tell_sources_apart_is_configured_and_logs_nothing() -> None:
    nginx = (ROOT / "deploy" / "nginx-clearweb.conf").read_text()
    torrc = (ROOT / "deploy" / "torrc").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()

    assert "limit_req_zone $binary_remote_addr zone=signin" in nginx
    assert nginx.count("limit_req zone=signin") == 2  # the pages and the API
    assert "limit_req_log_level info;" in nginx
    assert "error_log /var/log/nginx/redirection-error.log crit;" in nginx
    assert "access_log off;" in nginx
    assert "access_log /" not in nginx
    for line in (
        "HiddenServiceEnableIntroDoSDefense 1",
        "HiddenServicePoWDefensesEnabled 1",
        "HiddenServiceMaxStreams",
    ):
        assert line in torrc
    assert "THROTTLE_REDIS_URL: redis://redis:6379/1" in compose
