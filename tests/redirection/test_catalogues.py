"""Every shipped UI catalogue is complete, and its compiled .mo matches its .po."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from redirection.catalogues import catalogue_paths, compile_catalogue

CATALOGUES = catalogue_paths()


def test_every_configured_language_but_english_ships_a_catalogue() -> None:
    shipped = {path.parts[-3] for path in CATALOGUES}

    assert shipped == {code for code, _name in settings.LANGUAGES} - {"en"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_has_no_untranslated_or_fuzzy_message(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)

    assert not catalogue.fuzzy, "the header is marked fuzzy"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == []
    assert len(catalogue) > 50


# Every Python placeholder form: %(name)s, %(count)d, %(value).2f, positional %s and %d,
# and str.format fields {name} / {0}. A literal %% is not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]|\{[\w.]*\}")


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text``, sorted (positional ones count by how often they occur)."""
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%(name)s and %(count)d", ["%(count)d", "%(name)s"]),
        ("%(value).2f%% done, %s of %d", ["%(value).2f", "%d", "%s"]),
        ("{name} and {0}", ["{0}", "{name}"]),
        ("100%% sure, no placeholder", []),
    ],
)
def test_the_placeholder_check_sees_every_python_form(text: str, expected: list[str]) -> None:
    assert placeholders(text) == expected


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_placeholders_survive_translation(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Plural forms may drop the number where a language says "one" in words, so each
        # translation must carry the placeholders of the singular or of the plural.
        allowed = [placeholders(text) for text in ids]
        for string in strings:
            assert placeholders(string) in allowed, (message.id, string)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_shipped_mo_file_matches_its_po_file(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")

    assert mo_path.is_file(), f"{mo_path} is missing: run `make messages`"
    assert mo_path.read_bytes() == compile_catalogue(po_path), f"{mo_path} is stale: run `make messages`"
