"""Test settings: only overrides of ``redirection.settings``."""

import os

# Tests never read a developer's var/local.env, and need no real secrets.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CODENAME_PEPPER", "test-only-pepper")

from redirection import settings as _settings
from redirection.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
COOKIE_PREFIX = ""  # plain http in tests: no __Host- prefix (tests/redirection/test_headers.py covers it)
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME, HELPSEEKER_COOKIE_NAME = "sessionid", "csrftoken", "helpseeker"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign staff in with a password; tests/authoring/test_two_factor.py turns 2FA on.
STAFF_REQUIRE_2FA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the integration test talks to a real worker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
# Serve static files from the apps, as runserver would, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Test databases are thrown away: their commits need not wait for the disk. Per connection
# only; the servers the fault and load tests start keep synchronous commits, as production.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# A replica alias mirroring the default database, so the evaluation jobs' replica path runs in
# tests (tests/analytics/test_replica.py); the jobs read from it only where a test says so.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}  # noqa: F405

# Tests run on two workers (pytest-xdist): each has a Redis database of its own, next to the
# one CI names (REDIS_URL .../5 gives the workers 6 and 7), so one worker's sign-in budgets,
# flood and Celery queue never meet the other's. Each has its own test database already.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_BROKER: str = _settings.CELERY_BROKER_URL
if _WORKER.startswith("gw") and _BROKER:
    _base, _slash, _number = _BROKER.rpartition("/")
    if _slash and _number.isdigit():
        CELERY_BROKER_URL = REDIS_URL = f"{_base}/{int(_number) + 1 + int(_WORKER[2:])}"
