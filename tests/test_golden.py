"""Every file in raw/ cleans to its golden copy, and cleaning a golden changes nothing.

After an intended change: `clean raw/ clean/ --golden tests/golden --update-golden`, then
read `git diff tests/golden` line by line before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.pipeline import clean_bytes
from cleaner.rules import load_rules
from cleaner.write import render_txt

from .conftest import GOLDEN, RAW

RULES = load_rules()
RAW_FILES = sorted(p for p in RAW.rglob("*") if p.is_file())
GOLDEN_FILES = sorted(GOLDEN.rglob("*.txt"))


def test_every_raw_file_has_a_golden() -> None:
    expected = {p.relative_to(RAW).with_suffix(".txt").as_posix() for p in RAW_FILES}
    assert expected == {p.relative_to(GOLDEN).as_posix() for p in GOLDEN_FILES}


@pytest.mark.parametrize("path", RAW_FILES, ids=lambda p: p.name)
def test_raw_file_cleans_to_its_golden(path: Path) -> None:
    golden = GOLDEN / path.relative_to(RAW).with_suffix(".txt")
    doc = clean_bytes(path.read_bytes(), path.name, RULES)
    assert render_txt(doc) == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_cleaning_a_golden_changes_nothing(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = clean_bytes(text.encode("utf-8"), path.name, RULES)
    assert render_txt(doc) == text
