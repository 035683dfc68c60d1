"""Normalized text -> paragraphs.

In a plain-text dump every non-blank line is a paragraph (scrapers write one block per
line), and lines starting with `- ` are list items. The exception is hard-wrapped text
(e-mail style, lines cut near a fixed width): there a paragraph is a run of lines between
blank lines, and we join it back.
"""

from __future__ import annotations

import statistics

from cleaner.document import Paragraph

LIST_MARKER = "- "


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Most lines end near one width and blank lines separate multi-line blocks."""
    long_lines = [len(line) for line in lines if line]
    if len(long_lines) < 8:
        return False
    width = max(long_lines)
    if not 50 <= width <= 100:
        return False
    near_width = sum(1 for n in long_lines if n >= width - 20)
    # Wrapping cuts sentences mid-way: most wrapped lines do not end a sentence, while a
    # dump of one short paragraph per line ends nearly every line with punctuation.
    sentence_ends = sum(1 for line in lines if line.endswith((".", "!", "?", '"', "”", "»")))
    return (
        near_width / len(long_lines) > 0.6
        and statistics.median(long_lines) >= width - 25
        and sentence_ends / len(long_lines) < 0.5
    )


def split_paragraphs(text: str) -> list[Paragraph]:
    lines = [line.strip() for line in text.split("\n")]
    units: list[tuple[str, int]] = []  # (text, block index)
    block = 0
    if _is_hard_wrapped(lines):
        current: list[str] = []
        for line in [*lines, ""]:
            if line and not line.startswith(LIST_MARKER):
                current.append(line)
                continue
            if current:
                units.append((" ".join(current), block))
                current = []
            if line:
                units.append((line, block))
            else:
                block += 1
    else:
        for line in lines:
            if line:
                units.append((line, block))
            elif units and units[-1][1] == block:
                block += 1
    paragraphs = []
    for unit, block_index in units:
        if unit.startswith(LIST_MARKER) and unit[len(LIST_MARKER) :].strip():
            paragraphs.append(Paragraph(unit[len(LIST_MARKER) :].strip(), kind="li",
                                        block=block_index))
        else:
            paragraphs.append(Paragraph(unit, block=block_index))
    return paragraphs
