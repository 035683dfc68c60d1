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
    # The cheap refusals first, before any list is built: few lines, or a width no
    # wrapping uses (blank lines, of length 0, change neither the count nor the width).
    if len(lines) - lines.count("") < 8:
        return False
    width = max(map(len, lines))
    if not 50 <= width <= 100:
        return False
    long_lines = [len(line) for line in lines if line]
    near_width = sum(1 for n in long_lines if n >= width - 20)
    # Wrapping cuts sentences mid-way: most wrapped lines do not end a sentence, while a
    # dump of one short paragraph per line ends nearly every line with punctuation.
    sentence_ends = sum(1 for line in lines if line.endswith((".", "!", "?", '"', "”", "»")))
    return (
        near_width / len(long_lines) > 0.6
        and statistics.median(long_lines) >= width - 25
        and sentence_ends / len(long_lines) < 0.5
    )


def _paragraph(unit: str, block: int) -> Paragraph:
    """A list item when `unit` is `- ` and some text, else a plain paragraph."""
    # Positional arguments: a keyword call of the dataclass' `__init__` costs twice as much.
    if unit.startswith(LIST_MARKER):
        item = unit[len(LIST_MARKER) :].strip()
        if item:
            return Paragraph(item, "li", None, None, False, block)
    return Paragraph(unit, "p", None, None, False, block)


def _wrapped_units(lines: list[str]) -> list[tuple[str, int]]:
    """(text, block index) of hard-wrapped lines: each run of lines between blank lines
    or list items joined back into one."""
    units: list[tuple[str, int]] = []
    block = 0
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
    return units


def split_paragraphs(text: str) -> list[Paragraph]:
    lines = list(map(str.strip, text.split("\n")))
    if _is_hard_wrapped(lines):
        return [_paragraph(unit, block) for unit, block in _wrapped_units(lines)]
    # One paragraph a non-blank line; a blank line after one starts the next block.
    paragraphs: list[Paragraph] = []
    block = 0
    block_started = False
    for line in lines:
        if line:
            # `_paragraph` spelled out for the common case: a call per line costs more.
            paragraphs.append(_paragraph(line, block) if line.startswith(LIST_MARKER)
                              else Paragraph(line, "p", None, None, False, block))
            block_started = True
        elif block_started:
            block += 1
            block_started = False
    return paragraphs
