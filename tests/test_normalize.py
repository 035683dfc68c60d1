"""Normalization: case tables from tests/cases/normalize/, properties, and the samples."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.normalize import FIXES, FTFY_CONFIG, Normalized, needs_ftfy, normalize, step_name
from cleaner.normalize import fixes as fixes_module
from cleaner.normalize.damage import looks_like_mojibake, split_lone_suspects

HERE = Path(__file__).parent
CASES = HERE / "cases" / "normalize"
RAW = HERE.parent / "raw"
SAMPLES = sorted(RAW.glob("*.txt"))


def load(name: str) -> list[Any]:
    """The cases of one table, each wrapped with its id and, if any, its xfail mark."""
    cases = tomllib.loads((CASES / name).read_text(encoding="utf-8"))["case"]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
    return [
        pytest.param(
            case,
            id=case.get("fix", "") + ("/" if "fix" in case else "") + case["id"],
            marks=[pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else [],
        )
        for case in cases
    ]


# --- tables ------------------------------------------------------------------------


@pytest.mark.parametrize("case", load("fixes.toml"))
def test_fix_table(case: dict[str, Any]) -> None:
    fix = getattr(fixes_module, case["fix"])
    assert fix in FIXES, f"{case['fix']} is not a fix listed in FIXES"
    if "language" in case:
        assert fix(case["input"], language=case["language"]) == case["expected"]
    else:
        assert fix(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", load("mojibake.toml"))
def test_mojibake_table(case: dict[str, Any]) -> None:
    assert fixes_module.mojibake(case["input"]) == case["expected"]
    # the gate must let every damaged case through to ftfy
    if case["input"] != case["expected"]:
        assert needs_ftfy(case["input"])


@pytest.mark.parametrize("case", load("normalize.toml"))
def test_normalize_table(case: dict[str, Any]) -> None:
    result = normalize(case["input"], case.get("language"))
    assert result.text == case["expected"]
    if "fixes" in case:
        assert list(result.fixes) == case["fixes"]
    if "removed" in case:
        assert [list(pair) for pair in result.removed] == case["removed"]
    if "language" in case:
        assert result.language == case["language"]


# --- the API -----------------------------------------------------------------------


def test_normalized_is_frozen() -> None:
    result = normalize("Hello there, this is a test.")
    assert isinstance(result, Normalized)
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]


def test_language_detected_after_encoding_fixes() -> None:
    text = "Le document indique qu'un accÃ¨s sur mesure aux donnÃ©es a Ã©tÃ© fourni."
    assert normalize(text).language == "fr"
    assert normalize(text, "en").language == "en"


def test_fix_names_are_unique_labels() -> None:
    names = [f.__name__ for f in FIXES]
    assert len(names) == len(set(names))
    assert step_name(fixes_module.stray_symbol_line) == "normalize.stray_symbol_line"


def test_every_fix_has_a_docstring_and_a_case() -> None:
    covered = {c.values[0]["fix"] for c in load("fixes.toml")} | {"mojibake"}
    for fix in FIXES:
        assert fix.__doc__ and ">>>" in fix.__doc__, fix.__name__
        assert fix.__name__ in covered, f"no case in fixes.toml for {fix.__name__}"


# --- samples -----------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_invariants(path: Path) -> None:
    result = normalize(path.read_text(encoding="utf-8"))
    text = result.text
    assert normalize(text).text == text, "not idempotent"
    assert "\r" not in text and "\u00a0" not in text and "\t" not in text
    assert "\n\n\n" not in text and text == text.strip()
    for line in text.split("\n"):
        assert line == line.strip(" ")
        assert not line.startswith(("•", "● ", "▪ ")), line


def test_sample_oddities_fixed() -> None:
    en = normalize((RAW / "004_78e1a5b385e1e75c.txt").read_text(encoding="utf-8"))
    assert "in Messenger?" in en.text and "Later, in August" in en.text
    assert "\n© Meta\n" in en.text
    assert "\nTo not miss any news" in en.text
    assert "- A secret agreement" in en.text
    fr = normalize((RAW / "001_0f2e79a83c14df18.txt").read_text(encoding="utf-8"))
    assert fr.language == "fr"
    assert "sur Twitter (X) :" in fr.text
    assert "« accès sur mesure »" in fr.text


# --- properties --------------------------------------------------------------------

# Text rich in what the fixes act on, mixed with arbitrary characters.
_INTERESTING = st.sampled_from(
    list(" \n\r\t\u00a0\u3000\u200b\u200c\u200d\u00ad\ufeff\u2028\x85•–*-|»«.,:;!?")
    + ["Ã©", "â€™", "Â ", "&amp;", "📍 ", "© ", "- ", "infor-\n", "œ", "中", "é", "e\u0301"]
)
_TEXT = st.lists(st.one_of(st.text(max_size=8), _INTERESTING, st.text("aZ ", max_size=5))).map(
    "".join
)
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once.text, once.language).text == once.text


@_SETTINGS
@given(st.text())
def test_normalize_never_raises_on_any_text(text: str) -> None:
    normalize(text)


@_SETTINGS
@given(_TEXT)
def test_gate_flags_whatever_ftfy_would_change(text: str) -> None:
    if ftfy.fix_text(text, FTFY_CONFIG) != text:
        assert needs_ftfy(text)


def _ftfy_with_lone_suspects(text: str) -> str:
    """What `mojibake` must give: ftfy on the whole text, or on the pieces between lone
    `Â`/`Ã` words when it holds some and no other mojibake (mojibake.toml has both)."""
    pieces = split_lone_suspects(text) or [text]
    return "".join(piece if index % 2 else ftfy.fix_text(piece, FTFY_CONFIG)
                   for index, piece in enumerate(pieces))


@_SETTINGS
@given(_TEXT)
def test_mojibake_fix_equals_ftfy_on_newline_normalized_text(text: str) -> None:
    text = fixes_module.newlines(text)
    assert fixes_module.mojibake(text) == _ftfy_with_lone_suspects(text)


# Real mojibake: UTF-8 text read in a single-byte encoding, then damaged the ways pages
# damage it (no-break spaces turned into spaces, lost bytes turned into `?`, `\x1a` or
# U+FFFD).
# `mojibake` decodes most lines itself and leaves the others to ftfy's own step.
_MOJIBAKE_ENCODINGS = ["latin-1", "sloppy-windows-1252", "sloppy-windows-1251",
                       "sloppy-windows-1250", "windows-1252", "macroman", "cp437"]
_DAMAGES = [
    lambda text: text,
    lambda text: text.replace("\xa0", " "),
    lambda text: text.replace("\ufffd", "?"),
    lambda text: text.replace("\ufffd", "\x1a"),
    lambda text: text + " ?",
    lambda text: text + " \ufffd",
]
_WORDS = st.text(st.sampled_from(list("aéèàçüöß’“”€—–…«» \xa0ЖжπΩ中😀?")), min_size=1, max_size=12)


@_SETTINGS
@given(st.lists(_WORDS, min_size=1, max_size=6), st.sampled_from(_MOJIBAKE_ENCODINGS),
       st.sampled_from(_DAMAGES))
def test_mojibake_fix_equals_ftfy_on_real_mojibake(words: list[str], encoding: str,
                                                   damage: Any) -> None:
    text = damage(" ".join(words).encode("utf-8").decode(encoding, errors="replace"))
    text = fixes_module.newlines(text)
    assert fixes_module.mojibake(text) == _ftfy_with_lone_suspects(text)


@_SETTINGS
@given(_TEXT)
def test_fast_badness_check_covers_is_bad(text: str) -> None:
    if any(ftfy.badness.is_bad(line) for line in text.split("\n")):
        assert looks_like_mojibake(text)


# Every character ftfy's badness regex names (its categories' ranges spelled out, and its
# literals), Cyrillic and Greek letters, ASCII letters and spaces: text where its rarer
# alternatives (`вЂ`, `[ВГРС]°[ВГРС]`, `ГўВЂВ.`) turn up often enough to be tried.
_BADNESS_ALPHABET = sorted(
    {chr(c) for c in range(0x80, 0x3000)
     if re.match("[" + "".join(ftfy.badness.MOJIBAKE_CATEGORIES.values()) + "]", chr(c))}
    | {c for c in ftfy.badness.BADNESS_RE.pattern if not c.isascii()}
    | {chr(c) for c in range(0x391, 0x3CA)} | {chr(c) for c in range(0x400, 0x460)}
    | set("aZx .,?!\n")
)
_BADNESS_TEXT = st.lists(
    st.one_of(st.text(st.sampled_from(_BADNESS_ALPHABET), max_size=6),
              st.sampled_from(["вЂ", "ГўВЂВ", "Р°С", "Β°Ο", "Ð°", "Â ", "Ã "]))
).map("".join)


@_SETTINGS
@given(_BADNESS_TEXT)
def test_fast_badness_check_is_is_bad_on_its_own_alphabet(text: str) -> None:
    lines = text.split("\n")
    if any(ftfy.badness.is_bad(line) for line in lines):
        assert looks_like_mojibake(text)
    for line in lines:
        assert looks_like_mojibake(line) == ftfy.badness.is_bad(line), line


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_gate_on_samples_and_their_mojibake(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # what a page gets when its UTF-8 is read as Windows-1252 (keeping the bytes that
    # codec leaves undefined, as browsers do)
    broken = text.encode("utf-8").decode("sloppy-windows-1252")
    assert needs_ftfy(broken)
    assert normalize(broken).text == normalize(text).text
