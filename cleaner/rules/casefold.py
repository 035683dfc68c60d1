"""`fold`: a paragraph as rule literals are looked for in it (see `needs.py`).

The `regex` module matches case-insensitively character by character with its own Unicode
tables. Lower-casing a whole non-ASCII text with `str.casefold` is slow (tens of
microseconds a page) and Python's tables are not the module's. So only ASCII letters are
folded, on the UTF-8 bytes (`bytes.lower` touches nothing else), after mapping the four
non-ASCII characters that `(?i)` matches with an ASCII letter (İ ı ſ K) to that letter.
A literal character stands for one string in folded text when it is ASCII or has no case
(©, ’, 사진, タグ), and for each of its cases when it is a cased non-ASCII letter (é: é or É,
from the `regex` module's own case table). All of this is checked against the `regex`
module over every code point by tests/test_speed_equivalence.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

try:  # the module's case table, as `(?i)` uses it; without it cased letters say nothing
    from regex._regex import get_all_cases as _get_all_cases
except ImportError:  # pragma: no cover - another version of the module
    _get_all_cases = None
_CASES: Callable[[int, int], list[int]] | None = _get_all_cases

# The non-ASCII characters `(?i)` matches with an ASCII letter, and that letter.
ASCII_LOOKALIKES = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TO_ASCII = str.maketrans(ASCII_LOOKALIKES)
# Categories whose characters have no case (punctuation, symbols, digits, marks, and
# letters of scripts without case); a character must also map to itself to count.
_CASELESS_CATEGORIES = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk",
                                  "So", "Nd", "No", "Lo", "Zs", "Mn", "Mc", "Me", "Cf"})


def caseless(char: str) -> bool:
    """`(?i)` matches this non-ASCII character with itself only."""
    return (unicodedata.category(char) in _CASELESS_CATEGORIES
            and char.lower() == char == char.upper() == char.casefold())


def literal_forms(char: str) -> frozenset[str]:
    """The strings a literal character of a pattern may be in `fold`ed text: one for an
    ASCII or caseless character, one per case for a cased letter (`fold` leaves its case
    alone, and `(?i)` matches any); none when its cases are not known."""
    if char.isascii() or caseless(char):
        return frozenset({fold(char).decode()})
    if _CASES is None:
        return frozenset()
    cases = {ord(char), *_CASES(regex.IGNORECASE | regex.UNICODE, ord(char))}
    return frozenset(fold(chr(c)).decode("utf-8", "surrogatepass") for c in cases)


def fold(text: str) -> bytes:
    """`text` in UTF-8 with ASCII letters (and their look-alikes) in lower case. A literal's
    bytes are found in it exactly where the literal's characters are in the text."""
    if not text.isascii() and any(char in text for char in ASCII_LOOKALIKES):
        text = text.translate(_TO_ASCII)
    return text.encode("utf-8", "surrogatepass").lower()
