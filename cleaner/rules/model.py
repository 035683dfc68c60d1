"""What a loaded rule file becomes: `Rule`, `Site`, and the one error type, `RuleError`.

These are plain frozen records; loading (`load.py`) builds them, `kinds.py` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

Example = tuple[str, ...]  # one example document: its paragraphs, in order


class RuleError(Exception):
    """A rule file is wrong. `str(error)` is `path:line: what is wrong`, like a compiler's;
    line 0 means the whole file or directory (`path: what is wrong`)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Site:
    """The `[site]` table of a site file: which documents its rules apply to."""

    domains: tuple[str, ...]
    recognize: tuple[regex.Pattern[str], ...] = ()
    where: str = ""  # file:line of the [site] header

    @property
    def name(self) -> str:
        return self.domains[0]


@dataclass(frozen=True, eq=False)
class Rule:
    """One `[[rule]]` table, validated and with its regexes compiled.

    Only the keys its kind uses are set (see `kinds.KINDS`); the others keep their defaults.
    `eq=False`: two rules are the same rule only if they are the same object (ids are unique).
    """

    id: str
    kind: str
    where: str  # `rules/common.toml:12`: the line of the rule's `[[rule]]` header
    description: str = ""
    languages: tuple[str, ...] = ()
    max_share: float | None = None
    site: Site | None = None  # None: the rule applies to every document
    # Patterns: `match` for most kinds, `start`/`end` for `block`.
    match: regex.Pattern[str] | None = None
    start: regex.Pattern[str] | None = None
    end: regex.Pattern[str] | None = None
    # Kind options (see rules/README.md for what each means).
    max_words: int | None = None
    max_chars: int | None = None
    within: float | None = None
    inclusive: bool = True
    max_paragraphs: int | None = None
    replacement: str = ""
    case: str = "keep"
    bio: bool = True
    updated: bool = False
    examples: tuple[Example, ...] = ()
    counterexamples: tuple[Example, ...] = ()
    # Line of each key in the file, for messages about a key (`rules/common.toml:14`).
    key_lines: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def file(self) -> str:
        return self.where.rsplit(":", 1)[0]

    def key_where(self, key: str) -> str:
        line = self.key_lines.get(key)
        return f"{self.file}:{line}" if line else self.where

    def applies_to_language(self, language: str | None) -> bool:
        """Rules that declare `languages` run only on documents known to be in one of them:
        an unknown language is not a match (these rules are language-specific fixes)."""
        if not self.languages:
            return True
        if not language:
            return False
        return language.split("-")[0].lower() in self.languages
