"""Fast paths of issue 6 against the slow paths they stand in for: each must give exactly
what the slow one gives, so the speed work cannot change an output (goldens aside)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from pathlib import Path
from unittest import mock

import hypothesis
import justext
import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.normalize as normalize_module
from cleaner import chars, classify
from cleaner.chars import special_chars
from cleaner.document import Document, Paragraph, Removal
from cleaner.language import (
    _WORD,
    JUSTEXT_TO_ISO,
    _beyond_latin1,
    _candidate_stoplists,
    _fold,
    _is_latin,
    _non_latin_count,
    _script_language,
    _stoplist,
    _stoplists_dir,
    _words,
    detect_language,
)
from cleaner.normalize import damage, fixes
from cleaner.normalize.damage import needs_ftfy
from cleaner.paragraphs import split_paragraphs
from cleaner.read import _binary_kind
from cleaner.rules import KINDS, RuleSet, load_rules
from cleaner.rules.casefold import fold, literal_forms
from cleaner.rules.needs import Needs, needs

REPO = Path(__file__).resolve().parent.parent
SHIPPED = dataclasses.replace(load_rules(), prefilter_after=0)  # prefilter on at once

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


# --- rules: a paragraph a pattern's `Needs` rules out is one the pattern does not match ---

TRICKY = [
    "Menu", "Menu Menu", "Share", "Share this article", "2 min read", "© Meta",
    "Privacy Policy", "Privacy Policy | Terms of Use", "April 3, 2024", "By Jane Doe",
    "Subscribe to our newsletter", "", "Menu\u2028Menu", "Tous droits réservés",
    "Celui- this, completely confidential", "a", "Share on", "Facebook",
    "SHARE THİS ARTİCLE", "ſhare", "Photo: Reuters\nMenu", "PUBLIÉ LE 3 AVRIL 2024",
    "Über Moritz Bachmann", "٣ min read", "12 Shares", "Tags: a, b",
]


def _all_cases(code: int) -> set[int]:
    from regex import _regex  # the module's own case table: what `(?i)` matches

    return set(_regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, code)) | {code}


def test_fold_agrees_with_the_regex_modules_case_insensitivity() -> None:
    """Every character `(?i)` matches with a literal character folds to one of that
    literal's forms: literals are found in the folded text wherever they match."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        for other in _all_cases(code):
            forms = literal_forms(chr(other))
            assert fold(chr(code)).decode() in forms, (hex(code), hex(other))
    assert fold("X\u0130\u212a\u017f\u0131É") == b"xiksi" + "É".encode()


def _pattern_texts() -> list[str]:
    texts = [*_sample_lines(), *TRICKY]
    for rule in SHIPPED.rules:
        for example in (*rule.examples, *rule.counterexamples):
            texts += example
    return texts


def _check_needs(pattern: regex.Pattern[str], whole: bool, texts: list[str]) -> None:
    found = needs(pattern)
    run = pattern.fullmatch if whole else pattern.search
    for text in texts:
        if run(text, timeout=1.0):
            assert found.allows(text, fold(text), whole), (pattern.pattern, text)


def test_shipped_rules_needs_hold_on_samples_and_examples() -> None:
    texts = _pattern_texts()
    for rule in SHIPPED.rules:
        kind = KINDS[rule.kind]
        for key in kind.patterns:
            _check_needs(getattr(rule, key), kind.whole, texts)


def test_shipped_rules_get_the_fast_path() -> None:
    """Most shipped patterns need strings (or a digit): if this drops, a rule edit made the
    pattern unreadable to `needs` and every paragraph pays a regex call for it."""
    gates = SHIPPED._gates
    assert sum(g.needs != Needs() for g in gates) >= len(gates) - 2


# Random patterns over a small alphabet, the syntax `needs` reads and some it refuses.
_PIECES = st.sampled_from([
    "a", "b", "K", "k", "s", "i", "I", "é", "É", "©", "-", " ", "\\.", "\\s", "\\d", "\\w",
    ".", "[ab]", "[^a]", "[a-c]", "[é©]", "\\b", "^", "$", "\\ ", "(?=a)", "(?<!b)", "\\p{Lu}",
    "ſ", "ı", "İ", "1", "(?#c)",
])
_PATTERNS = st.recursive(
    _PIECES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("".join),
        st.tuples(inner, inner).map("|".join),
        inner.map(lambda p: f"(?:{p})"), inner.map(lambda p: f"(?i:{p})"),
        inner.map(lambda p: f"(?P<g>{p})" if "(?P<g>" not in p else p),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "{,2}", "??", "+?",
                                          "*+", "{0,2}?"]))
        .map(lambda t: f"(?:{t[0]}){t[1]}"),
    ),
    max_leaves=8,
)
_FLAGS = st.sampled_from(["", "(?i)", "(?x)", "(?ix)", "(?s)", "(?r)", "(?ri)"])
_SUBJECT = st.text(st.sampled_from(list("abKks iIé©-. 1\n\u212aſıİÉ\xa0٣")), max_size=12)


@settings(max_examples=400, deadline=None)
@given(_FLAGS, _PATTERNS, st.lists(_SUBJECT, max_size=8), st.booleans())
def test_needs_never_rule_out_a_match(flags: str, body: str, texts: list[str], whole: bool
                                      ) -> None:
    try:
        pattern = regex.compile(flags + body)
    except regex.error:
        return
    _check_needs(pattern, whole, texts)


def test_unmodelled_syntax_rules_nothing_out() -> None:
    for source in (r"(?:abc){e<=1}", r"(a)\1", r"a(?i)b", r"(?V1)abc", r"\Gabc", r"ab\Kc",
                   r"(a)?(?(1)b|c)", r"(?f)ss", r"\x41bc", r"a{1, 2}", r"[[:alpha:]]x"):
        assert needs(regex.compile(source)) == Needs(), source


# What `needs` reads off a pattern: the strings it must start with, contain (each factor: one
# of its strings) and end with. Sound is not enough (`Needs()` is sound): these pin that a
# literal stays whole, the part that rules most paragraphs out.
READS = [
    (r"(?i)leave a reply",
     Needs((b"leave a reply",), ((b"leave a reply",),), False, (b"leave a reply",))),
    (r"share on (?:facebook|twitter)",
     Needs((b"share on facebook", b"share on twitter"),
           ((b"share on facebook", b"share on twitter"),), False,
           (b"share on facebook", b"share on twitter"))),
    (r"\d{1,2} min read", Needs(None, ((b" min read",),), True, (b" min read",))),
    (r"(?x) sign \s up (?: \s now)?",
     Needs((b"sign",), ((b"sign",), (b"up",)), False, (b"now", b"up"))),
    (r"(?i)photo:?\s+\w+", Needs((b"photo", b"photo:"), ((b"photo",),), False, None)),
]


@pytest.mark.parametrize(("source", "expected"), READS)
def test_needs_keep_literals_whole(source: str, expected: Needs) -> None:
    assert needs(regex.compile(source)) == expected


def _documents() -> list[Document]:
    docs = []
    for path in sorted((REPO / "raw").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
        docs.append(Document(path.name, [Paragraph(line) for line in lines if line],
                             language="en"))
    docs.append(Document("tricky.txt", [Paragraph(t) for t in TRICKY if t], language="en"))
    return docs


def test_rules_apply_the_same_without_the_prefilter() -> None:
    slow = RuleSet(SHIPPED.rules, SHIPPED.fingerprint, prefilter=False)
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
    assert fixes.bullets(text) == re.sub(r"(?m)^ *(?:[•●▪◦‣–]|\*(?!\*)) +", "- ", text)
    lines = text.split("\n")
    kept = [line for line in lines if not fixes.is_stray_symbol_line(line)]
    assert fixes.stray_symbol_lines(text) == [line for line in lines if line not in kept]
    expected = text if len(kept) == len(lines) else (
        fixes._BLANK_RUN.sub("\n\n", "\n".join(kept)).strip("\n"))
    assert fixes.stray_symbol_line(text) == expected
    stripped = "\n".join(re.sub("  +", " ", line).strip(" \u3000") for line in lines)
    assert fixes.extra_whitespace(text) == re.sub("\n\n\n+", "\n\n", stripped).strip("\n")


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_space_before_punctuation_gate(text: str) -> None:
    def tighten(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        return "" if before and fixes._WORD_END.match(before) else match.group()

    assert fixes.space_before_punctuation(text) == fixes._SPACES_BEFORE_MARK.sub(tighten, text)


# --- language and read ------------------------------------------------------------------

@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("abcXYZ '’-éÉßÿK\u212a1“–Σц\u0301İ\u2160")), max_size=60))
def test_latin1_tokenizer_equals_unicode_one(text: str) -> None:
    words, encoding = _words(text, _beyond_latin1(text))
    assert words.decode(encoding).split() == _WORD.findall(_fold(text))


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


# --- normalize rounds, character gates and language scoring (issue 6, normalize part) -----
# Kept apart from the rule tests above: these hold the fixes to the properties the rounds
# of `normalize` rely on to skip work, and the fast scoring to the plain one.



_RICH = st.lists(st.sampled_from([
    *"ab Z1\n\r\u2028\x85\x92•–*-,.;:!?'’|»©📍中é\u3000\xa0\t\u200b\u200c\u200d\xad&ÃÂ€™\u0301œ",
    "â€™", "Ã©", "&amp;", "👩\u200d💻", " \n", "\n\n\n", "-\n", "x-\ny-\nz", "📍 - 📍 x",
]), max_size=40).map("".join)


def _run(fix: normalize_module.Fix, text: str) -> str:
    return fix(text, language="en") if fix in normalize_module._TAKES_LANGUAGE else fix(text)


@settings(max_examples=500, deadline=None)
@given(_RICH)
def test_claimed_idempotent_fixes_are(text: str) -> None:
    for fix in normalize_module.IDEMPOTENT:
        once = _run(fix, text)
        assert _run(fix, once) == once, fix.__name__


# Lone `Â`/`Ã` words beside mojibake elsewhere, which the whole text repairs and the line
# alone keeps: were `mojibake`'s condition dropped, these would fail.
@hypothesis.example("Â is a letter.\nusersâ€™ data")
@hypothesis.example("Ã bonne heure\nusersâ€™ data")
@settings(max_examples=500, deadline=None)
@given(_RICH)
def test_claimed_line_local_fixes_are(text: str) -> None:
    # Whatever `normalize` takes for line-local on this text (some fixes only on some texts).
    for fix in normalize_module.FIXES:
        if not normalize_module._line_local_on(fix, text):
            continue
        by_line = "\n".join(_run(fix, line) for line in text.split("\n"))
        assert _run(fix, text) == by_line, fix.__name__


def _normalize_without_skipping(text: str, language: str | None) -> normalize_module.Normalized:
    # Every fix run on every round, and final newlines left to the fix that strips them.
    with mock.patch.object(normalize_module, "_known_unchanged", lambda *args: False), \
            mock.patch.object(normalize_module, "_final_newlines_stripped",
                              lambda text: (text, False)):
        return normalize_module.normalize(text, language)


# Final newlines, stripped before the fixes (`_final_newlines_stripped`), behind what the
# fixes before `extra_whitespace` change: a `\r`, a NEL, a lone `Â`, mojibake, spaces.
@hypothesis.example("abc\r\n", None)
@hypothesis.example("\r\n\n", None)
@hypothesis.example("Wait\x85\n", "en")
@hypothesis.example("Â is a letter.\nÂ \n", "fr")
@hypothesis.example("users\u00e2\u20ac\u2122 data \xa0\n\n", None)
@settings(max_examples=500, deadline=None)
@given(_RICH, st.sampled_from([None, "en", "fr"]))
def test_rounds_skip_only_fixes_with_nothing_to_do(text: str, language: str | None) -> None:
    assert normalize_module.normalize(text, language) == _normalize_without_skipping(
        text, language)


def test_rounds_skip_only_fixes_with_nothing_to_do_on_samples() -> None:
    for path in sorted((REPO / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for variant in (text, text.replace("\n", " \n"), text.replace("\n", "\r\n")):
            assert normalize_module.normalize(variant) == _normalize_without_skipping(
                variant, None)


_SPECIAL = st.sampled_from(list("ab Z\n\t\r\x0b\x0c\x01\x7f\x85\xa0éЖ中\u3000📍\ud800\U00010000"))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(  # short texts, and long ones (thousands of special characters)
    st.text(_SPECIAL, max_size=30),
    st.tuples(st.text(_SPECIAL, min_size=1, max_size=30), st.integers(1, 200)).map(
        lambda repeated: repeated[0] * repeated[1]),
))
def test_special_chars_read_as_a_plain_loop_reads_them(text: str) -> None:
    def special(char: str) -> bool:
        return not (" " <= char <= "~" or char == "\n")

    def pairable(char: str) -> bool:
        return special(char) and char not in "\t\x0b\x0c\r"

    found = "".join(sorted({char for char in text if special(char)}))
    paired = any(pairable(a) and pairable(b) for a, b in zip(text, text[1:], strict=False))
    assert chars._read(text) == chars.Specials(found, paired)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, _RICH))
def test_special_chars_vouched_for_by_extra_whitespace_are_its_outputs(text: str) -> None:
    # `extra_whitespace` hands its input's answer on to its output when that input was read.
    special_chars(text)
    fixed = fixes.extra_whitespace(text)
    assert special_chars(fixed) == chars._read(fixed)


@settings(max_examples=500, deadline=None)
@given(_RICH)
def test_mojibake_looked_for_alike_knowing_the_special_characters(text: str) -> None:
    assert damage.looks_like_mojibake(text, special_chars(text).chars) == (
        damage.looks_like_mojibake(text))


@settings(max_examples=500, deadline=None)
@given(_RICH)
def test_needs_ftfy_on_a_line_implies_it_on_the_text(text: str) -> None:
    # What makes `mojibake` line-local: a line it would repair is never skipped whole.
    if any(needs_ftfy(line) for line in text.split("\n")):
        assert needs_ftfy(text)


def _composition_seconds() -> set[str]:
    """The characters NFC may compose with the one before them (quick check Maybe)."""
    seconds = {chr(c) for c in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}  # Hangul
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_nfc_stable_characters_are() -> None:
    # Each is its own NFC, combines with nothing before it and is never reordered: a text
    # of such characters (and ASCII) is in NFC.
    stable = re.compile(f"[{damage.NFC_STABLE}]")
    seconds = _composition_seconds()
    for code in range(0x110000):
        char = chr(code)
        if stable.match(char):
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert unicodedata.combining(char) == 0 and char not in seconds, hex(code)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ae \n\u0301\u1100\u1161\u2126\u2000\u0374Жか\u3099中😀")),
               max_size=12))
def test_needs_ftfy_flags_a_long_text_not_in_nfc(text: str) -> None:
    long = "x" * damage._SHORT + text  # past the length where it reads characters first
    if not unicodedata.is_normalized("NFC", long):
        assert needs_ftfy(long)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ÂÃa \n\t.")), max_size=20))
def test_lone_suspects_found_as_the_plain_pattern_finds_them(text: str) -> None:
    plain = re.compile(r"(?<!\S)([ÂÃ])(?= (?! ))")  # looks back first: tried everywhere
    assert damage._LONE_SUSPECT.split(text) == plain.split(text)


def test_sure_word_chars_are_letters_or_digits() -> None:
    sure = re.compile(f"[{fixes.SURE_WORD_CHARS}]")
    word_char = regex.compile(r"[\p{L}\p{N}]")
    bmp = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert all(word_char.match(c) for c in sure.findall(bmp))


def test_caseless_beyond_latin1_non_letters_lower_to_separators() -> None:
    # `_latin1_words` tokenizes before lower-casing: right only if no character past
    # U+00FF that is not a letter or mark lower-cases into a letter, mark or apostrophe,
    # and Latin-1 letters lower-case to one Latin-1 letter.
    letter_or_mark = regex.compile(r"[\p{L}\p{M}'’]")
    for code in range(0x100, 0x110000):
        char = chr(code)
        if not letter_or_mark.match(char):
            assert not letter_or_mark.search(char.lower()), hex(code)
    for code in range(0x100):
        char = chr(code)
        if regex.match(r"\p{L}", char):
            assert len(char.lower()) == 1 and char.lower() <= "\xff", hex(code)


def _plain_script_language(text: str) -> str | None:
    """`_script_language` as it was written before counting by runs: one string a character."""
    from cleaner.language import MIN_CJK_CHARS

    hangul = len(regex.findall(r"\p{Hangul}", text))
    kana = len(regex.findall(r"[\p{Hiragana}\p{Katakana}]", text))
    han = len(regex.findall(r"\p{Han}", text))
    cjk = hangul + kana + han
    if cjk < MIN_CJK_CHARS or cjk * 3 < len(regex.findall(r"\p{L}", text)):
        return None
    if hangul >= kana + han:
        return "ko"
    return "ja" if kana * 10 >= kana + han else "zh"


def _plain_language(text: str) -> str | None:
    """detect_language as it was written before the fast path: Counter and set lookups."""
    from cleaner.language import MAX_CHARS, MIN_STOPWORD_SHARE, MIN_WORDS

    sample = text[:MAX_CHARS]
    by_script = _plain_script_language(sample)
    if by_script is not None:
        return by_script
    words = _WORD.findall(_fold(sample))
    if len(words) < MIN_WORDS:
        return None
    counts = Counter(words)
    latin = sum(n for word, n in counts.items() if _is_latin(word)) * 2 > len(words)
    lists = _candidate_stoplists(latin)
    hits = [sum(n for word, n in counts.items() if word in stoplist) for _, stoplist in lists]
    best = max(range(len(lists)), key=hits.__getitem__)
    return lists[best][0] if hits[best] / len(words) >= MIN_STOPWORD_SHARE else None


def test_fast_language_scoring_equals_plain_one() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "raw").glob("*.txt"))]
    texts += [line for text in texts for line in text.split("\n") if line.strip()]
    texts += ["Привет, как дела? Это не то, что я думал.", "中文文章\u3000很好", "Ça été ÉTÉ"]
    for text in texts:
        assert detect_language(text) == _plain_language(text), text[:80]


# Words and pieces that make every path of `detect_language` run: stopwords of Latin and
# other lists, Latin-1 and wider Latin letters, CJK of each script (and 〇, 々, a Hangul
# mark: in a script, not letters), marks, apostrophes and separators.
_LANGUAGE_PIECES = st.sampled_from([
    "the", "and", "of", "le", "et", "der", "und", "и", "в", "не", "что", "của", "và", "là",
    "że", "się", "je", "ja", "ist", "où", "çà", "l’homme", "don't", "'", "’", "Ðå", "ǅ",
    "ɐ", "ɏ", "ḁ", "ỹ", "ἀ", "ა", "중", "고", "の", "に", "カ", "中", "文", "〇", "々", "\u302e",
    "\u0301", "😀", "İ", "K", "ß", " ", " ", " ", "\n", ", ", ". ", "«", "—", "1",
])


_LANGUAGE_TEXT = st.one_of(  # pieces glued, or as words
    st.lists(_LANGUAGE_PIECES, max_size=30).map("".join),
    st.lists(_LANGUAGE_PIECES, max_size=30).map(" ".join),
)


@settings(max_examples=1000, deadline=None)
@given(_LANGUAGE_TEXT)
def test_fast_language_equals_plain_one_on_any_text(text: str) -> None:
    assert detect_language(text) == _plain_language(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab 1.\n가각ᄀ\u302eのカー中文〇々\U00020000ÐцK")),
               max_size=40))
def test_script_counted_by_runs_equals_by_characters(text: str) -> None:
    assert _script_language(text, _beyond_latin1(text)) == _plain_script_language(text)


# First characters around the edges of what `_is_latin` calls Latin, and past them.
_FIRST_CHARS = list("aZéÿ\u0100\u023f\u0240\u024f\u0250\u027f\u0280ц中\u1000\u1dff"
                    "\u1e00\u1eff\u1f00\u1fff\u2000😀'")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.sampled_from(_FIRST_CHARS), min_size=1, max_size=3), max_size=20))
def test_non_latin_words_counted_on_utf8_as_by_is_latin(words: list[str]) -> None:
    spaced = "  ".join(words).encode("utf-8")
    assert _non_latin_count(spaced) == sum(not _is_latin(word) for word in words)


# --- paragraphs and the document ----------------------------------------------------------

def _plain_split_paragraphs(text: str) -> list[Paragraph]:
    """`split_paragraphs` for text that is not hard-wrapped, as written before paragraphs
    were built positionally: (text, block) units first, then paragraphs by keyword."""
    units: list[tuple[str, int]] = []
    block = 0
    for line in (line.strip() for line in text.split("\n")):
        if line:
            units.append((line, block))
        elif units and units[-1][1] == block:
            block += 1
    paragraphs = []
    for unit, block_index in units:
        if unit.startswith("- ") and unit[2:].strip():
            paragraphs.append(Paragraph(unit[2:].strip(), kind="li", block=block_index))
        else:
            paragraphs.append(Paragraph(unit, block=block_index))
    return paragraphs


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "- ", "-", " ", "\n", "\n \n", "\xa0", "x.", "-  b"]),
                max_size=30).map("".join))
def test_paragraphs_split_as_before(text: str) -> None:
    assert split_paragraphs(text) == _plain_split_paragraphs(text)


_BODIES = [  # (kept paragraphs as (text, kind), dropped ones, title ones)
    ([], [], []),
    ([("", "p")], [], []),
    ([("", "li")], [], []),
    ([("", "p"), ("", "p")], [], []),
    ([("a", "p")], [("b", "p")], [("T", "p")]),
    ([], [("b", "p")], [("T", "p")]),
    ([], [], [("T", "p")]),
    ([("", "p")], [("b", "p")], []),
]


@pytest.mark.parametrize("kept,dropped,titles", _BODIES)
def test_has_body_is_body_text_not_empty(kept, dropped, titles) -> None:
    removal = Removal("r", "r", "x")
    doc = Document("x", [Paragraph(t, k) for t, k in kept]
                   + [Paragraph(t, k, dropped=removal) for t, k in dropped]
                   + [Paragraph(t, k, is_title=True) for t, k in titles])
    assert doc.has_body() == (doc.body_text() != "")


# Characters of every class `char_classes` tells apart, ASCII and beyond: letters of both
# cases and none (`ª`, 中), title case (ǅ), upper but not a letter (Ⅷ), digits that are
# not decimals (²), numerals that are not digits (½), spaces (NBSP, U+3000, \x1c), marks.
_CLASSED = st.sampled_from(list("aZ09 \t\n\x1c\x0b.,'’éÉßªǅⅧ²½\xa0\u3000中のЖж\u0301🙂\ud800"))


@settings(max_examples=1000, deadline=None)
@given(st.text(_CLASSED, max_size=60))
def test_char_classes_count_as_the_str_tests_do(text: str) -> None:
    letters = [c for c in text if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    assert chars.char_classes(text) == chars.CharClasses(
        alnum=sum(1 for c in text if c.isalnum()),
        space=sum(1 for c in text if c.isspace()),
        cased_letters=len(cased),
        upper_letters=sum(1 for c in cased if c.isupper()),
        digits=sum(1 for c in text if c.isdigit()),
    )


_WORDISH = st.lists(st.sampled_from(["The", "the", "of", "Of", "of", "の", "的", "に", "Ⅷ",
                                     "ǅemal", "élan", "Élan", "12", "a1", "x", "中国"]),
                    max_size=20)


@settings(max_examples=500, deadline=None)
@given(_WORDISH, st.sampled_from([frozenset(), frozenset({"the", "of"}), frozenset({"の"})]))
def test_stopwords_counted_as_a_plain_loop_counts_them(words: list[str],
                                                         stops: frozenset[str]) -> None:
    plain = sum(1 for w in words if w.casefold() in stops or w in classify._CJK_STOPCHARS)
    cjk = any(classify._CJK_CHAR.match(w) for w in words)
    assert classify._stopwords([w.casefold() for w in words], stops, cjk).sum() == plain


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("aZ?!. éÉ1ǅ")), max_size=20))
def test_glued_seam_found_as_the_plain_pattern_finds_it(text: str) -> None:
    plain = regex.compile(r"\p{Ll}{2}\p{Lu}\p{Ll}|\p{Ll}[?!.]\p{Lu}\p{Ll}")
    assert (classify._GLUED.search(text) is None) == (plain.search(text) is None)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("aZ?!. éÉ1ǅΣς\n")), max_size=12), min_size=1,
                max_size=4))
def test_glued_seams_read_off_the_bits_as_the_pattern_finds_them(texts: list[str]) -> None:
    page = classify._Page.of(texts)
    assert page.glued().tolist() == [bool(classify._GLUED.search(t)) for t in texts]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(st.sampled_from(list(".!?。！？…\"'”’»)]」』） \n\t\xa0\x1ca")),
                        max_size=12), min_size=1, max_size=4))
def test_sentence_ends_counted_as_findall_counts_them(texts: list[str]) -> None:
    page = classify._Page.of(texts)
    assert page.sentences().tolist() == [len(classify._SENTENCE_MARK.findall(t)) for t in texts]


@pytest.mark.parametrize("name", ["_LINKISH", "_CAPTION_ANYWHERE", "_NAV_SEPARATOR",
                                  "_CAPTION_START", "_BYLINE", "_URL_ONLY"])
def test_classifier_patterns_prefiltered_by_what_they_need(name: str) -> None:
    # The prefilter must know what these need, or it saves nothing; and never rule out a
    # paragraph the pattern matches (the needs' own property test covers the reading).
    pattern = getattr(classify, name)
    lines = _sample_lines()
    page = classify._Page.of(lines)
    folded = fold(page.joined).decode()
    everywhere = range(len(lines))
    prefixes, factors = classify._needed(pattern)
    if name in ("_CAPTION_START", "_BYLINE", "_URL_ONLY"):  # matched at the start
        assert prefixes
        firsts = fold("".join(line[:1] or "\n" for line in lines)).decode()
        found = classify._matched(pattern, page, folded, firsts, everywhere)
        assert found == [float(bool(pattern.match(line))) for line in lines]
    else:
        assert factors
        found = classify._searched(pattern, page, folded, everywhere)
        assert found == [float(bool(pattern.search(line))) for line in lines]


def _plain_window_sum(v, w: int):
    c = np.concatenate([[0.0], np.cumsum(v)])
    idx = np.arange(len(v))
    return c[np.minimum(idx + w + 1, len(v))] - c[np.maximum(idx - w, 0)]


@pytest.mark.parametrize("rows", [0, 1, 2, 7, 60])
def test_classifier_arrays_computed_as_the_plain_formulas_do(rows: int) -> None:
    # The shipped trees over random pages, against per-element indexing; window sums over
    # all columns at once against one column at a time: equal to the last bit.
    rng = np.random.default_rng(rows)
    model = classify.load_model()
    x = rng.normal(size=(rows, len(classify.FEATURES))) * 3
    trees = model.first
    n_trees, n_inner = trees.feature.shape
    tree, row = np.arange(n_trees)[:, None], np.arange(rows)[None, :]
    node = np.zeros((n_trees, rows), dtype=np.intp)
    for _ in range(int(round(np.log2(n_inner + 1)))):
        node = 2 * node + 1 + (x[row, trees.feature[tree, node]] > trees.threshold[tree, node])
    plain = trees.base + trees.value[tree, node - n_inner].sum(axis=0)
    assert np.array_equal(trees.log_odds(x), plain)

    local = rng.random((rows, len(classify.LOCAL_FEATURES)))
    words = rng.integers(0, 40, rows).astype(float)
    weight = np.log1p(words) + 0.1
    columns = []
    for w in classify._WINDOWS:
        wsum = _plain_window_sum(weight, w) - weight
        for name in classify._CONTEXT_BASE:
            v = local[:, classify.LOCAL_FEATURES.index(name)] * weight
            columns.append((_plain_window_sum(v, w) - v) / np.maximum(wsum, 1e-9))
    got = classify.context_features(local, words)
    assert np.array_equal(got[:, :len(columns)], np.stack(columns, axis=1))
