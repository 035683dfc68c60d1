"""Normalized text -> paragraphs, and the title of a plain-text document.

Add a case: one entry in a table (input -> expected)."""

from __future__ import annotations

import pytest

from cleaner.document import Document, Paragraph
from cleaner.paragraphs import split_paragraphs
from cleaner.title import detect_title

WRAPPED = (
    "The committee met on Tuesday to discuss the proposal that had been put\n"
    "forward by the regional council after months of consultation with the\n"
    "residents of the valley and the owners of the local businesses.\n"
    "\n"
    "Its members agreed that the plan needed more work before a vote could\n"
    "be held, and asked the council to come back with revised figures for\n"
    "the cost of the new road and the bridge over the river next spring.\n"
    "\n"
    "A spokesman said the council would publish the new figures in the\n"
    "autumn, once the engineers had finished their survey of the bridge.\n"
)

SEVEN_LINES = WRAPPED.rstrip("\n").rsplit("\n", 1)[0]
WIDE = "\n".join(line + " and the same again" * 2 for line in WRAPPED.split("\n") if line)

SPLITS = [
    ("one paragraph per line", "First line.\nSecond line.\n\nThird.",
     [("p", "First line."), ("p", "Second line."), ("p", "Third.")]),
    ("list items lose their marker", "Intro:\n- one\n- two\nOutro.",
     [("p", "Intro:"), ("li", "one"), ("li", "two"), ("p", "Outro.")]),
    ("a lone dash is not a list item", "-\nText.", [("p", "-"), ("p", "Text.")]),
    ("hard-wrapped text is joined per block", WRAPPED,
     [("p", " ".join(block.split("\n"))) for block in WRAPPED.strip().split("\n\n")]),
    # Too little to tell wrapping from short paragraphs: fewer than 8 non-blank lines.
    ("seven wrapped lines stay one per line", SEVEN_LINES,
     [("p", line) for line in SEVEN_LINES.split("\n") if line]),
    # No wrapping width is over 100 characters.
    ("lines wider than 100 stay one per line", WIDE,
     [("p", line) for line in WIDE.split("\n") if line]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_split_paragraphs(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.kind, p.text) for p in split_paragraphs(text)] == expected


TITLES = [
    ("headline then body", ["Meta refutes sharing users’ data", "Body sentence."],
     "Meta refutes sharing users’ data"),
    ("question headline", ["Did Netflix read your messages?", "Body."],
     "Did Netflix read your messages?"),
    ("first line is a sentence", ["New documents indicate that Facebook allowed it.", "More."],
     None),
    ("first line ends with a colon", ["Here is what we know:", "More."], None),
    ("list item first", [("li", "A bullet"), "Body."], None),
    ("nothing after it", ["Just a headline"], None),
    ("too long", [" ".join(["word"] * 40), "Body."], None),
]


@pytest.mark.parametrize(("paragraphs", "expected"), [c[1:] for c in TITLES],
                         ids=[c[0] for c in TITLES])
def test_detect_title(paragraphs: list, expected: str | None) -> None:
    doc = Document("x.txt", [Paragraph(p[1], kind=p[0]) if isinstance(p, tuple) else Paragraph(p)
                             for p in paragraphs])
    detect_title(doc)
    assert doc.title == expected
    assert [p.is_title for p in doc.paragraphs][0] == (expected is not None)


def test_blank_lines_give_block_indices() -> None:
    paragraphs = split_paragraphs("Home\nNews\n\n\nTitle\n\nBody one.\nBody two.\n")
    assert [(p.text, p.block) for p in paragraphs] == [
        ("Home", 0), ("News", 0), ("Title", 1), ("Body one.", 2), ("Body two.", 2)]
