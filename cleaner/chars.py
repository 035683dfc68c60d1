"""Which characters a text holds beyond printable ASCII, found in one cheap pass.

Most fixes act on a handful of characters (NBSP, soft hyphens, emoji, mojibake pieces)
that most texts do not hold at all. A regex scan to find that out costs 20-60
instructions a character, and each fix would pay it again; `special_chars` reads the
text once through the UTF-8 codec and `bytes.translate` (a few instructions a
character) and every gate then asks its answer, a string of a few distinct characters.
Language detection asks it too, to know whether a text's words are all Latin-1.
"""

from __future__ import annotations

import sys
from collections import Counter, OrderedDict
from contextlib import suppress
from typing import NamedTuple

# What `special_chars` leaves out: printable ASCII and `\n`.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\n"
# The UTF-8 bytes of a text by kind, for `paired`: `L` starts a character (an ASCII
# control is a whole one), `c` continues one, and a space stands for the bytes that
# separate them (`_PLAIN`, and the ASCII controls that are spacing).
_KINDS = bytes(
    ord(" ") if b in _PLAIN or b in b"\t\x0b\x0c\r" else ord("c") if 0x80 <= b < 0xC0 else ord("L")
    for b in range(256)
)
# Up to this many characters, a set of one-character strings is the cheapest way to the
# distinct ones; the thousands of a Cyrillic or CJK text go faster as code points.
_FEW = 100
_CODE_POINTS = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # as `cast("I")` reads


class Specials(NamedTuple):
    """The characters of a text other than printable ASCII and `\\n`."""

    # Each of them once, in no particular order.
    chars: str
    # Two of them stand side by side somewhere (`â€`, `Ã©`, `»\xa0`), tabs and the other
    # spacing controls aside.
    paired: bool


def _read(text: str) -> Specials:
    encoded = text.encode("utf-8", "surrogatepass")
    others = encoded.translate(None, _PLAIN).decode("utf-8", "surrogatepass")
    if len(others) < 2:
        return Specials(others, False)
    # A character starting right where another ends. (`find`, not `in`: `bytes in bytes`
    # first tries, and fails, `int()`.)
    kinds = encoded.translate(_KINDS)
    paired = kinds.find(b"cL") != -1 or kinds.find(b"LL") != -1
    return Specials(_distinct(others), paired)


def _distinct(chars: str) -> str:
    """The distinct characters of `chars`, in code point order."""
    if len(chars) <= _FEW:
        return "".join(sorted(set(chars)))
    # No one-character string to build and hash for each: half the cost.
    codes = set(memoryview(chars.encode(_CODE_POINTS, "surrogatepass")).cast("I"))
    return "".join(map(chr, sorted(codes)))


# The answers for the last texts, oldest first. `special_chars` is a pure function of the
# text: the cache only spares the fixes that run one after the other on the same text (or
# on one `same_special_chars` vouches for) from reading it again. `normalize_many` runs a
# batch's texts in lockstep, one fix each in turn: a text's next fix comes after one of
# every other text of the batch (`batch.BATCH_DOCS`, 64), each of which may add a few
# (on the bench corpus, 256 entries spared no more readings than 128).
# Long texts (a book-length page) have a cache of their own, of a few: 128 of them could
# hold gigabytes.
_LONG = 100_000  # characters


class _Recent:
    """The answers for the last `size` texts, oldest first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: OrderedDict[str, Specials] = OrderedDict()

    def remember(self, text: str, found: Specials) -> Specials:
        if len(self.found) >= self.size:
            # The oldest; another thread may have emptied the cache meanwhile.
            with suppress(KeyError):
                self.found.popitem(last=False)
        self.found[text] = found
        return found


_RECENT, _RECENT_LONG = _Recent(128), _Recent(4)


def _recent(text: str) -> _Recent:
    return _RECENT_LONG if len(text) > _LONG else _RECENT


def special_chars(text: str) -> Specials:
    r"""The distinct characters of `text` other than printable ASCII and `\n`.

    >>> special_chars("Caf\u00e9 \u201cn\u00b0\u00a01\u201d\tok")
    Specials(chars='\t\xa0°é“”', paired=True)
    """
    recent = _recent(text)
    found = recent.found.get(text)
    return recent.remember(text, _read(text)) if found is None else found


def same_special_chars(before: str, after: str) -> None:
    """Tell `special_chars` that `after` is `before` with some spaces and newlines taken
    out, never all of those between two other characters: both hold the same special
    characters, in the same runs, so a read of `before` answers for `after` too."""
    found = _recent(before).found.get(before)
    if found is not None:
        _recent(after).remember(after, found)


class CharClasses(NamedTuple):
    """How many characters of a text pass each `str` test (as `sum(1 for c in text if
    c.isalnum())` counts them)."""

    alnum: int
    space: int
    cased_letters: int  # `isalpha()` and (`isupper()` or `islower()`)
    upper_letters: int  # `isalpha()` and `isupper()`
    digits: int  # `isdigit()`


def _class_of(char: str) -> CharClasses:
    alpha = char.isalpha()
    return CharClasses(int(char.isalnum()), int(char.isspace()),
                       int(alpha and (char.isupper() or char.islower())),
                       int(alpha and char.isupper()), int(char.isdigit()))


# Every ASCII character is of one of these kinds (or of none: punctuation, controls).
_ASCII_KINDS = (
    CharClasses(alnum=0, space=1, cased_letters=0, upper_letters=0, digits=0),  # \t \n ' '
    CharClasses(alnum=1, space=0, cased_letters=0, upper_letters=0, digits=1),  # 0-9
    CharClasses(alnum=1, space=0, cased_letters=1, upper_letters=0, digits=0),  # a-z
    CharClasses(alnum=1, space=0, cased_letters=1, upper_letters=1, digits=0),  # A-Z
)
_NO_CLASS = CharClasses(0, 0, 0, 0, 0)
assert {_class_of(chr(b)) for b in range(128)} <= {*_ASCII_KINDS, _NO_CLASS}
# Each ASCII byte -> the index of its kind (255: none).
_ASCII_KIND_OF = bytes(
    _ASCII_KINDS.index(_class_of(chr(b))) if b < 128 and any(_class_of(chr(b))) else 255
    for b in range(256)
)
_ASCII = bytes(range(128))


def class_bits(char: str) -> int:
    """`CharClasses` of one character as the bits of an int (bit i: field i holds 1), for
    code that counts the classes of many texts at once with arrays (the classifier).

    >>> [class_bits(c) for c in "aA1 ."]
    [5, 13, 17, 2, 0]
    """
    return sum(hit << i for i, hit in enumerate(_class_of(char)))


def char_classes(text: str) -> CharClasses:
    """`CharClasses` of `text`, the ASCII characters counted by `bytes.translate` and
    `bytes.count` (a few instructions each, where a generator over the characters costs a
    Python step each) and each distinct other character tested once: a paragraph holds
    few of them.

    >>> char_classes("Élan 42, ok")
    CharClasses(alnum=8, space=2, cased_letters=6, upper_letters=1, digits=2)
    """
    ascii_part = text.encode("ascii", "ignore")
    kinds = ascii_part.translate(_ASCII_KIND_OF)
    space, digit, lower, upper = map(kinds.count, range(len(_ASCII_KINDS)))
    if len(ascii_part) == len(text):
        # `tuple.__new__`: the named tuple's own `__new__` is a Python function (~0.4 µs).
        return tuple.__new__(CharClasses, (digit + lower + upper, space, lower + upper, upper,
                                           digit))
    counts = [digit + lower + upper, space, lower + upper, upper, digit]
    others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
    for char, n in Counter(others.decode("utf-8", "surrogatepass")).items():
        for i, hit in enumerate(_class_of(char)):
            counts[i] += hit * n
    return tuple.__new__(CharClasses, counts)
