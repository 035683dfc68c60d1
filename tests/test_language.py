"""Language detection: a table of texts (tests/cases/normalize/language.toml) and the samples."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import language, stopword_table
from cleaner.language import (
    _SLOT_BITS,
    _WORD,
    ISO_TO_JUSTEXT,
    TABLES,
    _apostrophes_apart,
    _candidate_stoplists,
    _codes,
    _fold,
    _latin1_slots,
    _slots_from_stoplists,
    _utf8_slots,
    _wide_words,
    detect_language,
    stoplist_name,
    stopwords,
)

HERE = Path(__file__).parent
RAW = HERE.parent / "raw"
CASES: list[dict[str, Any]] = tomllib.loads(
    (HERE / "cases" / "normalize" / "language.toml").read_text(encoding="utf-8")
)["case"]

SAMPLES = {
    "000_41e4d958761b6df8.txt": "fr",
    "001_0f2e79a83c14df18.txt": "fr",
    "002_03abc82231361173.txt": "en",
    "003_aea13656b03e41cc.txt": "en",
    "004_78e1a5b385e1e75c.txt": "en",
}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_detect_language_table(case: dict[str, Any]) -> None:
    # TOML has no null: "" in the table stands for None.
    assert detect_language(case["text"]) == (case["expected"] or None)


@pytest.mark.parametrize("name,expected", sorted(SAMPLES.items()))
def test_detect_language_samples(name: str, expected: str) -> None:
    assert detect_language((RAW / name).read_text(encoding="utf-8")) == expected


def test_stopwords_known_and_unknown() -> None:
    assert "le" in stopwords("fr")
    assert "the" in stopwords("en")
    # Unknown or missing language falls back to English's list.
    assert stopwords("xx") == stopwords("en") == stopwords(None)


def test_stoplist_name() -> None:
    assert stoplist_name("fr") == "French"
    assert stoplist_name("FR") == "French"
    assert stoplist_name("zh") is None
    assert stoplist_name(None) is None


def test_every_mapped_stoplist_exists() -> None:
    for code in ISO_TO_JUSTEXT:
        assert stopwords(code), code


# --- the stored stopword tables ------------------------------------------------------------


@pytest.mark.parametrize("latin", [True, False], ids=["latin", "other"])
def test_stored_stopword_table_is_what_the_stoplists_give(latin: bool) -> None:
    # Fails after a jusText upgrade that changed a stoplist: run
    # scripts/build_stopword_tables.py and check the language goldens.
    codes = [code for code, _ in _candidate_stoplists(latin)]
    expected = stopword_table.dumps(codes, _slots_from_stoplists(latin), _SLOT_BITS)
    assert TABLES[latin].read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("latin", [True, False], ids=["latin", "other"])
def test_stored_stopword_table_reads_back_whole(latin: bool) -> None:
    assert _utf8_slots(latin) == {
        word.encode("utf-8"): bits for word, bits in _slots_from_stoplists(latin).items()
    }
    assert _codes(latin) == tuple(code for code, _ in _candidate_stoplists(latin))
    if latin:
        assert _latin1_slots() == {
            word.encode("latin-1"): bits
            for word, bits in _slots_from_stoplists(True).items()
            if max(word) <= "\xff"
        }


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab Zé'’-.,(́цरि")), max_size=40))
def test_every_token_is_a_word_the_table_may_hold(text: str) -> None:
    # The table leaves out the stopwords `_WORD` does not match whole ("the,"): right
    # because every token it is asked about is a whole match.
    assert all(_WORD.fullmatch(word) for word in _WORD.findall(_fold(text)))


def test_stopword_table_format_round_trips() -> None:
    slots = {"a": 1, "b": 1, "é": 1 << 16, "ść": 1 | 1 << 16, "x'y": 1 << 32}
    text = stopword_table.dumps(["en", "fr", "pl"], slots, 16)
    assert text == "codes\ten fr pl\n0\ta b\t\n0 1\t\tść\n1\té\t\n2\tx'y\t\n"
    with pytest.raises(ValueError):
        stopword_table.dumps(["en"], {"a b": 1}, 16)


# --- apostrophes: joining two letters, or separators -----------------------------------

# Words as `_WORD` sees them in `spaced` text (letters, `'` and spaces; `x` for any letter).
_SPACED_WORD = regex.compile(rb"[^ ']+(?:'[^ ']+)*")


@pytest.mark.parametrize("few", [0, 1000], ids=["scans", "one by one"])
@settings(max_examples=300, deadline=None)
@given(spaced=st.text(st.sampled_from("x '"), max_size=60).map(str.encode))
def test_apostrophes_apart_leaves_only_those_joining_letters(few: int, spaced: bytes) -> None:
    # Both ways, whichever the count of apostrophes picks.
    with mock.patch.object(language, "_FEW_APOSTROPHES", few):
        assert _apostrophes_apart(spaced).split() == _SPACED_WORD.findall(spaced)


# --- the tokenizer for text past Latin-1 ----------------------------------------------------

_WIDE_ALPHABET = list(
    "abZ é'’-. ,\n\t\xa0«1ЦцΣσςİıK\u212aǅß\u0301\u0307\u093f\u0915\ufe0f😀\u2028\ud800中"
)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(_WIDE_ALPHABET), max_size=60))
def test_wide_tokenizer_equals_unicode_one(text: str) -> None:
    words = _wide_words(text)
    if words is not None:
        assert words.decode("utf-8").split() == _WORD.findall(_fold(text))


def test_wide_tokenizer_leaves_only_odd_marks_to_the_regex() -> None:
    assert _wide_words("Привет, мир! «Σοφία» İstanbul’da क़िला") is not None
    assert _wide_words("Ça va 😀\ufe0f bien") is None  # a mark after a separator


def test_lower_casing_keeps_word_characters_and_separators_apart() -> None:
    # What `_wide_words` relies on to find the separators of the folded text among the
    # lower-cased characters of the text.
    word_char = regex.compile(r"[\p{L}\p{M}]")
    for code in range(0x80, 0x110000):
        char = chr(code)
        lowered = char.lower()
        if lowered != char:
            inside = bool(word_char.match(char))
            assert all(bool(word_char.match(c)) == inside for c in lowered), hex(code)
            assert "'" not in lowered and "’" not in lowered, hex(code)
