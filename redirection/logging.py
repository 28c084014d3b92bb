"""A logging filter that removes client data from every record.

Attached to every handler in ``settings.LOGGING`` (and gunicorn's error log), it is the
second line of defence behind ``PrivacyMiddleware``: whatever a library logs, no IP address,
user agent or request object reaches a log file. A traceback keeps its frames (where the
code failed) but not the exception's message, which can quote what a person submitted
("invalid literal for int() with base 10: '…'"): it is logged as the exception's type only.
Loggers that must say nothing use a ``NullHandler``, never an empty handler list (Python
would fall back to its last-resort handler, which has no filter).
"""

import logging
import re
import traceback
from types import TracebackType

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


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` and of what caused it: frames and exception types, no messages."""
    blocks: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        blocks.append(f"Traceback (most recent call last):\n{frames}{type(current).__qualname__}: {REMOVED}\n")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\nwhile handling the exception above:\n\n".join(reversed(blocks)).rstrip("\n")


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
        exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | None = None
        if isinstance(record.exc_info, tuple) and record.exc_info[1] is not None:
            exc_info = record.exc_info
        if exc_info is not None:
            record.exc_text = redacted_traceback(exc_info[1])
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            # The traceback is kept only as scrubbed text.
            record.exc_info = None
        return True
