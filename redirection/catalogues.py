"""Compile ``locale/*/LC_MESSAGES/django.po`` to ``.mo`` in Python (Babel), no GNU gettext.

The compiled files are committed, so ``make run`` on a machine without gettext serves every
language; ``tests/redirection/test_catalogues.py`` proves each ``.mo`` equals its ``.po``.
Babel is a development dependency: only translators and tests need it.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings


def catalogue_paths() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def compile_catalogue(po_path: Path) -> bytes:
    """The ``.mo`` bytes for one ``.po`` file (deterministic)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()
