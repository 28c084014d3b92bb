"""Reading what people type, without ever raising on it.

Every value from a form or a JSON body is a string a person (or a script) chose. These
helpers answer "is it a whole number in range?" and "is it text that can be stored?" with a
value or ``None``, never an exception, so that no Python error text (with the submitted
value in it) can reach a page or a log.
"""

from __future__ import annotations

import re

# ASCII digits only ("²" and "٣" are digits to str.isdigit, not to int's liking), and few
# enough of them that int() never meets Python's limit on long numbers.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)


def whole_number(raw: str, *, low: int, high: int) -> int | None:
    """``raw`` as an integer from ``low`` to ``high``, or ``None``."""
    text = raw.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def is_storable_text(text: str) -> bool:
    """Whether ``text`` can be stored as UTF-8: a JSON body can carry lone surrogates
    (``"\\ud800"``), which are not text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
