"""Codenames: seven typeable words, about 90 bits, normalised the same way every time."""

import math
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpseekers.codenames import (
    EXCLUDED_WORDS,
    MAX_INPUT_LENGTH,
    CodenameInvalid,
    codename_candidates,
    codename_generate,
    codename_normalise,
    wordlist,
)


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "pt", "fi", "ar"])
def test_codename_is_seven_lowercase_ascii_words_from_a_big_list(language: str) -> None:
    words = wordlist(language)
    codename = codename_generate(language)

    assert len(codename.split(" ")) == 7
    assert set(codename.replace(" ", "")) <= set(string.ascii_lowercase)
    assert all(word in words for word in codename.split(" "))
    assert 7 * math.log2(len(words)) >= 90
    assert len(set(words)) == len(words)


def test_languages_with_their_own_list_use_it_and_others_use_english() -> None:
    assert wordlist("de") != wordlist("en")
    assert wordlist("fi") == wordlist("en")
    assert "aalen" in wordlist("de")


def test_no_word_about_children_or_sex_is_ever_drawn() -> None:
    for language in ("en", "de", "es", "fr", "pt"):
        assert not EXCLUDED_WORDS & set(wordlist(language)), language
    assert "nappy" not in wordlist("en")


@pytest.mark.parametrize(
    "typed",
    [
        "Alpha Beta Gamma Delta Echo Foxtrot Golf",
        "alpha-beta-gamma-delta-echo-foxtrot-golf",
        "  alpha  beta\tgamma\ndelta, echo. foxtrot golf ",
        "ALPHA_BETA_GAMMA_DELTA_ECHO_FOXTROT_GOLF",
    ],
)
def test_case_whitespace_and_separators_do_not_matter(typed: str) -> None:
    assert codename_normalise(typed) == "alpha beta gamma delta echo foxtrot golf"


@pytest.mark.parametrize(
    "typed",
    [
        "a" * (MAX_INPUT_LENGTH + 1),
        "alpha beta gamma\x00 delta echo foxtrot golf",
        "alpha beta",
        "",
        "one two three four five six seven eight",
    ],
)
def test_malformed_input_is_rejected_before_hashing(typed: str) -> None:
    with pytest.raises(CodenameInvalid):
        codename_normalise(typed)


@given(st.sampled_from(["en", "de", "es", "fr", "pt"]), st.sampled_from([" ", "-", ".", "  ", "_"]))
def test_a_generated_codename_survives_any_separator_and_case(language: str, separator: str) -> None:
    codename = codename_generate(language)

    assert codename_normalise(separator.join(codename.upper().split(" "))) == codename


def test_candidates_find_a_codename_inside_other_words() -> None:
    codename = codename_generate("en")
    text = f"my notes: {codename.replace(' ', '-').upper()} and more"

    assert codename in set(codename_candidates(text))
