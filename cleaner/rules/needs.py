"""What a paragraph must contain for a rule's regex to match it: `Needs`, read off the regex.

Most paragraphs are article text that no rule matches, and a regex call with a timeout costs
microseconds before it even starts. `needs(pattern)` reads the pattern once and returns
literal strings every match must contain (and, for whole-paragraph matches, start and end
with), so `startswith`/`endswith`/`in` over the document rule out most paragraphs without a
regex call (see `candidates.py`). A `\\d` every match holds is noted too: dates have few literals.

Exactness: a `Needs` is only ever a *necessary* condition. Literals are looked for in the
`fold`ed text in every form `(?i)` could match them in (see `casefold.py`), so `(?i)` and
case-sensitive patterns are handled alike. Whatever this small parser does not understand
(fuzzy matching, backreferences, `\\G`/`\\K`, global flags after the start, other versions
of the syntax, ...) yields `Needs()`, which rules nothing out.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from cleaner.rules.casefold import literal_forms

_MAX_SET = 64  # strings in one exact/prefix/factor set: beyond that it says too little
_MAX_CLASS = 16  # characters of a [...] class spelled out as alternatives
_KEEP_FACTORS = 4  # factors kept per node: the most selective ones
_RARE_ENOUGH = 5  # a string this long (see `_rarity`) is in few paragraphs
# Global flags this reading does not model (fuzzy, POSIX, full case folding, V1 syntax,
# locale): patterns with them get no needs. (Reverse matching is modelled: it changes which
# match a search finds, never what a match may be, which is all `Needs` says.)
_UNMODELLED_FLAGS = (regex.BESTMATCH | regex.ENHANCEMATCH | regex.POSIX
                     | regex.FULLCASE | regex.VERSION1 | regex.LOCALE)
_CLASS_ESCAPES = set("dDsSwWpPX")  # one character of a class we do not spell out
_ANCHOR_ESCAPES = set("bBAZmM")  # zero-width
_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_SCOPED_FLAGS = set("aimsuxw-")
_ASCII_DIGIT = regex.compile("[0-9]")
# `\d` as the rules' regexes read it, looked for in the paragraph's own text.
DIGIT = regex.compile(r"\d")


@dataclass(frozen=True)
class Needs:
    """Every match starts with one of `prefixes` (None: anything), ends with one of
    `suffixes` (None: anything) and contains one string of each of `factors` (strings as
    they are in `fold`ed text, in UTF-8). `Needs()` rules nothing out."""

    prefixes: tuple[bytes, ...] | None = None
    factors: tuple[tuple[bytes, ...], ...] = ()
    digit: bool = False  # every match holds a `\d` (dates, counters: few other strings)
    suffixes: tuple[bytes, ...] | None = None

    def allows(self, text: str, folded: bytes, whole: bool) -> bool:
        """Can the pattern match the paragraph `text`, whose `fold` is `folded` (`whole`: as
        a whole, else somewhere inside)?"""
        if whole and self.prefixes is not None and not folded.startswith(self.prefixes):
            return False
        if whole and self.suffixes is not None and not folded.endswith(self.suffixes):
            return False
        return self.may_hold(folded) and (not self.digit or DIGIT.search(text) is not None)

    def may_hold(self, folded: bytes) -> bool:
        """Can a text whose `fold` is `folded` hold a match somewhere, as far as its strings
        tell (the digit is not looked for)?"""
        # `find`, not `in`: `bytes.__contains__` first tries its argument as an int, and
        # the TypeError it raises and clears costs more than a search of a short line.
        find = folded.find
        return all(max(map(find, factor)) >= 0 for factor in self.factors)


class _Unsupported(Exception):
    """Syntax this reading does not model: the pattern gets `Needs()`."""


@dataclass(frozen=True)
class _Info:
    """What is known of the strings one node of the pattern matches (all `fold`ed): all of
    them (`exact`, when few); whether "" is one (`nullable`); every non-empty one starts with
    one of `prefixes` and ends with one of `suffixes` (None: unknown); every one contains a
    string of each of `factors`."""

    exact: frozenset[str] | None = None
    nullable: bool = True
    prefixes: frozenset[str] | None = None
    suffixes: frozenset[str] | None = None
    factors: tuple[frozenset[str], ...] = ()
    digit: bool = False  # every match holds a `\d`


_UNKNOWN = _Info()
_ONE_CHARACTER = _Info(nullable=False)  # `.`, `\s`, `[^...]`: one character, not known


def _known(strings: Iterable[str] | None) -> frozenset[str] | None:
    """A prefix/suffix/factor set, or None when it is too big or holds "" (says nothing)."""
    if strings is None:
        return None
    result = frozenset(strings)
    return None if "" in result or len(result) > _MAX_SET else result


def _rarity(string: str) -> int:
    # Long strings are rare in text, and so are punctuation and symbols (`/`, `@`, `©`)
    # next to two-letter words (`of`, `de`).
    return len(string) + (0 if string.isalpha() else 2)


def _score(factor: frozenset[str]) -> tuple[int, int]:
    # The commonest string decides, up to a length that is rare enough anyway; then fewer
    # alternatives: each is one more search through the document.
    return min(_RARE_ENOUGH, *map(_rarity, factor)), -len(factor)


def _implies(strong: frozenset[str], weak: frozenset[str]) -> bool:
    """Containing a string of `strong` means containing one of `weak`."""
    return all(any(map(s.__contains__, weak)) for s in strong)


def _best(factors: Iterable[frozenset[str] | None]) -> tuple[frozenset[str], ...]:
    """The most selective factors, without the ones another kept factor implies, each
    without the strings that contain another of its strings (they add nothing)."""
    unique = {_minimal(f) for f in factors if f}
    if len(unique) == 1:
        return tuple(unique)
    # Two such sets that imply each other are equal, so this drops only what is implied.
    kept = [f for f in unique if not any(o != f and _implies(o, f) for o in unique)]
    return tuple(sorted(kept, key=lambda f: (_score(f), sorted(f)), reverse=True)
                 )[:_KEEP_FACTORS]


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """`strings` without the ones that contain another of them."""
    by_length = sorted(strings, key=len)
    if len(by_length[0]) == len(by_length[-1]):
        return strings  # one string cannot hold another of its length (the case forms)
    kept: list[str] = []
    for string in by_length:  # a string can only hold shorter ones
        if not any(map(string.__contains__, kept)):
            kept.append(string)
    return frozenset(kept)


def _exact(strings: Iterable[str]) -> _Info:
    exact = frozenset(strings)
    if len(exact) > _MAX_SET:
        return _UNKNOWN
    nonempty = _known(exact - {""})
    nullable = "" in exact
    digit = not nullable and all(map(_ASCII_DIGIT.search, exact))
    return _Info(exact, nullable, nonempty, nonempty, () if nullable else _best([nonempty]),
                 digit)


_EMPTY_STRING = frozenset([""])  # what the empty pattern matches
_EMPTY = _exact(_EMPTY_STRING)


def _product(left: frozenset[str] | None, right: frozenset[str] | None
             ) -> frozenset[str] | None:
    if left is None or right is None or len(left) * len(right) > _MAX_SET:
        return None
    return frozenset(a + b for a, b in itertools.product(left, right))


def _or_empty(strings: frozenset[str] | None, nullable: bool) -> frozenset[str] | None:
    return strings | {""} if strings is not None and nullable else strings


def _nonempty(strings: frozenset[str] | None) -> frozenset[str] | None:
    # "" comes from the empty match, which has no prefix or suffix to know
    return _known(strings - {""}) if strings is not None else None


def _either(a: frozenset[str] | None, b: frozenset[str] | None, both: bool
            ) -> frozenset[str] | None:
    """`a`, or with `both` the union of `a` and `b` (None if either is unknown)."""
    if not both:
        return a
    return None if a is None or b is None else _known(a | b)


def _concat(a: _Info, b: _Info) -> _Info:
    exact = _product(a.exact, b.exact)
    if exact is not None:
        return _with_factors(_exact(exact), a.factors + b.factors)
    if a.exact is not None:  # b's start follows each of a's strings
        prefixes = _nonempty(_product(a.exact, _or_empty(b.prefixes, b.nullable))
                             ) or _known(a.exact)
    else:
        prefixes = _either(a.prefixes, b.prefixes, a.nullable)
    if b.exact is not None:
        suffixes = _nonempty(_product(_or_empty(a.suffixes, a.nullable), b.exact)
                             ) or _known(b.exact)
    else:
        suffixes = _either(b.suffixes, a.suffixes, b.nullable)
    nullable = a.nullable and b.nullable
    extra: list[frozenset[str] | None] = []
    if not nullable:
        extra += [prefixes, suffixes]
    if not a.nullable and not b.nullable:
        extra.append(_known(_product(a.suffixes, b.prefixes)))  # where a ends, b starts
    return _Info(None, nullable, prefixes, suffixes, _best([*a.factors, *b.factors, *extra]),
                 a.digit or b.digit)


def _with_factors(info: _Info, factors: tuple[frozenset[str], ...]) -> _Info:
    return dataclasses.replace(info, factors=_best([*info.factors, *factors]))


def _alternate(a: _Info, b: _Info) -> _Info:
    if a.exact is not None and b.exact is not None:
        return _exact(a.exact | b.exact)
    # A match of `a|b` holds one string of a factor of a, or of one of b: of their union.
    factors = [_known(fa | fb) for fa in a.factors for fb in b.factors]
    return _Info(None, a.nullable or b.nullable, _either(a.prefixes, b.prefixes, True),
                 _either(a.suffixes, b.suffixes, True), _best(factors), a.digit and b.digit)


def _repeat(item: _Info, low: int, high: int | None) -> _Info:
    if item.exact is not None and high is not None and high <= 8:
        exact = _repeat_exact(item.exact, low, high)
        if exact is not None:
            return _exact(exact)
    if low == 0:  # possibly absent: only where its non-empty matches start and end is known
        return _Info(None, True, item.prefixes, item.suffixes, ())
    return dataclasses.replace(item, exact=None)


def _repeat_exact(strings: frozenset[str], low: int, high: int) -> frozenset[str] | None:
    result: set[str] = {""} if low == 0 else set()
    current: frozenset[str] | None = _EMPTY_STRING
    for count in range(1, high + 1):
        current = _product(current, strings)
        if current is None or len(result) + len(current) > _MAX_SET:
            return None
        if count >= low:
            result |= current
    return frozenset(result)


@functools.cache
def _literal(char: str) -> _Info:
    forms = literal_forms(char)
    return _exact(forms) if forms else _ONE_CHARACTER


def _sequence(items: list[_Info]) -> _Info:
    """Items one after the other: runs of exact items first, so a literal stays whole, then
    from the right, so the prefixes of an optional item meet the whole literal after it."""
    merged: list[_Info] = []
    run: list[_Info] = []  # exact items in a row, their strings multiplied out so far
    strings = _EMPTY_STRING
    for item in items:
        product = _product(strings, item.exact)
        if product is None and run:  # not exact, or too many strings: the run ends
            merged.append(_exact_run(run, strings))
            run, strings = [], _EMPTY_STRING
            product = _product(strings, item.exact)
        if product is None:
            merged.append(item)
        else:
            run.append(item)
            strings = product
    if run:
        merged.append(_exact_run(run, strings))
    info = _EMPTY
    for item in reversed(merged):
        info = _concat(item, info)
    return info


def _exact_run(parts: list[_Info], strings: frozenset[str]) -> _Info:
    """Exact items in a row, whose strings multiplied out are `strings`: what `_concat`ing
    each to the next gives, without a `_best` at every step (they took half the time of
    reading the shipped patterns)."""
    if len(parts) == 1:
        return parts[0]
    info = _exact(strings)
    # A part's factor that a factor of the whole implies adds nothing: `_best` drops it.
    rest = tuple(factor for part in parts for factor in part.factors
                 if not any(_implies(strong, factor) for strong in info.factors))
    return _with_factors(info, rest) if rest else info


class _Parser:
    """Recursive descent over the pattern's source, building an `_Info` per node."""

    def __init__(self, source: str, verbose: bool) -> None:
        self.source = source
        self.pos = 0
        self.verbose = [verbose]

    def peek(self) -> str:
        return self.source[self.pos : self.pos + 1]

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end")
        self.pos += 1
        return char

    def skip_layout(self) -> None:
        """Verbose mode: whitespace and `# comments` outside classes mean nothing."""
        while self.verbose[-1] and self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "#":
                end = self.source.find("\n", self.pos)
                self.pos = len(self.source) if end < 0 else end + 1
            elif char.isspace():
                if not char.isascii():
                    raise _Unsupported("non-ASCII layout")  # does regex skip it? do not guess
                self.pos += 1
            else:
                break

    def alternation(self) -> _Info:
        info = self.sequence()
        while self.peek() == "|":
            self.pos += 1
            info = _alternate(info, self.sequence())
        return info

    def sequence(self) -> _Info:
        items = []
        while True:
            self.skip_layout()
            if self.peek() in ("", "|", ")"):
                return _sequence(items)
            items.append(self.quantified(self.atom()))

    def quantified(self, item: _Info) -> _Info:
        self.skip_layout()
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            low, high = self.braces()
        else:
            return item
        if self.peek() in ("?", "+"):  # lazy or possessive: the same strings
            self.pos += 1
        if self.peek() in ("*", "+", "?", "{"):
            raise _Unsupported("stacked quantifiers")
        return _repeat(item, low, high)

    def braces(self) -> tuple[int, int | None]:
        end = self.source.find("}", self.pos)
        body = self.source[self.pos + 1 : end] if end > 0 else ""
        low, comma, high = body.partition(",")
        if not (low.isdigit() or (comma and not low)) or (high and not high.isdigit()) \
                or not body.isascii():
            raise _Unsupported("not a plain {m,n}")  # fuzzy {e<=1}, a literal brace...
        self.pos = end + 1
        if not comma:
            return int(low), int(low)
        return int(low or 0), int(high) if high else None

    def atom(self) -> _Info:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char == ".":
            return _ONE_CHARACTER
        if char in ("^", "$"):
            return _EMPTY
        if char in ("*", "+", "?", "{", ")"):
            raise _Unsupported("misplaced " + char)
        return _literal(char)

    def group(self) -> _Info:
        verbose = self.verbose[-1]
        zero_width = False
        if self.peek() == "?":
            self.pos += 1
            zero_width, verbose = self.group_kind(verbose)
            if zero_width is None:  # a comment
                return _EMPTY
        self.verbose.append(verbose)
        info = self.alternation()
        self.verbose.pop()
        if self.take() != ")":
            raise _Unsupported("unclosed group")
        return _EMPTY if zero_width else info

    def group_kind(self, verbose: bool) -> tuple[bool | None, bool]:
        """After `(?`: (zero-width?, verbose inside); (None, _) for a comment, consumed."""
        rest = self.source[self.pos :]
        for opener in (":", ">", "|"):
            if rest.startswith(opener):
                self.pos += 1
                return False, verbose
        for opener in ("=", "!", "<=", "<!"):
            if rest.startswith(opener):
                self.pos += len(opener)
                return True, verbose
        if rest.startswith("#"):
            end = self.source.find(")", self.pos)
            if end < 0:
                raise _Unsupported("unclosed comment")
            self.pos = end + 1
            return None, verbose
        if rest.startswith(("P<", "<")):
            end = self.source.find(">", self.pos)
            name = self.source[self.pos : end].removeprefix("P<").removeprefix("<")
            if end < 0 or not name.isidentifier():
                raise _Unsupported("group name")
            self.pos = end + 1
            return False, verbose
        flags_end = self.pos
        while flags_end < len(self.source) and self.source[flags_end] in _SCOPED_FLAGS:
            flags_end += 1
        if flags_end < len(self.source) and self.source[flags_end] == ":":
            on, _, off = self.source[self.pos : flags_end].partition("-")
            self.pos = flags_end + 1
            return False, (verbose or "x" in on) and "x" not in off
        raise _Unsupported("group kind")  # global flags mid-pattern, recursion, conditions...

    def escape(self) -> _Info:
        char = self.take()
        if char == "d":
            return _Info(nullable=False, digit=True)
        if char in _CLASS_ESCAPES:
            if char in "pP":
                self.property_name()
            return _ONE_CHARACTER
        if char in _ANCHOR_ESCAPES:
            return _EMPTY
        if char in _CONTROL_ESCAPES:
            return _exact([_CONTROL_ESCAPES[char]])
        if char.isalnum() or not char.isascii():
            raise _Unsupported("escape \\" + char)  # backreferences, \x41, \G, \K, \L<...>
        return _literal(char)

    def property_name(self) -> None:
        if self.peek() != "{":
            self.take()  # \pL
            return
        end = self.source.find("}", self.pos)
        if end < 0:
            raise _Unsupported("unclosed property")
        self.pos = end + 1

    def char_class(self) -> _Info:
        """`[...]` (version 0 syntax): its characters when it spells out a few, else
        unknown. A `[` inside is a literal, but `[:alpha:]` and kin are not modelled."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        chars: set[str] = set()
        spelled = not negated
        first = True
        while True:
            char = self.take()
            if char == "]" and not first:
                break
            first = False
            if char == "[" and self.peek() in (":", "=", "."):
                raise _Unsupported("POSIX class")
            if char == "\\":
                char = self.class_escape()
                if char is None:
                    spelled = False
                    continue
            if self.peek() == "-" and self.source[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                high = self.take()
                if high == "\\":
                    high = self.class_escape() or ""
                if len(high) != 1 or ord(high) - ord(char) >= _MAX_CLASS:
                    spelled = False
                    continue
                chars.update(chr(c) for c in range(ord(char), ord(high) + 1))
            else:
                chars.add(char)
        forms = [literal_forms(c) for c in chars]
        if not spelled or len(chars) > _MAX_CLASS or not all(forms):
            return _ONE_CHARACTER
        return _exact(frozenset().union(*forms))

    def class_escape(self) -> str | None:
        """One escaped character inside a class, or None for a class escape (`\\d`...)."""
        char = self.take()
        if char in _CLASS_ESCAPES:
            if char in "pP":
                self.property_name()
            return None
        if char == "b":
            return "\b"
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char]
        if char.isalnum() or not char.isascii():
            raise _Unsupported("escape \\" + char)
        return char


_LEADING_FLAGS = regex.compile(r"\(\?[aimsuxwLr]*(?:V0)?[aimsuxwLr]*\)")


def needs(pattern: regex.Pattern[str]) -> Needs:
    """What any match of `pattern` must start with and contain (see `Needs`)."""
    if pattern.flags & _UNMODELLED_FLAGS:
        return Needs()
    source = pattern.pattern
    start = 0
    while flags := _LEADING_FLAGS.match(source, start):  # global flags, at the start only
        start = flags.end()
    parser = _Parser(source, bool(pattern.flags & regex.VERBOSE))
    parser.pos = start
    try:
        info = parser.alternation()
        if parser.pos != len(source):
            raise _Unsupported("unbalanced )")
    except _Unsupported:
        return Needs()
    if info.nullable:  # it may match an empty paragraph, which contains nothing
        return Needs()
    prefixes = None if info.prefixes is None else _encoded(info.prefixes)
    suffixes = None if info.suffixes is None else _encoded(info.suffixes)
    return Needs(prefixes, tuple(_encoded(f) for f in info.factors[:2]), info.digit, suffixes)


def _encoded(strings: frozenset[str]) -> tuple[bytes, ...]:
    return tuple(sorted(s.encode("utf-8", "surrogatepass") for s in strings))
