"""Codenames: seven typeable words, about 90 bits, normalised the same way every time."""

import math
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpseekers.codenames import (
    CATEGORIES,
    MAX_INPUT_LENGTH,
    MIN_LIST_SIZE,
    WORDLISTS,
    CodenameInvalid,
    codename_candidates,
    codename_generate,
    codename_normalise,
    entropy_bits,
    exclusions,
    wordlist,
)

LIST_LANGUAGES = list(WORDLISTS)
# Words an audit of generated codenames found, or that a reader of each list flagged: each
# must be left out by its language's categories.
MUST_BE_EXCLUDED = {
    "en": [
        "childcare",
        "preschool",
        "sensually",
        "preteen",
        "grandkid",
        "fondling",
        "grope",
        "seduce",
        "undress",
        "kissable",
        "sensuous",
        "showgirl",
        "thigh",
        "unrobed",
        "handcuff",
        "jailbird",
        "prison",
        "shame",
    ],
    "de": ["baby", "bruder", "abitur", "anal", "bikini", "amok", "anklage", "abscheu", "alkohol", "arisch"],
    "es": ["angelito", "abuelo", "alumno", "adulto", "abdomen", "bikini", "abusado", "atraco", "asco", "cerveza"],
    "fr": ["bambin", "adoption", "cartable", "amour", "abdomen", "bikini", "arme", "bagne", "abject", "alcool"],
    "pt": ["amiguinho", "bisneto", "aluno", "acaricia", "abdome", "desnuda", "abuso", "algema", "culpa", "absinto"],
}


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "pt", "fi", "ar"])
def test_codename_is_seven_lowercase_ascii_words_from_a_big_list(language: str) -> None:
    words = wordlist(language)
    codename = codename_generate(language)

    assert len(codename.split(" ")) == 7
    assert set(codename.replace(" ", "")) <= set(string.ascii_lowercase)
    assert all(word in words for word in codename.split(" "))
    assert len(set(words)) == len(words)


@pytest.mark.parametrize("language", LIST_LANGUAGES)
def test_every_list_keeps_seven_thousand_words_and_89_bits(language: str) -> None:
    assert len(wordlist(language)) >= MIN_LIST_SIZE >= 7000
    assert entropy_bits(language) == 7 * math.log2(len(wordlist(language)))
    assert entropy_bits(language) >= 89


def test_languages_with_their_own_list_use_it_and_others_use_english() -> None:
    assert wordlist("de") != wordlist("en")
    assert wordlist("fi") == wordlist("en")
    assert "aalen" in wordlist("de")


@pytest.mark.parametrize("language", LIST_LANGUAGES)
def test_every_category_is_written_for_every_list(language: str) -> None:
    excluded = exclusions(language)

    for category in CATEGORIES:
        assert excluded.stems[category] or excluded.words[category], (language, category)


@pytest.mark.parametrize("language", LIST_LANGUAGES)
def test_the_words_found_in_audits_are_never_drawn(language: str) -> None:
    for word in MUST_BE_EXCLUDED[language]:
        assert exclusions(language).category_of(word) is not None, word
        assert word not in wordlist(language), word


@pytest.mark.parametrize("language", LIST_LANGUAGES)
def test_codenames_drawn_from_each_list_hold_no_word_of_any_category(language: str) -> None:
    excluded = exclusions(language)

    drawn = {word for _ in range(2000) for word in codename_generate(language).split(" ")}

    assert len(drawn) > 3000
    assert [word for word in drawn if excluded.category_of(word)] == []


def test_a_stem_leaves_out_every_word_containing_it_and_an_exact_entry_only_itself() -> None:
    english = exclusions("en")

    assert english.category_of("grandchild") == "children"
    assert english.category_of("unchildlike") == "children"
    assert english.category_of("childcare") is not None
    assert english.category_of("moonlight") is None


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
