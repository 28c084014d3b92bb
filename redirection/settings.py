"""The one settings module: every value comes from the environment through ``env``.

Defaults are the production-safe choice. ``make run`` writes ``var/local.env`` with the
choices for a laptop (a generated secret key and pepper, no TLS redirect) and this module
reads that file when it exists; variables already set in the environment always win.
Every variable is documented in the README's configuration table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = env.str("ENV_FILE", default=str(BASE_DIR / "var" / "local.env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file)


def _required(name: str, why: str) -> str:
    """Return a variable that production cannot run without, or stop with one line."""
    value = env.str(name, default="")
    if not value:
        # SystemExit with a message prints exactly one line and exits non-zero, which is
        # what an operator reading a container log needs; a traceback would hide it.
        raise SystemExit(f"configuration error: {name} is not set ({why}); see README.md")
    return value


# --- Core ---------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _required("SECRET_KEY", "it signs sessions and CSRF tokens")
# The pepper keys the one slow step that gives both the codename's lookup digest and the key
# material of its answer key (helpseekers.crypto). It lives outside the database, so a
# database dump alone cannot be used to test guessed codenames: not against the digest, and
# not against an encrypted answer.
CODENAME_PEPPER = _required("CODENAME_PEPPER", "it keys the codename digest")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The staff site (content, translation, evaluation): its path, never the well-known /admin/,
# and the hosts it answers on. Empty STAFF_HOSTS: every allowed host; set it to keep the staff
# site off the onion address and the public domain (elsewhere its pages are 404).
STAFF_PATH = env.str("STAFF_PATH", default="staff").strip("/") + "/"
STAFF_HOSTS = env.list("STAFF_HOSTS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    # Django's admin, as the staff site (two-factor sign-in, name lock): authoring.staffsite.
    "authoring.adminconfig.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    # Tokens for evaluators reading the evaluation API from scripts (never for help-seekers).
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's apps, in their import layers (lint-imports enforces them): each imports
    # only those below it; the three at the top are imported by nobody.
    "redirection",
    "modules",
    "helpseekers",
    "questionnaires",
    "journey",
    "authoring",
    "analytics",
]

MIDDLEWARE = [
    # First, so nothing below (including Django's own error logging) sees a client address,
    # and every response that comes back up (400, 404 and 500 too) carries the same headers.
    "redirection.middleware.PrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers /healthz before Host validation: probes use the container's own address.
    "redirection.health.HealthCheckMiddleware",
    # Django sessions and users are for staff pages only; help-seekers have neither.
    "redirection.middleware.StaffSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "redirection.middleware.StaffAuthenticationMiddleware",
    # Marks a staff session verified by a second factor (TOTP); nothing on other pages.
    "django_otp.middleware.OTPMiddleware",
    "helpseekers.middleware.HelpSeekerMiddleware",
    "redirection.middleware.LazyMessageMiddleware",
]

ROOT_URLCONF = "redirection.urls"
WSGI_APPLICATION = "redirection.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "modules.context_processors.language_links",
                "helpseekers.context_processors.helpseeker",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The evaluation jobs read from a replica when one is named (writes stay on the primary).
if _replica := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(_replica)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
ANALYTICS_READ_ALIAS = "replica" if "replica" in DATABASES else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en"
_language_codes = env.list("LANGUAGES", default=["en", "fi", "sv", "es", "pt", "de", "fr", "pl", "cs", "ru", "ar"])
_unknown = [code for code in _language_codes if code not in LANG_INFO]
if _unknown or LANGUAGE_CODE not in _language_codes:
    raise SystemExit(f"configuration error: LANGUAGES must list known codes including 'en' (bad: {_unknown})")
LANGUAGES = [(code, LANG_INFO[code]["name"]) for code in _language_codes]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (14 MB, of the API docs' Swagger UI) are read only by a browser's developer
# tools: served as they are, not compressed too. Brotli on them was most of collectstatic's
# 20 s (the image build, `make run`, the fault and load tests each collect).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv"),
    "map",
]

# --- Privacy and security ---------------------------------------------------------------

# Help-seekers are not Django users; these settings protect staff and anonymous sessions.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
# Django's CSRF cookie must stay readable by scripts only if a page posts with JavaScript;
# none does, so it is HttpOnly too.
CSRF_COOKIE_HTTPONLY = True
# A failed check explains itself and gives back what the person typed (stored nowhere).
CSRF_FAILURE_VIEW = "journey.views.csrf_failure"
# Secure cookies are right for HTTPS and for onion services alike (Tor Browser treats
# .onion as a secure context); `make run` on plain http://127.0.0.1 turns it off.
SESSION_COOKIE_SECURE = env.bool("COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Where cookies are Secure, they carry the __Host- prefix: the browser then accepts them only
# from this exact host, over a secure connection, for the whole site, and no sibling domain
# can set or overwrite them (no session fixation through a subdomain).
COOKIE_PREFIX = "__Host-" if SESSION_COOKIE_SECURE else ""
SESSION_COOKIE_NAME = f"{COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{COOKIE_PREFIX}csrftoken"
# The CSRF cookie ends with the browser session: no evidence of the visit stays for a year.
CSRF_COOKIE_AGE = None
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Messages ("Your answers are saved.") travel in a signed cookie, so help-seeker pages need no
# Django session.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The reverse proxy (or the onion service's proxy) terminates TLS and says so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Built into one header value at start-up (redirection.middleware.PrivacyMiddleware).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}
# What the staff admin and the API docs add: Django's bundled scripts, from this origin only.
STAFF_CSP_ADDITIONS = {
    "script-src": ["'self'"],
    "img-src": ["data:"],
    "connect-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "battery",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Staff passwords: Argon2id first; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Staff sign-in: repeated wrong passwords lock the account name for a while, never a client
# address (the application never sees one).
AUTHENTICATION_BACKENDS = ["authoring.signin.LockoutModelBackend"]
# Two-factor sign-in (TOTP) for staff: on by default and in production; `make run` turns it
# off for a laptop. Enrol a device: `manage.py totp_enrol <username>`.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Self-help program staff")
# Nobody reads another staff member's second-factor secret (its key or QR code) in the staff
# site, administrators included: devices are enrolled with `manage.py totp_enrol`.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
STAFF_LOCKOUT_FAILURES = env.int("STAFF_LOCKOUT_FAILURES", default=5)
STAFF_LOCKOUT_MINUTES = env.int("STAFF_LOCKOUT_MINUTES", default=15)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Program policy ---------------------------------------------------------------------

RETENTION_DAYS = env.int("RETENTION_DAYS", default=180)
STATISTICS_THRESHOLD = env.int("STATISTICS_THRESHOLD", default=11)
if STATISTICS_THRESHOLD < 5:
    raise SystemExit("STATISTICS_THRESHOLD must be at least 5 (default 11).")
# Differential privacy for releases: off unless an epsilon is set (see docs/evaluators.md).
STATISTICS_EPSILON = env.float("STATISTICS_EPSILON", default=0.0) or None
STATISTICS_EPSILON_PER_YEAR = env.float("STATISTICS_EPSILON_PER_YEAR", default=12.0)
# Only a demonstration database may be filled with synthetic help-seekers (demo_statistics).
DEMO_DATA = env.bool("DEMO_DATA", default=False)

# --- Help-seekers: sign-in, hashing, limits ---------------------------------------------

HELPSEEKER_COOKIE_NAME = f"{COOKIE_PREFIX}helpseeker"
HELPSEEKER_IDLE_MINUTES = env.int("HELPSEEKER_IDLE_MINUTES", default=60)
HELPSEEKER_ABSOLUTE_HOURS = env.int("HELPSEEKER_ABSOLUTE_HOURS", default=12)
ANSWER_MAX_CHARS = env.int("ANSWER_MAX_CHARS", default=4000)
# The private diary: a note's length, and how many days back a missed day may be filled in.
DIARY_NOTE_MAX_CHARS = env.int("DIARY_NOTE_MAX_CHARS", default=1000)
DIARY_LATE_DAYS = env.int("DIARY_LATE_DAYS", default=6)
if not 0 <= DIARY_LATE_DAYS <= 28:
    raise SystemExit("DIARY_LATE_DAYS must be from 0 to 28 (default 6).")
# "Urge now": how long the page asks the reader to wait before it asks "did the urge pass?".
URGE_WAIT_MINUTES = env.int("URGE_WAIT_MINUTES", default=15)
# Where the "Quick exit" link on every help-seeker page leads: a neutral page elsewhere.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://duckduckgo.com/")
if not QUICK_EXIT_URL.startswith(("https://", "http://")):
    raise SystemExit("QUICK_EXIT_URL must be an http(s) address (default https://duckduckgo.com/).")
# Argon2id for the codename digest (OWASP's minimum: 19 MiB, 2 passes).
CODENAME_ARGON2_MEMORY_KIB = env.int("CODENAME_ARGON2_MEMORY_KIB", default=19_456)
CODENAME_ARGON2_TIME_COST = env.int("CODENAME_ARGON2_TIME_COST", default=2)
# At most this many digests are computed at once per process; others wait this long, then
# are told to try again, so sign-ins cannot be used to exhaust memory.
CODENAME_HASH_CONCURRENCY = env.int("CODENAME_HASH_CONCURRENCY", default=2)
CODENAME_HASH_WAIT_SECONDS = env.float("CODENAME_HASH_WAIT_SECONDS", default=2.0)
# Sign-in budgets (helpseekers.throttle): starting and resuming each have their own, so a
# flood of one never blocks the other; past a budget's burst a request waits its turn, in
# arrival order, up to SIGNIN_WAIT_SECONDS, and is refused only when the queue is longer.
START_GLOBAL_BURST = env.int("START_GLOBAL_BURST", default=30)
START_GLOBAL_PER_SECOND = env.float("START_GLOBAL_PER_SECOND", default=2.0)
RESUME_GLOBAL_BURST = env.int("RESUME_GLOBAL_BURST", default=30)
RESUME_GLOBAL_PER_SECOND = env.float("RESUME_GLOBAL_PER_SECOND", default=5.0)
SIGNIN_WAIT_SECONDS = env.float("SIGNIN_WAIT_SECONDS", default=5.0)
# One browser retrying resume: a small burst, then a few a minute, refused at once.
RESUME_SESSION_BURST = env.int("RESUME_SESSION_BURST", default=5)
RESUME_SESSION_PER_MINUTE = env.float("RESUME_SESSION_PER_MINUTE", default=2.0)
# Where the budgets live: Redis (shared by every web process; the production setting, as in
# docker-compose.yml), or, when empty or unreachable, each process's memory.
THROTTLE_REDIS_URL = env.str("THROTTLE_REDIS_URL", default="")

# --- Cache ------------------------------------------------------------------------------

# Local memory by default (per process). Rendered content has a cache of its own in each
# process ("content"): reading pages never wait on a shared cache, and nothing in it is about
# a person. The sign-in budgets do not use a cache (THROTTLE_REDIS_URL).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "content": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "content",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Each web process re-reads a program's content version (and whether it is published) at most
# this often, so a publish shows everywhere within this many seconds (at once in the process
# that published it), and a cached page costs no database query.
PROGRAM_LOOKUP_SECONDS = env.float("PROGRAM_LOOKUP_SECONDS", default=1.0)

# --- Celery -----------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker (the embedded default) tasks run in the caller, so a laptop needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "purge-inactive-profiles": {
        "task": "helpseekers.tasks.profile_purge_inactive_task",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 60 * 60},
    },
    # Evaluation releases: every hour, the last complete month, quarter and year are released
    # unless they are already (then it is one query). So each is made within the hour after
    # its period ends, and one missed while Redis or the database was away is made within the
    # hour after they return.
    "release-last-month": {
        "task": "analytics.tasks.release_last_period",
        "schedule": crontab(minute=7),
        "args": ("month",),
        "options": {"expires": 50 * 60},
    },
    "release-last-quarter": {
        "task": "analytics.tasks.release_last_period",
        "schedule": crontab(minute=17),
        "args": ("quarter",),
        "options": {"expires": 50 * 60},
    },
    "release-last-year": {
        "task": "analytics.tasks.release_last_period",
        "schedule": crontab(minute=27),
        "args": ("year",),
        "options": {"expires": 50 * 60},
    },
    "end-expired-sessions": {
        "task": "helpseekers.tasks.session_purge_expired_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
}

# --- API --------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "redirection.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["helpseekers.authentication.HelpSeekerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's own, refusing bodies nested too deep or holding what is not text (a 400, never a 500).
    "DEFAULT_PARSER_CLASSES": [
        "redirection.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "redirection.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ReDirection-style self-help program API",
    "DESCRIPTION": "Anonymous self-help modules, progress and aggregate evaluation figures.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this server (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_client_data": {"()": "redirection.logging.ClientDataFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stderr,
            "filters": ["scrub_client_data"],
            "formatter": "plain",
        },
        # A logger that must say nothing gets this, never "handlers": [] (Python would then
        # write to its last-resort handler, which has no filter).
        "silent": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # runserver's request log is not wanted at all: it is an access log.
        "django.server": {"handlers": ["silent"], "level": "ERROR", "propagate": False},
        # Forged Host headers are answered with 400; the record names the forged host.
        "django.security.DisallowedHost": {"handlers": ["silent"], "propagate": False},
    },
}
