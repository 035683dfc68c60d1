"""The data the review page is built from: per-document records and the corpus summary.

Everything here is pure (no files, no HTML) so the numbers the page shows can be unit
tested against the documents' `removed` lists. `Accumulator` is the streaming form of
`summarize`: it sees one document at a time and keeps only counters plus one small index
entry per document, never the documents' text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cleaner.document import Document, Removal

Flag = Literal["", "empty", "half"]

# A removed piece "looks like article text" when it is long prose: many words and at
# least one sentence end. Boilerplate (share bars, bylines, menus) is short or lacks
# sentences; a rule that takes such pieces out deserves a second look.
PROSE_MIN_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?…»”\"']\s+\S|[.!?…]\s*$")


def looks_like_prose(text: str) -> bool:
    """Heuristic used to mark removed pieces that may have been article body."""
    return len(text.split()) >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(text))


@dataclass(frozen=True)
class RuleInfo:
    """One rule of the rule set, so rules that never fired still show in the report."""

    id: str
    kind: str
    where: str  # `rules/sites/x.toml:12`, or the step name for built-in steps


@dataclass(frozen=True)
class Piece:
    """A removed piece, as in the JSON output's `removed` list."""

    rule: str
    where: str
    kind: str
    text: str

    @classmethod
    def from_removal(cls, removal: Removal) -> Piece:
        return cls(rule=removal.rule, where=removal.where, kind=removal.kind, text=removal.text)

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "where": self.where, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class ReportParagraph:
    text: str
    kind: str = "p"  # "p" | "li"
    dropped: Piece | None = None
    is_title: bool = False
    score: float | None = None  # boilerplate classifier's probability of body text, if it ran

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        # Omitted when default: per-document files stay small for big corpora.
        if self.dropped is not None:
            out["dropped"] = self.dropped.as_json()
        if self.is_title:
            out["is_title"] = True
        if self.score is not None:
            out["score"] = round(self.score, 3)
        return out


@dataclass(frozen=True)
class ReportDoc:
    """What the report needs from one cleaned document."""

    source: str
    paragraphs: tuple[ReportParagraph, ...] = ()
    # Removed pieces that are not whole paragraphs (replacements inside a paragraph).
    inline_removed: tuple[Piece, ...] = ()
    title: str | None = None
    date: str | None = None
    author: str | None = None
    language: str | None = None
    site: str | None = None
    url: str | None = None
    original_chars: int = 0
    kept_chars: int = 0
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_document(cls, doc: Document) -> ReportDoc:
        paragraphs = tuple(
            ReportParagraph(
                text=p.text,
                kind=p.kind,
                dropped=Piece.from_removal(p.dropped) if p.dropped is not None else None,
                is_title=p.is_title,
                score=p.score,
            )
            for p in doc.paragraphs
        )
        # doc.removed holds paragraph drops and in-paragraph removals alike; take away one
        # entry per dropped paragraph (multiset, since equal removals can repeat) and what
        # is left was cut from inside a paragraph.
        paragraph_drops = Counter(p.dropped for p in doc.paragraphs if p.dropped is not None)
        inline: list[Piece] = []
        for removal in doc.removed:
            if paragraph_drops[removal] > 0:
                paragraph_drops[removal] -= 1
            else:
                inline.append(Piece.from_removal(removal))
        kept_chars = sum(len(p.text) for p in doc.kept())
        # The document does not keep its raw text, so "original" is what was kept plus all
        # that was removed: then removed share and per-rule character counts agree exactly.
        # The title paragraph is in neither: it moved to metadata, it was not lost.
        removed_chars = sum(len(r.text) for r in doc.removed)
        return cls(
            source=doc.source,
            paragraphs=paragraphs,
            inline_removed=tuple(inline),
            title=doc.title,
            date=doc.date,
            author=doc.author,
            language=doc.language,
            site=doc.site,
            url=doc.url,
            original_chars=kept_chars + removed_chars,
            kept_chars=kept_chars,
            warnings=tuple(doc.warnings),
        )

    def pieces(self) -> list[tuple[int, Piece]]:
        """Every removed piece with its paragraph index (-1: cut from inside a paragraph)."""
        out = [(i, p.dropped) for i, p in enumerate(self.paragraphs) if p.dropped is not None]
        out.extend((-1, piece) for piece in self.inline_removed)
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "language": self.language,
            "site": self.site,
            "url": self.url,
            "original_chars": self.original_chars,
            "kept_chars": self.kept_chars,
            "warnings": list(self.warnings),
            "paragraphs": [p.as_json() for p in self.paragraphs],
            "inline_removed": [p.as_json() for p in self.inline_removed],
        }


@dataclass
class RuleStats:
    id: str
    kind: str
    where: str
    listed: bool  # in the rule set given to the report (False: a built-in step seen firing)
    hits: int = 0
    docs: int = 0
    chars: int = 0
    prose_like: int = 0  # removed pieces that look like article text

    @property
    def fired(self) -> bool:
        return self.hits > 0


@dataclass(frozen=True)
class DocEntry:
    """One row of the document index: small, so thousands fit inline in the page."""

    n: int  # position in the corpus, names the data file `_report/docs/NNNN.js`
    source: str
    title: str | None
    site: str | None
    language: str | None
    original_chars: int
    kept_chars: int
    pieces: int
    prose_like: int
    flag: Flag

    @property
    def removed_share(self) -> float:
        if self.original_chars == 0:
            return 0.0
        return 1 - self.kept_chars / self.original_chars


def doc_flag(original_chars: int, kept_chars: int) -> Flag:
    """`empty`: nothing left; `half`: lost more than half its text. The ones to check first."""
    if kept_chars == 0:
        return "empty"
    if kept_chars * 2 < original_chars:
        return "half"
    return ""


@dataclass
class Summary:
    documents: int
    original_chars: int
    kept_chars: int
    rules: list[RuleStats]  # rule-set order, then unlisted rules/steps in order first seen
    docs: list[DocEntry]

    @property
    def removed_chars(self) -> int:
        return self.original_chars - self.kept_chars

    @property
    def removed_share(self) -> float:
        return self.removed_chars / self.original_chars if self.original_chars else 0.0

    @property
    def empty_docs(self) -> list[DocEntry]:
        return [d for d in self.docs if d.flag == "empty"]

    @property
    def half_docs(self) -> list[DocEntry]:
        """Lost more than half their text but not empty."""
        return [d for d in self.docs if d.flag == "half"]

    @property
    def never_fired(self) -> list[RuleStats]:
        return [r for r in self.rules if not r.fired]

    def rule(self, rule_id: str) -> RuleStats:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


@dataclass
class Accumulator:
    """Streaming `summarize`: feed documents one at a time, read `summary()` at the end."""

    rules: Sequence[RuleInfo]
    _stats: dict[str, RuleStats] = field(init=False)
    _index: dict[str, int] = field(init=False)
    _docs: list[DocEntry] = field(init=False, default_factory=list)
    _original: int = field(init=False, default=0)
    _kept: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._stats = {}
        self._index = {}
        for info in self.rules:
            # First definition wins if an id repeats; ids are meant to be unique.
            if info.id not in self._stats:
                self._insert(RuleStats(id=info.id, kind=info.kind, where=info.where, listed=True))

    def _insert(self, stats: RuleStats) -> RuleStats:
        self._index[stats.id] = len(self._stats)
        self._stats[stats.id] = stats
        return stats

    def rule_index(self, rule_id: str) -> int:
        """Stable index of a rule (names its piece files); valid once the rule was seen."""
        return self._index[rule_id]

    def add(self, doc: ReportDoc) -> DocEntry:
        pieces = doc.pieces()
        touched: set[str] = set()
        prose_total = 0
        for _, piece in pieces:
            stats = self._stats.get(piece.rule)
            if stats is None:
                # Built-in steps (classifier, normalize.*) are not in the rule files.
                stats = self._insert(
                    RuleStats(id=piece.rule, kind=piece.kind, where=piece.where, listed=False)
                )
            stats.hits += 1
            stats.chars += len(piece.text)
            if looks_like_prose(piece.text):
                stats.prose_like += 1
                prose_total += 1
            touched.add(piece.rule)
        for rule_id in touched:
            self._stats[rule_id].docs += 1
        self._original += doc.original_chars
        self._kept += doc.kept_chars
        entry = DocEntry(
            n=len(self._docs),
            source=doc.source,
            title=doc.title,
            site=doc.site,
            language=doc.language,
            original_chars=doc.original_chars,
            kept_chars=doc.kept_chars,
            pieces=len(pieces),
            prose_like=prose_total,
            flag=doc_flag(doc.original_chars, doc.kept_chars),
        )
        self._docs.append(entry)
        return entry

    def summary(self) -> Summary:
        return Summary(
            documents=len(self._docs),
            original_chars=self._original,
            kept_chars=self._kept,
            rules=list(self._stats.values()),
            docs=list(self._docs),
        )


def summarize(docs: Iterable[ReportDoc], rules: Sequence[RuleInfo]) -> Summary:
    """Counts per rule and per document, the flagged documents, and the never-fired rules."""
    acc = Accumulator(rules)
    for doc in docs:
        acc.add(doc)
    return acc.summary()
