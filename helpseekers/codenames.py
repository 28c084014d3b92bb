"""Codenames: seven words drawn with ``secrets`` from a diceware list (about 90 bits).

Word lists come from the ``diceware`` package: the EFF list for English and lists for
German, Spanish, French and Portuguese, each of 7,776 words (Spanish: the first 7,776 of
8,192). Every word is reduced to plain lowercase ASCII letters so a codename can be typed
on any keyboard; words that collide once reduced are kept once, so the EFF list gives
7,775 words ("yo-yo" and "yoyo" become one): 7 * log2(7,775) = 90.5 bits. A list that
keeps fewer than ``MIN_LIST_SIZE`` words is not used, and the English list is used instead.
A short list of words about children and sexuality is never drawn (``EXCLUDED_WORDS``).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources

WORDS_PER_CODENAME = 7
LIST_SIZE = 7776
MIN_LIST_SIZE = 7700  # 7 words from 7,700 is still 90.3 bits
MAX_WORD_LENGTH = 12
MAX_INPUT_LENGTH = 128

# Lists shipped by diceware, by the language code they serve.
WORDLISTS = {
    "en": "wordlist_en_eff.txt",
    "de": "wordlist_de.txt",
    "es": "wordlist_es.txt",
    "fr": "wordlist_fr.txt",
    "pt": "wordlist_pt-br.txt",
}
# The people who read their codename are trying not to think about children sexually:
# words about children, babies, school, toys, nakedness or kissing are never drawn.
_EXCLUDED_LINES = (
    "baby babies babysit babysitter boy boyhood child childhood childish childlike children cradle crib",
    "cuddle cuddly cuddling daycare diaper doll dollhouse erotic girl girlhood infancy infant juvenile",
    "kid kiddo kids kiss kissing lullaby lust lustful minor naked nappy nude nudist nursery pacifier",
    "playground playpen porn puberty pupil school schoolboy schoolgirl sex sexual sexy stroller teen",
    "teenage teenager toddler toy toys youngster youth kind kinder schule puppe madchen junge nackt kuss",
    "knabe jugend nino nina ninos ninas bebe escuela muneca chico chica desnudo sexo beso infancia enfant",
    "enfants ecole poupee garcon fille nu sexe bisou gamin gamine crianca escola boneca menino menina",
    "beijo",
)
EXCLUDED_WORDS = frozenset(word for line in _EXCLUDED_LINES for word in line.split())
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th"})
# Control characters other than tab, line feed and carriage return (which are whitespace).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile(r"[^a-z]+")


class CodenameInvalid(ValueError):
    """The input cannot be a codename (too long, control characters, wrong shape)."""


def transliterate(word: str) -> str:
    """Lowercase ASCII letters only: accents dropped, ß → ss; anything else removed."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_SPECIAL))
    return "".join(char for char in decomposed if "a" <= char <= "z")


@cache
def wordlist(language: str) -> tuple[str, ...]:
    """The words for ``language`` (English where no usable list exists)."""
    words = _load(WORDLISTS.get(language, WORDLISTS["en"]))
    if len(words) >= MIN_LIST_SIZE:
        return words
    if language == "en":
        raise RuntimeError("the English word list does not give 7,776 usable words")
    return wordlist("en")


def _load(name: str) -> tuple[str, ...]:
    text = resources.files("diceware").joinpath("wordlists", name).read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        raw = line.split()[-1] if line.split() else ""
        word = transliterate(raw)
        # Words with digits, very short or long words, and words that collide once reduced
        # to ASCII letters are left out; hyphens simply disappear ("t-shirt" → "tshirt").
        if word not in EXCLUDED_WORDS and not any(c.isdigit() for c in raw) and 3 <= len(word) <= MAX_WORD_LENGTH:
            seen.setdefault(word, None)
    return tuple(sorted(seen)[:LIST_SIZE])


def codename_generate(language: str) -> str:
    """A new codename: seven words separated by spaces."""
    words = wordlist(language)
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODENAME))


def codename_normalise(text: str) -> str:
    """The canonical form used for hashing: lowercase words joined by single spaces.

    Case, whitespace and separators (hyphens, dots, commas…) do not matter. Input over 128
    characters or with control characters is rejected before any hashing.
    """
    if len(text) > MAX_INPUT_LENGTH:
        raise CodenameInvalid("too long")
    if _CONTROL.search(text):
        raise CodenameInvalid("control characters")
    words = [word for word in _SEPARATORS.split(transliterate_text(text)) if word]
    if len(words) != WORDS_PER_CODENAME:
        raise CodenameInvalid("wrong number of words")
    return " ".join(words)


def transliterate_text(text: str) -> str:
    """Like ``transliterate`` but keeping word boundaries."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word a codename can be made of, in any language."""
    return frozenset(word for language in WORDLISTS for word in wordlist(language))


def codename_candidates(text: str) -> Iterator[str]:
    """Every run of seven codename-list words in ``text``, normalised like a codename."""
    words = [word for word in _SEPARATORS.split(transliterate_text(text)) if word]
    known = vocabulary()
    for index in range(len(words) - WORDS_PER_CODENAME + 1):
        window = words[index : index + WORDS_PER_CODENAME]
        if all(word in known for word in window):
            yield " ".join(window)
