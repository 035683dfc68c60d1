"""Title detection for plain text: a scraped article usually starts with its headline.

The first kept paragraph is the title when it reads like one: short, not a list item,
not a sentence ending in `.`/`:`/`,`/`;`, and followed by more body. The same test runs on
our own output, which starts with the title line, so cleaning twice changes nothing.
"""

from __future__ import annotations

from cleaner.document import CLASSIFIER_STEP, Document, Paragraph

MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30
_SENTENCE_ENDINGS = (".", ":", ",", ";", "…")


def looks_like_title(text: str) -> bool:
    stripped = text.strip()
    return (
        0 < len(stripped) <= MAX_TITLE_CHARS
        and len(stripped.split()) <= MAX_TITLE_WORDS
        and not stripped.endswith(_SENTENCE_ENDINGS)
        and any(ch.isalpha() for ch in stripped)
    )


MIN_RESCUED_TITLE_WORDS = 3


def _dropped_just_before_body(doc: Document, first_kept: Paragraph) -> Paragraph | None:
    """The paragraph right above the body, if the classifier dropped it as page furniture:
    in a whole-page dump the headline sits there, and a headline is not boilerplate."""
    index = next(i for i, p in enumerate(doc.paragraphs) if p is first_kept)
    if index == 0:
        return None
    previous = doc.paragraphs[index - 1]
    dropped = previous.dropped
    if dropped is None or dropped.rule != CLASSIFIER_STEP or previous.kind != "p":
        return None
    if len(previous.text.split()) < MIN_RESCUED_TITLE_WORDS:
        return None
    return previous


def detect_title(doc: Document) -> None:
    """Mark the title: the first kept paragraph when it reads like one, else a headline the
    classifier dropped just above the body."""
    if doc.title:
        return
    kept = doc.kept()
    if not kept:
        return
    if len(kept) >= 2 and kept[0].kind == "p" and looks_like_title(kept[0].text):
        kept[0].is_title = True
        doc.title = kept[0].text
        return
    rescued = _dropped_just_before_body(doc, kept[0])
    if rescued is not None and looks_like_title(rescued.text):
        doc.undrop(rescued)
        rescued.is_title = True
        doc.title = rescued.text
