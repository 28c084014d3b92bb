"""A logging filter that removes client addresses and user agents from every record.

Attached to every handler in ``settings.LOGGING`` (and gunicorn's error log), it is the
second line of defence behind ``ClientDataScrubbingMiddleware``: whatever a library logs,
no IP address, user agent or request object reaches a log file.
"""

import logging
import re

REMOVED = "[removed]"

_IPV4 = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
# Covers full, compressed and IPv4-mapped forms; requires at least two colons so that
# times such as 12:30 are left alone.
_IPV6 = r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{1,4})?(?![\w:.])"
# A user-agent string is a run of product/version tokens, almost always starting like this.
_USER_AGENT = r"\b(?:Mozilla|Opera|curl|Wget|python-requests|python-urllib|Go-http-client)/\S+(?:[^\"'\n]*)"

_PATTERN = re.compile("|".join((_USER_AGENT, _IPV4, _IPV6)))

# Attributes that Django and gunicorn attach to records and that carry the whole request.
_REQUEST_ATTRIBUTES = ("request", "remote_addr", "client", "headers")


def scrub(text: str) -> str:
    """Replace every IP address and user-agent string in ``text``."""
    return _PATTERN.sub(REMOVED, text)


class ClientDataFilter(logging.Filter):
    """Rewrite a record so that its message and attributes carry no client data."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break logging
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        for attribute in _REQUEST_ATTRIBUTES:
            if hasattr(record, attribute):
                delattr(record, attribute)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            # The traceback is kept only as scrubbed text.
            record.exc_info = None
        return True
