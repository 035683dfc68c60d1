"""Language detection: a table of texts (tests/cases/normalize/language.toml) and the samples."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from cleaner.language import (
    ISO_TO_JUSTEXT,
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
