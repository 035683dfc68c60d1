"""Which paragraphs of one document each rule pattern may match, without running it.

A regex call with a timeout costs microseconds before it matches anything, and a document
has dozens of paragraphs and the rule set dozens of patterns. Each pattern's `Needs` (see
`needs.py`) rules out the paragraphs that lack a string every match contains, or (whole
paragraph patterns) do not start with one of its prefixes:

- prefixes: a paragraph's first one or two bytes find, in one dict lookup each, the few
  patterns with a prefix starting that way; then `bytes.startswith` decides;
- contained strings: one `in` over the document's folded paragraphs joined by `\\n` (only
  those short enough for the rule's `max_words`) says whether any has the string, and
  `find` then visits only the paragraphs that do;
- a digit: one `\\d` search over the joined text, likewise.

Only a paragraph left in is given to the kind, which runs the regex (with its timeout).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import AnyStr, Generic

from cleaner.document import Paragraph
from cleaner.rules.casefold import fold
from cleaner.rules.needs import DIGIT, Needs


@dataclass(frozen=True)
class Gate:
    """One pattern of one rule, as the scan sees it."""

    needs: Needs
    whole: bool  # matched against the whole paragraph (else searched inside it)
    # The rule looks only at paragraphs of at most this many words (`max_words`), so its
    # strings are looked for only in those: short lines are a small part of the text.
    max_words: int | None = None

    @property
    def by_prefix(self) -> bool:
        return self.whole and self.needs.prefixes is not None


class PrefixIndex:
    """The gates that have prefixes, under the first one or two characters of each of
    their prefixes."""

    def __init__(self, gates: Sequence[Gate]) -> None:
        self._by_length: tuple[dict[bytes, list[int]], dict[bytes, list[int]]] = ({}, {})
        for number, gate in enumerate(gates):
            if not gate.by_prefix:
                continue
            assert gate.needs.prefixes is not None
            for prefix in gate.needs.prefixes:
                key = prefix[:2]
                bucket = self._by_length[len(key) - 1].setdefault(key, [])
                if number not in bucket:
                    bucket.append(number)

    def gates(self, folded: bytes) -> list[int]:
        """The gates with a prefix that `folded` may start with (they check it exactly)."""
        one, two = self._by_length
        return [*one.get(folded[:1], ()), *two.get(folded[:2], ())]


class DocumentScan:
    """One document's paragraphs, as rules see them one after the other: `kept` shrinks as
    rules drop paragraphs, and a paragraph a rule edits is looked at again."""

    def __init__(self, gates: Sequence[Gate], index: PrefixIndex,
                 paragraphs: list[Paragraph]) -> None:
        self.gates = gates
        self.kept = paragraphs
        # A paragraph's slot is its place among the paragraphs kept at the start.
        self._slot = {id(p): slot for slot, p in enumerate(paragraphs)}
        self._texts = [p.text for p in paragraphs]
        self._joined = _Joined.of(self._texts)
        self._folded = _Joined.folded(self._texts)
        self._edited: set[int] = set()
        self._positions: dict[int, int] | None = None  # slot -> index in `kept`; None: same
        self._tiers: dict[int | None, tuple[_Joined[bytes], list[int]]] = {}
        self._word_counts: list[int] | None = None
        self._found: dict[int, list[int]] = {}  # gate -> slots it may match, ascending
        for number, gate in enumerate(gates):
            if gate.by_prefix:
                self._found[number] = []
        for slot, folded in enumerate(self._folded.parts):
            for number in index.gates(folded):
                found = self._found[number]
                if (not found or found[-1] != slot) and self._allows(gates[number], slot):
                    found.append(slot)

    def candidates(self, gates: Mapping[str, int]) -> dict[str, list[int]] | None:
        """For each pattern key of a rule (in its kind's order), the indexes in `kept` its
        gate may match; None when the first one may match nothing: no kind acts then."""
        result = {}
        positions = self._positions
        for key, number in gates.items():
            slots = self._slots(number)
            if positions is not None:
                slots = [positions[s] for s in slots if s in positions]
            if not slots and not result:
                return None
            result[key] = slots
        return result

    def update(self, kept: list[Paragraph], edited: Sequence[Paragraph]) -> None:
        """After a rule changed the document: what is kept now, and which texts changed."""
        if len(kept) != len(self.kept):
            self._positions = {self._slot[id(p)]: i for i, p in enumerate(kept)}
        self.kept = kept
        for paragraph in edited:
            slot = self._slot[id(paragraph)]
            self._texts[slot] = paragraph.text
            self._folded.parts[slot] = fold(paragraph.text)
            self._edited.add(slot)

    def _allows(self, gate: Gate, slot: int) -> bool:
        return gate.needs.allows(self._texts[slot], self._folded.parts[slot], gate.whole)

    def _slots(self, number: int) -> list[int]:
        gate = self.gates[number]
        found = self._found.get(number)
        if found is None:
            found = self._found[number] = self._search(gate)
        if not self._edited:
            return found
        # The answer found over the joined text no longer holds for an edited paragraph.
        again = {s for s in self._edited if self._allows(gate, s)}
        return sorted(again.union(s for s in found if s not in self._edited))

    def _search(self, gate: Gate) -> list[int]:
        """The slots a gate without prefixes may match: those holding a string of its first
        factor (or a digit), found over the joined document, then checked in full."""
        if gate.needs.factors:
            joined, members = self._tier(_tier(gate.max_words))
            # Most strings are in no paragraph: one `in` each says so, at C speed.
            present = [s for s in gate.needs.factors[0] if s in joined.text]
            slots = sorted({members[part] for string in present
                            for part in joined.hits(bytes.find, string)})
        elif gate.needs.digit and _tier(gate.max_words) is not None:
            # The few short paragraphs one by one: cheaper than every digit of the text.
            _, members = self._tier(_tier(gate.max_words))
            slots = [s for s in members if DIGIT.search(self._texts[s]) is not None]
        elif gate.needs.digit:
            slots = self._joined.hits(_find_digit, "")
        else:
            return list(range(len(self._texts)))
        return [s for s in slots if self._allows(gate, s)]

    def _words(self) -> list[int]:
        """Each paragraph's words, at most; or more than the largest tier. A text of n
        characters has at most (n + 1) // 2 words, which is under the smallest tier for
        most lines: no need to split them; and splitting stops past the largest tier,
        so an article paragraph costs no more than a short one."""
        if self._word_counts is None:
            self._word_counts = [(len(text) + 1) // 2 if len(text) <= _TIERS[0] * 2 - 1
                                 else len(text.split(None, _TIERS[-1])) for text in self._texts]
        return self._word_counts

    def _tier(self, tier: int | None) -> tuple[_Joined[bytes], list[int]]:
        """The folded paragraphs of at most `tier` words, joined, and their slots."""
        if tier not in self._tiers:
            if tier is None:
                members = list(range(len(self._texts)))
                self._tiers[tier] = self._folded, members
            else:
                members = [s for s, words in enumerate(self._words()) if words <= tier]
                parts = [self._folded.parts[s] for s in members]
                self._tiers[tier] = _Joined(b"\n".join(parts), parts,
                                            _starts(map(len, parts))), members
        return self._tiers[tier]


@dataclass
class _Joined(Generic[AnyStr]):
    """The paragraphs joined by `\\n`, to look for something in all of them in one call."""

    text: AnyStr
    parts: list[AnyStr]
    starts: list[int]  # where each part starts in `text`

    @classmethod
    def of(cls, parts: list[str]) -> _Joined[str]:
        return _Joined("\n".join(parts), parts, _starts(map(len, parts)))

    @classmethod
    def folded(cls, texts: list[str]) -> _Joined[bytes]:
        """The texts `fold`ed: in one call when no text holds a `\\n` of its own (`fold`
        keeps every `\\n`, and every UTF-8 `\\n` byte is one)."""
        joined = "\n".join(texts)
        if joined.count("\n") == len(texts) - 1:
            text = fold(joined)
            parts = text.split(b"\n")
        else:
            parts = [fold(t) for t in texts]
            text = b"\n".join(parts)
        return _Joined(text, parts, _starts(map(len, parts)))

    def hits(self, find: Callable[[AnyStr, AnyStr, int], int], what: AnyStr) -> list[int]:
        """The parts where `find(text, what, start)` finds something. One may be a false
        alarm (a string found across the `\\n` after it): callers check each part alone."""
        starts = self.starts
        found = []
        at = find(self.text, what, 0)
        while at >= 0:
            part = bisect_right(starts, at) - 1
            found.append(part)
            if part + 1 == len(starts):
                break
            at = find(self.text, what, starts[part + 1])  # on to the next part
        return found


_TIERS = (12, 30, 60)  # word limits the joined texts are cut at: few, each one shared


def _tier(max_words: int | None) -> int | None:
    """The smallest tier holding every paragraph of at most `max_words` words."""
    return next((t for t in _TIERS if max_words is not None and max_words <= t), None)


def _starts(lengths: Iterable[int]) -> list[int]:
    """Where each of parts of these lengths starts once they are joined by one byte."""
    return [0, *accumulate(length + 1 for length in lengths)][:-1]


def _find_digit(text: str, _: str, start: int) -> int:
    found = DIGIT.search(text, start)
    return -1 if found is None else found.start()
