"""Codenames: seven words drawn with ``secrets`` from a diceware list (about 90 bits).

Word lists come from the ``diceware`` package: the EFF list for English and lists for
German, Spanish, French and Portuguese. Every word is reduced to plain lowercase ASCII
letters so a codename can be typed on any keyboard; words that collide once reduced are kept
once. Languages without a list of their own use the English one, and the codename page says
that the words are English.

The person reading a codename is trying not to think about children sexually. No word about
children, family roles, school and childcare, sex, bodies, nudity, violence, crime and
punishment, shame and guilt, or drugs, and no slur or obscenity, is ever drawn:
``wordlists/exclude-<lang>.txt`` lists, by category, the stems (a word containing one is left
out) and the exact words that remove them, written for each shipped list by reading it.
What is left must keep ``MIN_LIST_SIZE`` words, so seven words carry at least 89 bits
(7 * log2(7,000) = 89.4).
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

WORDS_PER_CODENAME = 7
MIN_LIST_SIZE = 7000  # 7 words from 7,000 carry 89.4 bits
MAX_WORD_LENGTH = 12
MAX_INPUT_LENGTH = 128
EXCLUSIONS = Path(__file__).resolve().parent / "wordlists"
CATEGORIES = (
    "children",
    "family",
    "school",
    "sexual",
    "body",
    "nudity",
    "violence",
    "crime",
    "shame",
    "drugs",
    "offensive",
)

# Lists shipped by diceware that codenames were once drawn from: still recognised in answers.
RETIRED_WORDLISTS = ("wordlist_de.txt",)
# Lists shipped by diceware, by the language code they serve.
WORDLISTS = {
    "en": "wordlist_en_eff.txt",
    "de": "wordlist_de_8k.txt",
    "es": "wordlist_es.txt",
    "fr": "wordlist_fr.txt",
    "pt": "wordlist_pt-br.txt",
}
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th"})
# Control characters other than tab, line feed and carriage return (which are whitespace).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile(r"[^a-z]+")
# A letter that is not a-z once accents are gone: a look-alike from another script (Cyrillic
# U+0430 for Latin "a"). No codename holds one, so such input is refused before any hashing.
_FOREIGN_LETTER = re.compile(r"(?![a-z])[^\W\d_]")


class CodenameInvalid(ValueError):
    """The input cannot be a codename (too long, control characters, wrong shape)."""


def transliterate(word: str) -> str:
    """Lowercase ASCII letters only: accents dropped, ß → ss; anything else removed."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_SPECIAL))
    return "".join(char for char in decomposed if "a" <= char <= "z")


@dataclass(frozen=True)
class Exclusions:
    """The words a language's list never gives, by category: stems, and exact words."""

    stems: dict[str, tuple[str, ...]]
    words: dict[str, frozenset[str]]

    def category_of(self, word: str) -> str | None:
        """The category that excludes ``word``, or ``None`` when it may be drawn."""
        for category in CATEGORIES:
            if word in self.words.get(category, ()) or any(stem in word for stem in self.stems.get(category, ())):
                return category
        return None


@cache
def exclusions(language: str) -> Exclusions:
    """The exclusions written for ``language``'s list (``wordlists/exclude-<lang>.txt``).

    One entry per line under a ``[category]`` heading: ``stem`` leaves out every word that
    contains it, ``=word`` leaves out only that word. ``#`` starts a comment.
    """
    stems: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    words: dict[str, set[str]] = {category: set() for category in CATEGORIES}
    category = None
    for number, raw in enumerate((EXCLUSIONS / f"exclude-{language}.txt").read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1]
            if category not in CATEGORIES:
                raise ValueError(f"exclude-{language}.txt:{number}: unknown category {category!r}")
            continue
        if category is None:
            raise ValueError(f"exclude-{language}.txt:{number}: an entry before the first [category]")
        for entry in line.split():
            exact = entry.startswith("=")
            word = transliterate(entry.lstrip("="))
            if not word:
                raise ValueError(f"exclude-{language}.txt:{number}: {entry!r} has no letters")
            (words[category].add if exact else stems[category].append)(word)
    return Exclusions(
        stems={category: tuple(found) for category, found in stems.items()},
        words={category: frozenset(found) for category, found in words.items()},
    )


def list_language(language: str) -> str:
    """The language whose word list serves ``language`` (English where there is none)."""
    return language if language in WORDLISTS else "en"


@cache
def wordlist(language: str) -> tuple[str, ...]:
    """The words codenames for ``language`` are drawn from, exclusions removed."""
    source = list_language(language)
    excluded = exclusions(source)
    words = tuple(word for word in _load(WORDLISTS[source]) if excluded.category_of(word) is None)
    if len(words) < MIN_LIST_SIZE:
        raise RuntimeError(f"the {source} word list keeps {len(words)} words, fewer than {MIN_LIST_SIZE}")
    return words


def entropy_bits(language: str) -> float:
    """How many bits a codename for ``language`` carries."""
    return WORDS_PER_CODENAME * math.log2(len(wordlist(language)))


@cache
def _load(name: str) -> tuple[str, ...]:
    """Every usable word of a shipped list, as typed: plain lowercase ASCII letters."""
    text = resources.files("diceware").joinpath("wordlists", name).read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        raw = line.split()[-1] if line.split() else ""
        word = transliterate(raw)
        # Words with digits, very short or long words, and words that collide once reduced
        # to ASCII letters are left out; hyphens simply disappear ("t-shirt" → "tshirt").
        if not any(c.isdigit() for c in raw) and 3 <= len(word) <= MAX_WORD_LENGTH:
            seen.setdefault(word, None)
    return tuple(sorted(seen))


def codename_generate(language: str) -> str:
    """A new codename: seven words separated by spaces."""
    words = wordlist(language)
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODENAME))


def codename_normalise(text: str) -> str:
    """The canonical form used for hashing: lowercase words joined by single spaces.

    Case, whitespace and separators (hyphens, dots, commas…) do not matter. Input over 128
    characters, with control characters or with letters from another script (look-alikes)
    is rejected before any hashing.
    """
    if len(text) > MAX_INPUT_LENGTH:
        raise CodenameInvalid("too long")
    if _CONTROL.search(text):
        raise CodenameInvalid("control characters")
    plain = transliterate_text(text)
    if _FOREIGN_LETTER.search(plain):
        raise CodenameInvalid("letters from another script")
    words = [word for word in _SEPARATORS.split(plain) if word]
    if len(words) != WORDS_PER_CODENAME:
        raise CodenameInvalid("wrong number of words")
    return " ".join(words)


def transliterate_text(text: str) -> str:
    """Like ``transliterate`` but keeping word boundaries."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word a codename can be made of, in any language, excluded words included: a
    codename drawn before a word was excluded must still be recognised."""
    return frozenset(word for name in (*WORDLISTS.values(), *RETIRED_WORDLISTS) for word in _load(name))


def codename_candidates(text: str) -> Iterator[str]:
    """Every run of seven codename-list words in ``text``, normalised like a codename."""
    words = [word for word in _SEPARATORS.split(transliterate_text(text)) if word]
    known = vocabulary()
    for index in range(len(words) - WORDS_PER_CODENAME + 1):
        window = words[index : index + WORDS_PER_CODENAME]
        if all(word in known for word in window):
            yield " ".join(window)
