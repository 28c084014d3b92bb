"""gunicorn configuration shared by `make run` and the container image.

No access log: an access log is a list of who read what, and behind a clear-web proxy it
would hold client addresses. The error log goes through the same scrubbing filter as
Django's logs.
"""

import os

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, so that a sign-in waiting its turn (helpseekers.throttle: at most
# SIGNIN_WAIT_SECONDS) holds a thread, not a whole worker, and reading pages go on.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Headers from the reverse proxy on the same host or pod; the proxy strips client addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_client_data": {"()": "redirection.logging.ClientDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub_client_data"], "stream": "ext://sys.stderr"},
        # Never "handlers": [] (Python's last-resort handler would write, unfiltered).
        "silent": {"class": "logging.NullHandler"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["silent"], "level": "CRITICAL", "propagate": False},
    },
}
