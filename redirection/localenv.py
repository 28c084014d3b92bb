"""Write ``var/local.env`` for ``make run``: local secrets and laptop-friendly choices.

Run as ``python -m redirection.localenv var/local.env``. An existing file is left alone, so
sessions and codename digests survive restarts.
"""

import secrets
import sys
from pathlib import Path

LOCAL_CHOICES = """\
# Written by `make run` for a local, plain-HTTP run on 127.0.0.1. Not for production.
SECRET_KEY={secret_key}
CODENAME_PEPPER={pepper}
DEBUG=false
ALLOWED_HOSTS=127.0.0.1,localhost,[::1]
COOKIE_SECURE=false
SECURE_SSL_REDIRECT=false
SECURE_HSTS_SECONDS=0
STAFF_REQUIRE_2FA=false
"""


def main(path: str) -> None:
    target = Path(path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(LOCAL_CHOICES.format(secret_key=secrets.token_urlsafe(50), pepper=secrets.token_urlsafe(32)))
    target.chmod(0o600)


if __name__ == "__main__":
    main(sys.argv[1])
