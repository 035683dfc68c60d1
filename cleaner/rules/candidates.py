"""Which paragraphs of one document each rule pattern may match, without running it.

A regex call with a timeout costs microseconds before it matches anything, and a document
has dozens of paragraphs and the rule set dozens of patterns. Each pattern's `Needs` (see
`needs.py`) rules out the paragraphs that lack a string every match contains, or (whole
paragraph patterns) do not start or end with one of its prefixes or suffixes:

- prefixes: found by the automaton below as "\\n" + prefix where a paragraph starts (the
  joined text searched with a "\\n" in front), unless a prefix is a short word (`we`)
  and the pattern's first factor a long one (`cookies`): then the factor cuts, and
  `startswith` checks what it leaves;
- suffixes, for a pattern without prefixes whose suffixes are no common line end (`.`):
  found as suffix + "\\n" where a paragraph ends (a "\\n" after the joined text too). A
  string found only at line ends is rarer than anywhere: `AP` ends few lines, where the
  `,` that `agency-credit-only` also needs was found ~25 times a document. Other
  patterns' suffixes are checked with `endswith` in what their first cut leaves;
- contained strings: one Aho-Corasick pass over the document's folded paragraphs joined by
  `\\n` finds every occurrence of every pattern's first string set at once (`ahocorasick_rs`,
  in Rust: one call where there were ~115 `find`s). A string found serves every pattern
  that needs it, in the paragraphs short enough for that rule's `max_words` (see
  `_TIERS`); what a pattern needs beyond the string or prefix it was found by (nothing,
  for the strings holding all of it: `photo` for `photo|media` then `photo|caption`) is
  then checked against the strings a second automaton finds in each such paragraph, once;
- a digit: `bytes.find` of the ASCII digits over the joined text, a `\\d` search per
  paragraph only in a document holding other digits. A pattern that needs a digit and
  otherwise only a string found nearly everywhere (`de`) is cut by the digit first.

Sets of paragraphs are ints used as bit sets (bit `slot` for the paragraph in that slot):
a pattern whose strings are in no paragraph costs one lookup per rule, and dropped
paragraphs are taken out with one `&`. Only a paragraph left in is given to the kind,
which runs the regex (under the rule's time limit, see `deadline.py`).
"""

from __future__ import annotations

import dataclasses
import operator
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate, compress
from typing import TYPE_CHECKING, AnyStr, Generic

from cleaner.document import Paragraph
from cleaner.rules.casefold import fold
from cleaner.rules.needs import DIGIT, Needs

if TYPE_CHECKING:
    from ahocorasick_rs import BytesAhoCorasick


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
        """Cut by the strings every match starts with, found only where a paragraph starts,
        unless one of them is a short word (`a`, `we`, `the`) and a string every match holds
        is long (`cookies`, `copyright`). On the bench corpus, `a` starts one paragraph in
        15 and `the` one in 37, where `cookies` is in one in 330, `copyright` one in 290."""
        prefixes, factors = self.needs.prefixes, self.needs.factors
        return self.whole and prefixes is not None and not (
            factors and min(map(len, factors[0])) >= min(map(len, prefixes)) + _LONGER_BY)

    @property
    def by_suffix(self) -> bool:
        """Cut by the strings every match ends with: found only at a paragraph's end, they
        are rarer than anything it must contain, unless one is a common line end (`.`,
        `!`, one character)."""
        suffixes = self.needs.suffixes
        return (self.whole and not self.by_prefix and suffixes is not None
                and min(map(len, suffixes)) >= 2 and not any(b"\n" in s for s in suffixes))


class GateTable:
    """A rule set's gates, arranged once so that a document's scan finds what every gate
    may match in a few passes: every string found in one pass of an automaton, whatever
    number of gates need it, and a gate whose strings are absent costs nothing more."""

    def __init__(self, gates: Sequence[Gate]) -> None:
        self.gates = list(gates)
        self.tiers = [_tier_index(gate.max_words) for gate in gates]
        # How each gate's first cut is made (see `DocumentScan._first_cut`).
        self.everywhere: list[int] = []  # Needs(): every paragraph (no prefilter)
        self.whole_tier: list[int] = []  # nothing to look for: every paragraph of its tier
        self.by_digit: list[int] = []  # a `\d`, and maybe strings checked after
        # The first automaton's strings, each found in a paragraph, or where one starts (as
        # "\n" + prefix) or ends (suffix + "\n"): by `_ROLES` and string index, the gates
        # whose first cut the string makes, and those of them whose rest factors it holds
        # (a paragraph it is found in needs no more looking at for them).
        index_of: dict[bytes, int] = {}
        self.served: tuple[list[list[int]], ...] = tuple([] for _ in _ROLES)
        self.settled: tuple[list[list[int]], ...] = tuple([] for _ in _ROLES)
        # After the first cut, what is left to check of each gate's needs (a paragraph
        # holding a digit is one bit set for all): none for most.
        self.rest: dict[int, Needs] = {}
        for number, gate in enumerate(gates):
            needs = gate.needs
            if needs == _NOTHING:
                self.everywhere.append(number)
                continue
            cut: tuple[bytes, ...]
            edges: list[bytes]  # the cut's strings as the automaton looks for them
            if gate.by_prefix and needs.prefixes is not None:
                cut, role, edges = needs.prefixes, _STARTS, [b"\n" + p for p in needs.prefixes]
            elif gate.by_suffix and needs.suffixes is not None:
                cut, role, edges = needs.suffixes, _ENDS, [s + b"\n" for s in needs.suffixes]
            elif needs.factors and not (needs.digit and _common(needs.factors[0])):
                cut, role, edges = needs.factors[0], _INSIDE, list(needs.factors[0])
            else:
                # A digit cuts more cheaply than a string found all over a document: the
                # factors are then checked in what is left.
                (self.by_digit if needs.digit else self.whole_tier).append(number)
                cut, role, edges = (), _INSIDE, []
            rest = _rest(needs, cut) if cut else Needs(None, needs.factors)
            for string, edge in zip(cut, edges, strict=True):
                index = index_of.setdefault(edge, len(index_of))
                if index == len(self.served[0]):
                    for by_string in (*self.served, *self.settled):
                        by_string.append([])
                self.served[role][index].append(number)
                if rest.factors and _holds_all(string, rest.factors):
                    self.settled[role][index].append(number)
            rest = dataclasses.replace(rest, prefixes=_starts_left(gate), suffixes=_ends(gate))
            if rest != _NOTHING:
                self.rest[number] = rest
        # The gates narrowed to their rule's word limit (with `Needs()`, the rule's kind
        # checks every paragraph itself: no prefilter).
        self.tiered = [number for number, tier in enumerate(self.tiers)
                       if tier < len(_TIERS) and gates[number].needs != _NOTHING]
        self.strings = list(index_of)
        # By string index (the automaton's pattern number): its roles, as bits.
        self.roles = [sum(1 << role for role in _ROLES if self.served[role][index])
                      for index in range(len(self.strings))]
        self.automaton = _automaton(self.strings)
        # The rest's factors as sets of string numbers in a second automaton, which says in
        # one call every string a paragraph holds (instead of a `find` per string per gate).
        rest_strings: dict[bytes, int] = {}
        self.rest_factors = {
            number: tuple(frozenset(rest_strings.setdefault(string, len(rest_strings))
                                    for string in factor) for factor in rest.factors)
            for number, rest in self.rest.items()
        }
        self.rest_automaton = _automaton(list(rest_strings))


def _automaton(strings: list[bytes]) -> BytesAhoCorasick | None:
    if not strings:
        return None  # also spares importing it: `clean` on one file runs without prefilter
    from ahocorasick_rs import BytesAhoCorasick, Implementation

    # Standard match kind: overlapping matches are found. A DFA, not the default NFA: for
    # the shipped rules' two automata it takes ~4 ms to build (once per run) and ~0.9 MB
    # (the NFAs ~0.1 MB), and finds the same matches a quarter to a third faster (41
    # against 55 µs a document for the first, 33 against 50 µs for the second).
    return BytesAhoCorasick(strings, implementation=Implementation.DFA)


def _starts_left(gate: Gate) -> tuple[bytes, ...] | None:
    """The prefixes left to check of a gate's paragraphs after its first cut: those of a
    whole-paragraph gate cut by something else."""
    return gate.needs.prefixes if gate.whole and not gate.by_prefix else None


def _ends(gate: Gate) -> tuple[bytes, ...] | None:
    """The suffixes left to check of a gate's paragraphs after its first cut: those of a
    whole-paragraph gate not cut by them."""
    return gate.needs.suffixes if gate.whole and not gate.by_suffix else None


def _holds_all(string: bytes, factors: tuple[tuple[bytes, ...], ...]) -> bool:
    """Whether a paragraph holding `string` holds a string of each factor (unless `string`
    has a `\\n`: found over the joined text, it may straddle two paragraphs)."""
    return b"\n" not in string and all(_holds(string, factor) for factor in factors)


def _common(factor: tuple[bytes, ...]) -> bool:
    """Whether a string of `factor` is likely in most paragraphs (`,`, `de`): the automaton
    finds it all over a document, and each occurrence costs a step in Python."""
    return min(map(len, factor)) <= 2


def _rest(needs: Needs, cut: tuple[bytes, ...]) -> Needs:
    """What `needs` asks of a paragraph known to start with or hold a string of `cut`:
    its factors that some string of `cut` does not already satisfy, and the digit. (Found
    over the joined text, a string with a `\\n` may straddle two paragraphs: then all.)"""
    if any(b"\n" in string for string in cut):
        return dataclasses.replace(needs, prefixes=None)
    factors = tuple(factor for factor in needs.factors
                    if not all(_holds(string, factor) for string in cut))
    return Needs(None, factors, needs.digit)


def _holds(string: bytes, factor: tuple[bytes, ...]) -> bool:
    """Whether a paragraph holding `string` holds a string of `factor`."""
    return any(s in string for s in factor)


@dataclass(frozen=True)
class RulesByGate:
    """Rules by the gate of their first pattern, as bit sets (bit `index` for rule `index`).
    A rule has one first pattern, so the sets are disjoint: their sum is their union."""

    ungated: int  # rules without a pattern
    by_gate: tuple[int, ...]  # by gate number: the rules whose first pattern has it

    @classmethod
    def of(cls, first_gates: Sequence[int | None], gates: int) -> RulesByGate:
        by_gate = [0] * gates
        ungated = 0
        for index, number in enumerate(first_gates):
            if number is None:
                ungated |= 1 << index
            else:
                by_gate[number] |= 1 << index
        return cls(ungated, tuple(by_gate))


class DocumentScan:
    """One document's paragraphs, as rules see them one after the other: `kept` shrinks as
    rules drop paragraphs, and a paragraph a rule edits is looked at again.

    A paragraph's slot is its place among the paragraphs kept at the start. What every gate
    may match is worked out at once, as a bit set of slots (bit `slot`)."""

    def __init__(self, table: GateTable, paragraphs: list[Paragraph]) -> None:
        self.table = table
        self.kept = list(paragraphs)  # `update` takes the dropped ones out
        self._paragraphs = paragraphs  # by slot
        self._texts = [p.text for p in paragraphs]
        self.kept_chars = sum(map(len, self._texts))  # characters in the kept paragraphs
        self._folded = _Joined.folded(self._texts)
        self._all = (1 << len(paragraphs)) - 1
        self._kept = self._all  # the slots still kept
        self._slot_of: dict[int, int] | None = None  # id(paragraph) -> slot
        self._edited = 0  # slots whose text a rule changed
        self._digits: int | None = None  # slots holding a digit, once asked
        self._held: dict[int, set[int]] = {}  # slot -> the rest strings it holds, once asked
        # By gate: the slots it may match (texts at start), and those its first cut found by
        # a string holding its rest factors.
        self._masks, settled_by_cut = self._first_cut()
        for number, rest in table.rest.items():
            slots = self._masks[number]
            if slots and rest.prefixes:
                slots = self._edging(bytes.startswith, rest.prefixes, slots)
            if slots and rest.suffixes:
                slots = self._edging(bytes.endswith, rest.suffixes, slots)
            if slots and rest.digit:
                slots &= self._digit_slots()
            if slots and rest.factors:
                settled = settled_by_cut.get(number, 0) & slots
                if settled != slots:
                    slots = settled | self._checked(number, slots & ~settled)
            self._masks[number] = slots

    @property
    def folded_text(self) -> bytes:
        """The `fold` of the paragraphs as they came, joined by `\\n`."""
        return self._folded.text

    def may_act(self, rules: RulesByGate) -> int:
        """The rules that may match a paragraph, as a bit set (bit `index`): `candidates` is
        None for the others, until a rule edits a paragraph."""
        masks, kept = self._masks, self._kept
        if kept == self._all:  # every gate's slots are kept ones: nonzero is enough
            return rules.ungated | sum(compress(rules.by_gate, masks))
        return rules.ungated | sum(bits for bits, slots in zip(rules.by_gate, masks, strict=True)
                                   if slots & kept)

    def candidates(self, gates: Mapping[str, int]) -> dict[str, list[int]] | None:
        """For each pattern key of a rule (in its kind's order), the indexes in `kept` its
        gate may match; None when the first one may match nothing: no kind acts then."""
        result = {}
        for key, number in gates.items():
            slots = self._masks[number]
            if self._edited:
                slots = self._recheck_edited(number, slots)
            slots &= self._kept
            if not slots and not result:
                return None
            result[key] = self._indexes(slots)
        return result

    def update(self, dropped: Sequence[Paragraph], edited: Sequence[Paragraph]) -> None:
        """After a rule changed the document: the paragraphs it dropped and edited."""
        if not dropped and not edited:
            return
        if self._slot_of is None:
            paragraphs = self._paragraphs
            self._slot_of = dict(zip(map(id, paragraphs), range(len(paragraphs)), strict=True))
        slot_of = self._slot_of
        # From the last one: a kept slot's index in `kept` is the number of kept slots
        # before it, which dropping a later one leaves as it was.
        for slot in sorted({slot_of[id(p)] for p in dropped}, reverse=True):
            if self._kept >> slot & 1:
                self.kept_chars -= len(self._texts[slot])
                del self.kept[(self._kept & ((1 << slot) - 1)).bit_count()]
                self._kept &= ~(1 << slot)
        for paragraph in edited:
            slot = slot_of[id(paragraph)]
            if self._kept >> slot & 1:
                self.kept_chars += len(paragraph.text) - len(self._texts[slot])
            self._texts[slot] = paragraph.text
            self._folded.parts[slot] = fold(paragraph.text)
            self._edited |= 1 << slot

    def _indexes(self, slots: int) -> list[int]:
        """The indexes in `kept` of these (kept) slots, ascending: how many kept slots
        come before each."""
        found = _members(slots)
        kept = self._kept
        if kept == self._all:
            return found
        return [(kept & ((1 << slot) - 1)).bit_count() for slot in found]

    def _recheck_edited(self, number: int, slots: int) -> int:
        """What was found over the joined text no longer holds for an edited paragraph."""
        gate = self.table.gates[number]
        for slot in _members(self._edited):
            if self._allows(gate, slot):
                slots |= 1 << slot
            else:
                slots &= ~(1 << slot)
        return slots

    def _allows(self, gate: Gate, slot: int) -> bool:
        return gate.needs.allows(self._texts[slot], self._folded.parts[slot], gate.whole)

    def _edging(self, edge: Callable[[bytes, tuple[bytes, ...]], bool],
                strings: tuple[bytes, ...], slots: int) -> int:
        """Of these slots, those whose text starts (`bytes.startswith`) or ends
        (`bytes.endswith`) with one of `strings` (`fold`ed)."""
        parts = self._folded.parts
        for slot in _members(slots):
            if not edge(parts[slot], strings):
                slots &= ~(1 << slot)
        return slots

    def _checked(self, number: int, slots: int) -> int:
        """Of these slots, those holding a string of each of gate `number`'s rest factors
        (`GateTable.rest_factors`)."""
        held, parts = self._held, self._folded.parts
        factors = self.table.rest_factors[number]
        find_all = self.table.rest_automaton.find_matches_as_indexes  # type: ignore[union-attr]
        for slot in _members(slots):
            strings = held.get(slot)
            if strings is None:
                strings = held[slot] = set(map(_FIRST, find_all(parts[slot], overlapping=True)))
            for factor in factors:
                if factor.isdisjoint(strings):
                    slots &= ~(1 << slot)
                    break
        return slots

    def _first_cut(self) -> tuple[list[int], dict[int, int]]:
        """For each gate, the slots of its tier that start with one of its prefixes, or hold
        a string of its first factor, or a digit (whichever it has, in that order); and for
        the gates with rest factors, the slots found by a string that holds them all."""
        table = self.table
        masks = [0] * len(table.gates)
        for number in (*table.everywhere, *table.whole_tier):
            masks[number] = self._all
        if table.by_digit:
            digits = self._digit_slots()
            for number in table.by_digit:
                masks[number] = digits
        settled: dict[int, int] = {}
        if table.automaton is not None:
            for role, slots_of in enumerate(self._string_slots(table.automaton)):
                served, settles = table.served[role], table.settled[role]
                for string, slots in slots_of.items():
                    for number in served[string]:
                        masks[number] |= slots
                    for number in settles[string]:
                        settled[number] = settled.get(number, 0) | slots
        # Then each gate's tier: words are counted only in the paragraphs some gate of a
        # word-limited tier may match, a few of the document's.
        if table.tiered:
            tiers = _tiers(self._texts, reduce(int.__or__, [masks[n] for n in table.tiered]))
            for number in table.tiered:
                masks[number] &= tiers[table.tiers[number]]
        return masks, settled

    def _string_slots(self, automaton: BytesAhoCorasick) -> tuple[dict[int, int], ...]:
        """By role (`_ROLES`), for each string found in that role (by its index in
        `GateTable.strings`), the slots it was found in: holding it (a match across a `\\n`
        counts for the paragraph it starts in, and one at the `\\n` put in front for the
        first: see `_rest`), or starting or ending with it (a "\\n" + prefix found right where
        a paragraph starts, a suffix + "\\n" right where one ends)."""
        inside: dict[int, int] = {}
        starting: dict[int, int] = {}
        ending: dict[int, int] = {}
        text, starts, roles = self._folded.text, self._folded.starts, self.table.roles
        after_last = len(text) + 1  # where a paragraph after the last would start
        # Positions in the text with a "\n" in front: `at - 1` in the joined text.
        for string, at, end in automaton.find_matches_as_indexes(b"\n" + text + b"\n",
                                                                  overlapping=True):
            role = roles[string]
            if role & _INSIDE_BIT:
                inside[string] = (inside.get(string, 0)
                                  | 1 << max(bisect_right(starts, at - 1) - 1, 0))
            if role & _STARTS_BIT:
                slot = bisect_right(starts, at) - 1
                if starts[slot] == at:  # not a "\\n" inside a paragraph
                    starting[string] = starting.get(string, 0) | 1 << slot
            if role & _ENDS_BIT:
                # The "\\n" the match ends with is at `end - 2` in the joined text: is it
                # where the paragraph it falls in ends (the next starts, or the text ends)?
                newline = end - 2
                slot = bisect_right(starts, newline) - 1
                if newline + 1 == (starts[slot + 1] if slot + 1 < len(starts) else after_last):
                    ending[string] = ending.get(string, 0) | 1 << slot
        return inside, starting, ending

    def _digit_slots(self) -> int:
        """The slots whose text holds a `\\d` (asked at the start, while `_folded` is the fold
        of every text). ASCII digits, which `fold` keeps, are found by `bytes.find` on the
        text with every digit made a `1`: the `regex` module's `\\d` search reads ~100 MB/s,
        the slowest part of the scan. Other digits (`٣`) only where the document has some."""
        if self._digits is None:
            assert not self._edited, "digits are looked for in the texts as they came"
            folded = self._folded
            marked = _Joined(folded.text.translate(_DIGITS_AS_ONE), folded.parts, folded.starts)
            digits = _bits(marked.hits(bytes.find, b"1"))
            if not folded.text.isascii() and DIGIT.search(
                    folded.text.translate(None, _ASCII).decode("utf-8", "surrogatepass")):
                digits |= _bits(_Joined.of(self._texts).hits(_find_digit, ""))
            self._digits = digits
        return self._digits


def _tiers(texts: list[str], slots: int) -> list[int]:
    """For each tier below the last, the slots among `slots` whose texts have at most that
    many words, as a bit set. A text of n characters has at most (n + 1) // 2 words, which
    puts most lines in the first tier without splitting them; and splitting stops past the
    largest tier, so an article paragraph costs no more than a short one."""
    bands = [0] * len(_TIERS)
    short, largest, tier_of = _TIERS[0] * 2 - 1, _TIERS[-1], _TIER_OF_WORDS
    for slot in _members(slots):
        text = texts[slot]
        tier = 0 if len(text) <= short else tier_of[len(text.split(None, largest))]
        if tier < len(_TIERS):
            bands[tier] |= 1 << slot
    return list(accumulate(bands, int.__or__))


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


# Word limits the joined texts are cut at: few, each one shared. Tier i holds the
# paragraphs of at most `_TIERS[i]` words; tier `len(_TIERS)` holds them all.
_TIERS = (12, 30, 60)
# See `Gate.by_prefix`: a factor this much longer than a prefix is rarer anywhere than
# the prefix at the start of a paragraph.
_LONGER_BY = 3
_NOTHING = Needs()
# How a string of the first automaton cuts (`GateTable.served`): found in a paragraph, where
# one starts (a prefix, looked for as "\n" + prefix), or where one ends (suffix + "\n").
_ROLES = _INSIDE, _STARTS, _ENDS = range(3)
_INSIDE_BIT, _STARTS_BIT, _ENDS_BIT = (1 << role for role in _ROLES)


def _tier_index(words: int | None) -> int:
    """The smallest tier holding every paragraph of at most `words` words."""
    if words is None:
        return len(_TIERS)
    return next((i for i, tier in enumerate(_TIERS) if words <= tier), len(_TIERS))


_TIER_OF_WORDS = [_tier_index(words) for words in range(_TIERS[-1] + 2)]


def _bits(slots: Iterable[int]) -> int:
    """These slots as a bit set."""
    return sum(map(_BIT, set(slots)))


_BIT = (1).__lshift__
_FIRST = operator.itemgetter(0)  # a match's string


def _members(slots: int) -> list[int]:
    """The slots in a bit set, ascending."""
    found = []
    while slots:
        low = slots & -slots
        found.append(low.bit_length() - 1)
        slots ^= low
    return found


def _starts(lengths: Iterable[int]) -> list[int]:
    """Where each of parts of these lengths starts once they are joined by one byte."""
    starts = list(accumulate(map(_PLUS_ONE, lengths), initial=0))
    starts.pop()
    return starts


_PLUS_ONE = (1).__add__


# Each byte -> `1` for an ASCII digit, `0` for any other (see `_digit_slots`).
_DIGITS_AS_ONE = bytes(ord("1") if chr(b).isdigit() and b < 0x80 else ord("0")
                       for b in range(256))
_ASCII = bytes(range(0x80))


def _find_digit(text: str, _: str, start: int) -> int:
    found = DIGIT.search(text, start)
    return -1 if found is None else found.start()
