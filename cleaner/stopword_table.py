"""Language detection's stopword table in a file: written once, read in a few milliseconds.

`cleaner.language` scores a text against all its stoplists at once with one table: word ->
an int with a 1 in the slot of every list holding the word. Building that table from
jusText's stoplist files costs ~0.2 s (reading ~80 files, cleaning the lists, ~60,000
dict inserts one by one), most of what a one-file run spends beyond imports. This module
stores it as package data grouped by slots: reading it is one `dict.fromkeys` a group
(~1,700 for the Latin-script lists), ~15 ms, the cost of a few documents.

File format, UTF-8, one line per group of words sharing their slots:

    codes<TAB>en fr de ...          the lists, in slot order (first line)
    0 3 17<TAB>ab de<TAB>ść         the group's slot numbers, its words within Latin-1,
                                    then its other words (each part sorted)

Words are separated by spaces, so a word holding whitespace cannot be stored; no token
of a text holds any, so such words could never score anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def _within_latin1(word: str) -> bool:
    return word.isascii() or max(word) <= "\xff"


def dumps(codes: Sequence[str], slots: Mapping[str, int], slot_bits: int) -> str:
    """The file's text for `slots` (word -> bits of the lists holding it, list i's bit
    being `1 << (slot_bits * i)`); deterministic, so a test can compare it with the file."""
    groups: dict[int, list[str]] = {}
    for word, bits in slots.items():
        if not word or word != "".join(word.split()):
            raise ValueError(f"stopword {word!r} is empty or holds whitespace")
        groups.setdefault(bits, []).append(word)
    lines = ["codes\t" + " ".join(codes)]
    rows = []
    for bits, words in groups.items():
        numbers = [i for i in range(len(codes)) if bits >> (slot_bits * i) & 1]
        if sum(1 << (slot_bits * i) for i in numbers) != bits:
            raise ValueError(f"bits {bits:#x} are not whole slots of {len(codes)} lists")
        narrow = sorted(w for w in words if _within_latin1(w))
        wide = sorted(w for w in words if not _within_latin1(w))
        rows.append((numbers, narrow, wide))
    for numbers, narrow, wide in sorted(rows):
        lines.append("\t".join((" ".join(map(str, numbers)), " ".join(narrow), " ".join(wide))))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class StoredTable:
    """A table as read from its file; the dicts are built by whoever needs them."""

    codes: tuple[str, ...]
    # (bits, the group's Latin-1 words, its other words), words as the file's UTF-8 bytes
    groups: tuple[tuple[int, bytes, bytes], ...]

    def latin1_slots(self) -> dict[bytes, int]:
        """Word, encoded in Latin-1, -> bits, for the words within Latin-1."""
        slots: dict[bytes, int] = {}
        for bits, narrow, _ in self.groups:
            slots.update(dict.fromkeys(narrow.decode("utf-8").encode("latin-1").split(), bits))
        return slots

    def utf8_slots(self) -> dict[bytes, int]:
        """Word, encoded in UTF-8 (as the file holds it), -> bits, for every word."""
        slots: dict[bytes, int] = {}
        for bits, narrow, wide in self.groups:
            slots.update(dict.fromkeys(narrow.split(), bits))
            slots.update(dict.fromkeys(wide.split(), bits))
        return slots


def read(path: Path, slot_bits: int) -> StoredTable:
    lines = path.read_bytes().split(b"\n")
    head, _, codes_line = lines[0].partition(b"\t")
    if head != b"codes":
        raise ValueError(f"{path}: not a stopword table")
    codes = tuple(codes_line.decode("ascii").split())
    # Slot number as written -> its bit: a dict lookup each, not an int() and a shift.
    bit = {str(i).encode(): 1 << (slot_bits * i) for i in range(len(codes))}
    groups = []
    for line in lines[1:]:
        if line:
            numbers, narrow, wide = line.split(b"\t")
            groups.append((sum(map(bit.__getitem__, numbers.split())), narrow, wide))
    return StoredTable(codes, tuple(groups))
