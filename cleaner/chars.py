"""Which characters a text holds beyond printable ASCII, found in one cheap pass.

Most fixes act on a handful of characters (NBSP, soft hyphens, emoji, mojibake pieces)
that most texts do not hold at all. A regex scan to find that out costs 20-60
instructions a character, and each fix would pay it again; `special_chars` reads the
text once through the UTF-8 codec and `bytes.translate` (a few instructions a
character) and every gate then asks its answer, a string of a few distinct characters.
Language detection asks it too, to know whether a text's words are all Latin-1.
"""

from __future__ import annotations

from typing import NamedTuple

# Printable ASCII and `\n` become spaces; control bytes and the bytes of every non-ASCII
# character stay. `bytes.split()` then yields the runs of the others.
_PLAIN_TO_SPACE = bytes.maketrans(
    bytes(range(0x20, 0x7F)) + b"\n", b" " * (0x7F - 0x20 + 1)
)
# ASCII controls that `bytes.split()` would take for separators: asked for one by one.
_SPACE_CONTROLS = "\t\x0b\x0c\r"


class Specials(NamedTuple):
    """The characters of a text other than printable ASCII and `\\n`."""

    # Each of them once, in no particular order.
    chars: str
    # Two non-ASCII characters stand side by side somewhere (`â€`, `Ã©`, `»\xa0`). Also
    # true, harmlessly for a gate, for a control character beside a non-ASCII one.
    paired: bool


def _holds_pair(run: bytes) -> bool:
    # A non-ASCII character is 2-4 bytes of UTF-8, so a run holding two is longer than 3
    # bytes; decoding tells it from one 4-byte character.
    return len(run) > 3 and len(run.decode("utf-8", "surrogatepass")) > 1


def _read(text: str) -> Specials:
    runs = text.encode("utf-8", "surrogatepass").translate(_PLAIN_TO_SPACE).split()
    found = set(b"".join(runs).decode("utf-8", "surrogatepass"))
    found.update(c for c in _SPACE_CONTROLS if c in text)
    return Specials("".join(sorted(found)), any(_holds_pair(run) for run in runs))


# The answers for the last few texts, oldest first. `special_chars` is a pure function of
# the text: the cache only spares the fixes that run one after the other on the same
# text (or on one `same_special_chars` vouches for) from reading it again.
_RECENT: dict[str, Specials] = {}
_RECENT_SIZE = 8


def _remember(text: str, found: Specials) -> Specials:
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.pop(next(iter(_RECENT)), None)
    _RECENT[text] = found
    return found


def special_chars(text: str) -> Specials:
    r"""The distinct characters of `text` other than printable ASCII and `\n`.

    >>> special_chars("Caf\u00e9 \u201cn\u00b0\u00a01\u201d\tok")
    Specials(chars='\t\xa0°é“”', paired=True)
    """
    found = _RECENT.get(text)
    return _remember(text, _read(text)) if found is None else found


def same_special_chars(before: str, after: str) -> None:
    """Tell `special_chars` that `after` is `before` with some spaces and newlines taken
    out, never all of those between two other characters: both hold the same special
    characters, in the same runs, so a read of `before` answers for `after` too."""
    found = _RECENT.get(before)
    if found is not None:
        _remember(after, found)
