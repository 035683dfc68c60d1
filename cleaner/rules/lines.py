"""Line numbers for a TOML file's tables and keys.

`tomllib` returns plain dicts without positions, but every message about a rule file must
say `path:line`. The file has already parsed, so this scanner can be small: it walks the
source once, skipping strings (multi-line ones too, where a `[[rule]]` or `key =` inside the
text must not count) and multi-line arrays, and records each table header and each key
that starts a line at the top level of its table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

_HEADER = regex.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = regex.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*[=.]""")


@dataclass
class TableLines:
    name: str  # "" for the top level, "site", "rule", ...
    array: bool  # `[[name]]` rather than `[name]`
    line: int  # line of the header (1 for the top level)
    keys: dict[str, int] = field(default_factory=dict)


def scan(source: str) -> list[TableLines]:
    """Tables in file order, the top level first, each with the line of each of its keys."""
    tables = [TableLines("", False, 1)]
    multiline: str | None = None  # the closing delimiter of an open multi-line string
    depth = 0  # open brackets/braces of a value spanning lines
    for number, line in enumerate(source.splitlines(), 1):
        if multiline is None and depth == 0:
            header = _HEADER.match(line)
            if header:
                name = header.group(2).strip().strip("\"'")
                tables.append(TableLines(name, header.group(1) == "[[", number))
                continue
            key = _KEY.match(line)
            if key:
                tables[-1].keys.setdefault(key.group(1).strip("\"'"), number)
        multiline, depth = _skip(line, multiline, depth)
    return tables


def _skip(line: str, multiline: str | None, depth: int) -> tuple[str | None, int]:
    """Walk one line and return the string/bracket state at its end."""
    i = 0
    while i < len(line):
        if multiline is not None:
            close = line.find(multiline, i)
            if close < 0:
                return multiline, depth
            i = close + 3
            # `""""` closes with the last three quotes: swallow extra quotes at the close.
            while i < len(line) and line[i] == multiline[0]:
                i += 1
            multiline = None
            continue
        char = line[i]
        if char == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            multiline = line[i : i + 3]
            i += 3
        elif char == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
        elif char == "'":
            close = line.find("'", i + 1)
            i = len(line) if close < 0 else close + 1
        else:
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(0, depth - 1)
            i += 1
    return multiline, depth
