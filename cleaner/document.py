"""The document that flows through the pipeline, and the record of what was taken out of it.

Every stage reads and returns a `Document`. A stage never deletes a paragraph: it marks it
dropped with a `Removal`, so `--explain`, the JSON `removed` list and the review report
all tell the same story from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["p", "li"]
# The rule name of the boilerplate classifier's drops (a built-in step, not a rule file).
CLASSIFIER_STEP = "classifier"


@dataclass(frozen=True)
class Removal:
    """One piece taken out of a document.

    `rule` is a rule id (`share-widget`) or the name of a built-in step
    (`normalize.stray_symbol_line`, `classifier`); `where` is the rule's `file:line`,
    or the step name again for built-in steps.
    """

    rule: str
    where: str
    text: str
    kind: str = ""  # rule kind (`drop`, `trailer`, ...) or "step"; used to colour the report
    note: str = ""  # why, beyond the rule: the classifier's reason, a replacement's new text

    def as_json(self) -> dict[str, str]:
        record = {"rule": self.rule, "where": self.where, "text": self.text, "kind": self.kind}
        if self.note:
            record["note"] = self.note
        return record


# Slots: a document holds dozens of paragraphs that every stage walks, and slotted
# attributes are quicker to make and to read.
@dataclass(slots=True)
class Paragraph:
    """A unit of body text: one line of a plain-text dump, one block of extracted HTML."""

    text: str
    kind: ParagraphKind = "p"
    dropped: Removal | None = None
    # Boilerplate classifier's probability that this paragraph is article body, if it ran.
    score: float | None = None
    is_title: bool = False
    # Index of the blank-line-separated block of the source text it came from: a dump keeps
    # a page's structure only in its blank lines (a menu is one block of short lines).
    block: int = 0

    @property
    def kept(self) -> bool:
        return self.dropped is None and not self.is_title


@dataclass
class Document:
    source: str  # path relative to RAW (or `shard#record` for container records)
    paragraphs: list[Paragraph] = field(default_factory=list)
    url: str | None = None
    site: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    language: str | None = None
    input_format: Literal["text", "html"] = "text"
    removed: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Names of the normalizer fixes that changed the text, in order (like ftfy's explain).
    fixes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def kept(self) -> list[Paragraph]:
        # `Paragraph.kept` spelled out: the rules ask this list often, and a property call
        # per paragraph costs more than the test itself.
        return [p for p in self.paragraphs if p.dropped is None and not p.is_title]

    def drop(self, paragraph: Paragraph, removal: Removal) -> None:
        """Mark a paragraph dropped and record why; dropping twice keeps the first reason."""
        if paragraph.dropped is None:
            paragraph.dropped = removal
            self.removed.append(removal)

    def undrop(self, paragraph: Paragraph) -> None:
        """Take back a drop (the title rescued from the classifier's "before body")."""
        if paragraph.dropped is not None:
            self.removed = [r for r in self.removed if r is not paragraph.dropped]
            paragraph.dropped = None

    def has_body(self) -> bool:
        """`body_text()` is not empty, told without building it."""
        kept = self.kept()
        # Chunks are joined by a blank line and a list item starts with "- ": only a lone
        # paragraph, itself empty, makes an empty body.
        return len(kept) > 1 or any(p.kind == "li" or p.text for p in kept)

    def body_text(self) -> str:
        """The body as the txt format writes it: paragraphs separated by one blank line,
        consecutive list items one per line as `- item`."""
        chunks: list[str] = []
        in_list = False
        for p in self.kept():
            if p.kind == "li":
                line = "- " + p.text
                if in_list:
                    chunks[-1] += "\n" + line
                else:
                    chunks.append(line)
                in_list = True
            else:
                chunks.append(p.text)
                in_list = False
        return "\n\n".join(chunks)
