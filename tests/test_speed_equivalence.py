"""Fast paths of issue 6 against the slow paths they stand in for: each must give exactly
what the slow one gives, so the speed work cannot change an output (goldens aside)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import justext
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document, Paragraph
from cleaner.language import _WORD, JUSTEXT_TO_ISO, _stoplist, _stoplists_dir, _words
from cleaner.normalize import fixes
from cleaner.read import _binary_kind
from cleaner.rules import RuleSet, load_rules
from cleaner.rules.ruleset import _CONTEXT_SENSITIVE, _Prefilter

REPO = Path(__file__).resolve().parent.parent
SHIPPED = load_rules()

# Characters that exercise the gates: line breaks of every kind, bullets, marks after
# spaces, symbols-only lines, CJK, mojibake pieces, word characters.
_ALPHABET = st.sampled_from(
    list("ab Z1\n\r\u2028\u2029\x85\x92•●▪◦‣–*-,.;:!?()'’|»©📍中é\u3000\xa0"))
_TEXT = st.text(_ALPHABET, max_size=80)


def _sample_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((REPO / "raw").glob("*.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
    return [line for line in lines if line]


# --- rules: one call over the document == one call per paragraph ------------------------

TRICKY = [
    "Menu", "Menu Menu", "Share", "Share this article", "2 min read", "© Meta",
    "Privacy Policy", "Privacy Policy | Terms of Use", "April 3, 2024", "By Jane Doe",
    "Subscribe to our newsletter", "", "Menu\u2028Menu", "Tous droits réservés",
    "Celui- this, completely confidential", "a", "Share on", "Facebook",
]


def _prefilters() -> list[_Prefilter]:
    return [p for p in SHIPPED._prefilters.values() if p.document is not None]


@pytest.mark.parametrize("texts", [
    _sample_lines(),
    TRICKY,
    TRICKY[::-1],
    ["Share", "this article", "Share", "Menu", "Menu"],
])
def test_prefilter_document_scan_equals_per_paragraph(texts: list[str]) -> None:
    prefilters = _prefilters()
    assert prefilters  # the shipped rules do get the fast path
    for prefilter in prefilters:
        one_by_one = [prefilter.maybe(text, 1.0) for text in texts]
        assert prefilter.maybe_all(texts, 1.0) == one_by_one


def _with_multiline_members(tmp_path: Path) -> RuleSet:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.toml").write_text(
        "[[rule]]\nid = 'spaces'\nkind = 'drop'\nmatch = 'Share\\s+this\\s+article'\n\n"
        "[[rule]]\nid = 'not-x'\nkind = 'drop'\nmatch = '[^x]{3,12}'\nmax_words = 3\n\n"
        "[[rule]]\nid = 'menu'\nkind = 'drop'\nmatch = 'Menu'\nmax_words = 3\n",
        encoding="utf-8")
    return load_rules([rules], shipped=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*TRICKY, "this article", "xx", "Share this", "article",
                                 "Menu x", "ab\nMenu"]), max_size=12))
def test_prefilter_scan_with_members_that_cross_lines(tmp_path_factory: pytest.TempPathFactory,
                                                      texts: list[str]) -> None:
    rules = _with_multiline_members(tmp_path_factory.mktemp("r"))
    for prefilter in rules._prefilters.values():
        assert prefilter.document is not None
        assert prefilter.maybe_all(texts, 1.0) == [prefilter.maybe(t, 1.0) for t in texts]


def test_context_sensitive_patterns_are_scanned_one_by_one() -> None:
    for pattern in ("^Menu", "Menu$", r"(?<=x)y", r"(?!a)b", r"\AMenu", r"a\Z", r"\X",
                    r"(?1)", r"(?<name>a)", r"(?R)", r"(?&name)", r"\G"):
        assert _CONTEXT_SENSITIVE.search(pattern), pattern
    for pattern in (r"(?i)menu", r"(?ix) a \s b", r"[^x]+", r"\bMenu\b", r"(?:a|b)",
                    r"(?P<name>a)", r"(?>a+)", r"(?i:a)", r"(?-i:a)", r"(?V1)a"):
        assert not _CONTEXT_SENSITIVE.search(pattern), pattern


def _documents() -> list[Document]:
    docs = []
    for path in sorted((REPO / "raw").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
        docs.append(Document(path.name, [Paragraph(line) for line in lines if line],
                             language="en"))
    return docs


def test_rules_apply_the_same_without_the_document_scan() -> None:
    slow = RuleSet(SHIPPED.rules, SHIPPED.fingerprint)
    slow._prefilters = {group: dataclasses.replace(p, document=None)
                        for group, p in slow._prefilters.items()}
    for fast_doc, slow_doc in zip(_documents(), _documents(), strict=True):
        SHIPPED.apply(fast_doc)
        slow.apply(slow_doc)
        assert fast_doc == slow_doc


# --- normalize: each gate only skips work that would change nothing ---------------------

@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fix_gates(text: str) -> None:
    line_breaks = fixes._LINE_BREAKS.sub("\n", text)
    if "\x85" in line_breaks and not fixes._C1_OTHER_THAN_NEL.search(line_breaks):
        line_breaks = line_breaks.replace("\x85", "\n")
    assert fixes.newlines(text) == line_breaks
    assert fixes.bullets(text) == fixes._BULLET.sub("- ", text)
    lines = text.split("\n")
    kept = [line for line in lines if not fixes.is_stray_symbol_line(line)]
    expected = text if len(kept) == len(lines) else (
        fixes._BLANK_RUN.sub("\n\n", "\n".join(kept)).strip("\n"))
    assert fixes.stray_symbol_line(text) == expected


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_space_before_punctuation_gate(text: str) -> None:
    def tighten(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        return "" if before and fixes._WORD_END.match(before) else match.group()

    assert fixes.space_before_punctuation(text) == fixes._SPACES_BEFORE_MARK.sub(tighten, text)


# --- language and read ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("abcXYZ '’-éK\u212a1")), max_size=60))
def test_ascii_tokenizer_equals_unicode_one(text: str) -> None:
    assert _words(text) == _WORD.findall(text.lower().replace("’", "'"))


def test_stoplists_read_directly_equal_justexts() -> None:
    names = [p.stem for p in _stoplists_dir().glob("*.txt")]
    assert set(JUSTEXT_TO_ISO) <= set(names)
    for name in names:
        assert _stoplist(name) == justext.get_stoplist(name), name


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_binary_kind_counts_controls_as_before(data: bytes) -> None:
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    expected = "binary data" if controls / len(sample) > 0.10 else None
    kind = _binary_kind(data)
    assert kind == expected or (kind is not None and kind != "binary data")
