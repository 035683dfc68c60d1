"""Title detection for plain text: a scraped article usually starts with its headline.

The first kept paragraph is the title when it reads like one: short, not a list item,
not a sentence ending in `.`/`:`/`,`/`;`, and followed by more body. The same test runs on
our own output, which starts with the title line, so cleaning twice changes nothing.
"""

from __future__ import annotations

from cleaner.document import Document

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


def detect_title(doc: Document) -> None:
    """Mark the first kept paragraph as the title when it reads like one."""
    if doc.title:
        return
    kept = doc.kept()
    if len(kept) < 2 or kept[0].kind != "p" or not looks_like_title(kept[0].text):
        return
    kept[0].is_title = True
    doc.title = kept[0].text
