"""The document scan's bulk answer (`candidates.py`) against the plain one, gate by gate:
a paragraph is a candidate exactly when the gate's `Needs` allow its text and (until a
rule edits it) it has no more words than the gate's tier, whatever the shortcuts taken
(strings found in one pass over the document, then masked by tier; needs a prefix
already satisfies; bit sets)."""

from __future__ import annotations

import dataclasses

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Paragraph
from cleaner.rules import load_rules
from cleaner.rules.candidates import (
    _TIERS,
    DocumentScan,
    Gate,
    GateTable,
    _rest,
    _tier_index,
)
from cleaner.rules.casefold import fold
from cleaner.rules.needs import Needs, needs

SHIPPED = dataclasses.replace(load_rules(), prefilter_after=0)

# Gates that take each path: strings sharing a piece (`[`), a string with a `\n`,
# prefixes that satisfy the factors or not, a digit (alone, or before a common string),
# suffixes (cutting, or checked after another cut, or not for a search), nothing to look
# for, `Needs()`.
_EXTRA = [
    Gate(needs(regex.compile(r"(?i)[\w ]+, (?:ap|afp)")), True, 12),  # cut by suffix
    Gate(needs(regex.compile(r"[\w ]+ news\.?")), True, 30),
    Gate(needs(regex.compile(r"(?i)[\w ]+\.")), True, 12),  # `.`: too common to cut by
    Gate(needs(regex.compile(r"(?i)share[\w ]*!")), True, 12),  # prefix, then suffix
    Gate(needs(regex.compile(r"(?i)via ap")), False),  # a search: no suffix to check
    Gate(needs(regex.compile(r"(?i)\[(?:news|live|video)\] .*")), True, 30),
    Gate(needs(regex.compile(r"(?i)share\n(?:this|that)")), False),
    Gate(needs(regex.compile(r"(?i)(?:more|also) (?:more|news).*")), True, 12),
    # "photo" holds both factors, "media" one: only where "media" alone was found is
    # "caption" looked for.
    Gate(needs(regex.compile(r"(?i)(?:photo|media).*(?:photo|caption)")), True, 30),
    Gate(needs(regex.compile(r"(?i)(?:photo|image): .*\d.*")), True, 60),
    Gate(needs(regex.compile(r"\d+ min read")), True, 8),
    Gate(needs(regex.compile(r"(?i)\d+\.? ?de\b.*")), False, 12),  # digit first: `de` is common
    Gate(needs(regex.compile(r"(?i)by \w+")), True, 45),
    # Short prefixes, a long factor: cut by the factor, the prefixes checked after.
    Gate(needs(regex.compile(r"(?i)(?:we|our)\b.*cookies.*")), True, 30),
    Gate(needs(regex.compile(r".+")), True, 4),
    Gate(needs(regex.compile(r"w[ w]*")), True, 10),
    Gate(needs(regex.compile(r"[ w]*w")), False, 30),
    Gate(Needs(), True, 12),
]
TABLE = GateTable([*SHIPPED._gates, *_EXTRA])

CASES = [
    "Menu", "Share this article", "Share\nthis", "[News] Storm hits", "[LIVE] x", "[ news]",
    "More news here", "Also more", "more", "Photo: AP 2019", "Image: ٣ cats", "3 min read",
    "By Jane Doe", "by", "", "© 2024 Meta. All rights reserved.", "Read more: a / b",
    " ".join(["word"] * 12), " ".join(["word"] * 13), " ".join("w" * 12), " ".join("w" * 13),
    " ".join(["w"] * 30) + " x",
    " ".join(["w"] * 60), " ".join(["w"] * 61), "a\u00a0b\u2003c " * 20, "x" * 200,
    "Subscribe to our newsletter", "Tous droits réservés", "Celui- this", "ſhare",
    "3 de mayo", "de 3", "3 da mayo",
    "Michael Conroy, AP", "Conroy, AP file", "x, AP\nmore", "Storm news.", "Big news",
    "Ends with a dot.", "Share this!", "Share this! Now", "Photo via AP today",
    "Media caption", "Media only", "Social media photo", "photo", "MEDIA: CAPTION",
    "We use cookies", "Our cookies", "We bake", "Cookies we use", "Weird cookies",
]


def _limit(gate: Gate) -> float:
    tier = _tier_index(gate.max_words)
    return _TIERS[tier] if tier < len(_TIERS) else float("inf")


def _expected(gate: Gate, text: str, edited: bool) -> bool:
    if gate.needs == Needs():
        return True
    allowed = gate.needs.allows(text, fold(text), gate.whole)
    return allowed if edited else allowed and len(text.split()) <= _limit(gate)


def _check(texts: list[str], drops: list[int], edits: dict[int, str]) -> None:
    paragraphs = [Paragraph(t) for t in texts]
    scan = DocumentScan(TABLE, list(paragraphs))
    kept = [p for i, p in enumerate(paragraphs) if i not in drops]
    edited = []
    for i, text in edits.items():
        if i not in drops:
            paragraphs[i].text = text
            edited.append(paragraphs[i])
    scan.update([paragraphs[i] for i in drops], edited)
    assert scan.kept == kept
    for number, gate in enumerate(TABLE.gates):
        want = [i for i, p in enumerate(kept)
                if _expected(gate, p.text, any(p is e for e in edited))]
        got = scan.candidates({"match": number})
        assert (got or {"match": []})["match"] == want, (number, gate, texts)


def test_scan_equals_plain_needs_on_cases() -> None:
    _check(CASES, [], {})
    _check(CASES, [0, 3, 7], {})
    _check(CASES, [1], {2: "Share this", 5: "more news", 9: "Photo: x"})
    _check(list(reversed(CASES)), [], {0: "[Video] y", 4: ""})


_WORDS = st.sampled_from([
    "share", "Share", "this", "more", "news", "[news]", "[", "]", "photo", "Image:", "by",
    "3", "٣", "min", "read", "©", "menu", "newsletter", "\n", "x", "ſ", "İ", "a\u00a0b", "de",
    ",", "AP", "!", ".", "via", "we", "We", "cookies",
])
_TEXTS = st.lists(st.lists(_WORDS, max_size=70).map(" ".join), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.data())
def test_scan_equals_plain_needs(texts: list[str], data: st.DataObject) -> None:
    indexes = st.integers(0, max(len(texts) - 1, 0))
    drops = data.draw(st.lists(indexes, max_size=3)) if texts else []
    edits = data.draw(st.dictionaries(indexes, st.sampled_from(CASES), max_size=2)) \
        if texts else {}
    _check(texts, drops, edits)


def test_rest_drops_only_what_the_cut_satisfies() -> None:
    need = Needs((b"more", b"also"), ((b"more", b"also"), (b"news",)), True)
    assert _rest(need, (b"more", b"also")) == Needs(None, ((b"news",),), True)
    assert _rest(need, (b"more", b"x")) == Needs(None, need.factors, True)
    assert _rest(need, (b"a\nb",)) == Needs(None, need.factors, True)  # may straddle

