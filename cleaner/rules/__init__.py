"""Rule files: load, validate, apply.

    rules = load_rules([Path("my_rules")])   # raises RuleError("path:line: what is wrong")
    rules.apply(doc)                         # drops/edits paragraphs, records each Removal

Modules: `load.py` (TOML -> validated `Rule`s), `kinds.py` (one function per kind and the
`KINDS` table), `sites.py` (which site files apply to a document), `ruleset.py` (apply),
`needs.py` (the strings a pattern's matches must hold, read off the regex), `candidates.py`
(the paragraphs of a document each pattern may match, from those), `casefold.py` (the text
form they are compared in), `dates.py` (dateline parsing), `lines.py` (line numbers of TOML
tables and keys).
The file format is documented in rules/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleaner.rules.kinds import KINDS
from cleaner.rules.load import load_files, shipped_rules_dir
from cleaner.rules.model import Rule, RuleError, Site
from cleaner.rules.ruleset import RuleSet

__all__ = ["KINDS", "Rule", "RuleError", "RuleSet", "Site", "load_rules", "shipped_rules_dir"]


def load_rules(extra_dirs: Sequence[Path] = (), *, shipped: bool = True) -> RuleSet:
    """The shipped rules (unless `shipped=False`) plus every `.toml` file under each of
    `extra_dirs` (a directory, or a single rule file), all validated before returning."""
    rules, fingerprint = load_files(extra_dirs, shipped)
    return RuleSet(rules, fingerprint)
