"""Rule files -> validated `Rule` objects, or a `RuleError` saying `path:line: what is wrong`.

Everything is checked before any document is processed: TOML syntax, unknown tables, keys
and kinds (with a "did you mean"), missing keys, types, regexes (compiled here, once),
duplicate ids across all files. Nothing unknown is silently ignored.
"""

from __future__ import annotations

import difflib
import hashlib
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import regex

import cleaner
from cleaner.rules.kinds import KINDS
from cleaner.rules.lines import TableLines, scan
from cleaner.rules.model import Example, Rule, RuleError, Site

COMMON_KEYS = ("id", "kind", "description", "languages", "max_share", "examples",
               "counterexamples")
SITE_KEYS = ("domains", "recognize", "description")
CASES = ("keep", "match", "sentence")
_ID = regex.compile(r"[a-z0-9][a-z0-9._-]*")
_DOMAIN = regex.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")
_LANGUAGE = regex.compile(r"[a-z]{2,3}")
_TOML_POSITION = regex.compile(r"\(at line (\d+), column \d+\)")
_TEMPLATE_GROUP = regex.compile(r"\\g<([^>]*)>|\\([1-9][0-9]?)")
_IGNORED_SUFFIXES = (".md", ".txt", ".rst")  # notes next to rule files, e.g. README.md


def shipped_rules_dir() -> Path:
    """A wheel carries the repository's `rules/` as `cleaner/shipped_rules/`; a source or
    editable checkout uses `rules/` next to the package."""
    package = Path(cleaner.__file__).resolve().parent
    inside = package / "shipped_rules"
    return inside if inside.is_dir() else package.parent / "rules"


class _Bad(Exception):
    """A value is wrong; the caller knows the file, line and rule to put in front."""


def _did_you_mean(word: str, choices: Iterable[str], quote: Callable[[str], str] = repr
                  ) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {quote(close[0])}?" if close else ""


def _toml_type(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             list: "an array", dict: "a table"}
    return names.get(type(value), "a date/time")


# --- value checkers: TOML value -> Rule field value, or _Bad("must be ...") -------------

def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(f"must be a string, not {_toml_type(value)}")
    return value


def _nonempty_string(value: Any) -> str:
    if not _string(value).strip():
        raise _Bad("must not be empty")
    return value


def _pattern(value: Any) -> regex.Pattern[str]:
    source = _nonempty_string(value)
    try:
        return regex.compile(source)
    except regex.error as error:
        raise _Bad(f"is not a valid regex: {error}") from None


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"must be true or false, not {_toml_type(value)}")
    return value


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"must be a positive integer, not {_toml_type(value)} ({value!r})")
    if value < 1:
        raise _Bad(f"must be a positive integer, not {value}")
    return value


def _share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise _Bad(f"must be a number above 0 and at most 1, not {value!r}")
    return float(value)


def _languages(value: Any) -> tuple[str, ...]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and _LANGUAGE.fullmatch(v) for v in value)):
        raise _Bad(f'must be an array of ISO 639-1 codes like ["en", "fr"], not {value!r}')
    return tuple(value)


def _case(value: Any) -> str:
    if _string(value) not in CASES:
        hint = _did_you_mean(value, CASES, lambda w: f'"{w}"')
        raise _Bad(f"must be one of {', '.join(map(repr, CASES))}, not {value!r}{hint}")
    return value


def _examples(value: Any) -> tuple[Example, ...]:
    """Each example is a paragraph (a string) or a short document (an array of strings)."""
    if not isinstance(value, list):
        raise _Bad(f"must be an array of strings (or of arrays of strings), not "
                   f"{_toml_type(value)}")
    examples: list[Example] = []
    for item in value:
        if isinstance(item, str):
            examples.append((item,))
        elif isinstance(item, list) and item and all(isinstance(s, str) for s in item):
            examples.append(tuple(item))
        else:
            raise _Bad(f"must hold strings or arrays of strings, not {item!r}")
    return tuple(examples)


# Every key a [[rule]] may have, and how its value is checked. Which keys a kind takes is
# in `kinds.KINDS`; documented in rules/README.md.
RULE_KEYS: dict[str, Callable[[Any], Any]] = {
    "id": _nonempty_string,
    "kind": _string,
    "description": _string,
    "languages": _languages,
    "max_share": _share,
    "examples": _examples,
    "counterexamples": _examples,
    "match": _pattern,
    "start": _pattern,
    "end": _pattern,
    "max_words": _positive_int,
    "max_chars": _positive_int,
    "within": _share,
    "inclusive": _bool,
    "max_paragraphs": _positive_int,
    "replacement": _string,
    "case": _case,
    "bio": _bool,
    "updated": _bool,
}


class _File:
    """One rule file being loaded: its display path and where each table and key is."""

    def __init__(self, display: str, source: str) -> None:
        self.display = display
        self.tables = scan(source)
        self.rule_tables = [t for t in self.tables if t.name == "rule" and t.array]

    def error(self, line: int, message: str) -> RuleError:
        return RuleError(self.display, line, message)

    def header_line(self, name: str) -> int:
        return next((t.line for t in self.tables if t.name == name), 1)


def _read(path: Path, display: str) -> tuple[bytes, dict[str, Any], _File]:
    data = path.read_bytes()
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RuleError(display, line, f"not UTF-8 text (byte {error.start}); "
                                       "rule files are UTF-8 TOML") from None
    try:
        table = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        position = _TOML_POSITION.search(str(error))
        line = int(position.group(1)) if position else 1
        raise RuleError(display, line, f"invalid TOML: {error}") from None
    return data, table, _File(display, source)


def _check_top_level(table: dict[str, Any], file: _File) -> None:
    top = file.tables[0]
    for key, value in table.items():
        if key == "rule" and not isinstance(value, list):
            raise file.error(file.header_line("rule"),
                             "[rule] must be written [[rule]] (one table per rule)")
        if key == "site" and not isinstance(value, dict):
            raise file.error(file.header_line("site"),
                             "[[site]] must be written [site] (one per file)")
        if key in ("rule", "site"):
            continue
        if isinstance(value, dict) or (isinstance(value, list) and value
                                       and all(isinstance(v, dict) for v in value)):
            hint = _did_you_mean(key, ("rule", "site"),
                                 lambda w: "[[rule]]" if w == "rule" else "[site]")
            raise file.error(file.header_line(key), f"unknown table [{key}]{hint}")
        hint = _did_you_mean(key, ("rule", "site"), lambda w: f"[{w}]")
        raise file.error(top.keys.get(key, 1),
                         f"unknown top-level key {key!r}; keys go inside [site] or a "
                         f"[[rule]] table{hint}")


def _site(value: dict[str, Any], file: _File) -> Site:
    lines = next((t for t in file.tables if t.name == "site" and not t.array),
                 TableLines("site", False, 1))

    def error(key: str | None, message: str) -> RuleError:
        return file.error(lines.keys.get(key, lines.line) if key else lines.line,
                          f"[site]: {message}")

    for key in value:
        if key not in SITE_KEYS:
            raise error(key, f"unknown key {key!r}{_did_you_mean(key, SITE_KEYS)}")
    domains = value.get("domains")
    if domains is None:
        raise error(None, "missing required key 'domains'")
    if (not isinstance(domains, list) or not domains
            or not all(isinstance(d, str) and _DOMAIN.fullmatch(d) for d in domains)):
        raise error("domains", 'domains must be a non-empty array of lowercase domain names '
                               f'like ["example.com"], not {domains!r}')
    recognize = value.get("recognize", [])
    if not isinstance(recognize, list) or not all(isinstance(r, str) for r in recognize):
        raise error("recognize", f"recognize must be an array of regexes, not {recognize!r}")
    patterns = []
    for source in recognize:
        try:
            patterns.append(regex.compile(source))
        except regex.error as exc:
            raise error("recognize", f"invalid regex in 'recognize' ({source!r}): {exc}"
                        ) from None
    if "description" in value and not isinstance(value["description"], str):
        raise error("description", "description must be a string")
    return Site(tuple(d.removeprefix("www.") for d in domains), tuple(patterns),
                f"{file.display}:{lines.line}")


def _rule(value: dict[str, Any], lines: TableLines, file: _File, site: Site | None) -> Rule:
    def at(key: str | None) -> int:
        return lines.keys.get(key, lines.line) if key else lines.line

    rule_id = value.get("id")
    if rule_id is None:
        raise file.error(lines.line, 'rule without an id: every [[rule]] needs id = "..."')
    try:
        rule_id = _nonempty_string(rule_id)
    except _Bad as bad:
        raise file.error(at("id"), f"rule id {bad}") from None
    if not _ID.fullmatch(rule_id):
        raise file.error(at("id"), f"rule id {rule_id!r} must be lowercase letters, digits, "
                                   "'-', '_' or '.' (ids are stable codes, like flake8's)")

    def error(key: str | None, message: str) -> RuleError:
        return file.error(at(key), f"rule {rule_id!r}: {message}")

    kind_name = value.get("kind")
    if kind_name is None:
        raise error(None, f"missing required key 'kind' (one of: {', '.join(KINDS)})")
    if not isinstance(kind_name, str):
        raise error("kind", f"'kind' must be a string, not {_toml_type(kind_name)}")
    kind = KINDS.get(kind_name)
    if kind is None:
        hint = _did_you_mean(kind_name, KINDS) or f" (kinds: {', '.join(KINDS)})"
        raise error("kind", f"unknown kind {kind_name!r}{hint}")
    allowed = (*COMMON_KEYS, *kind.required, *kind.optional)
    for key in value:
        if key in allowed:
            continue
        if key in RULE_KEYS:
            owners = [name for name, k in KINDS.items() if key in k.required + k.optional]
            raise error(key, f"key {key!r} does not apply to kind {kind_name!r} "
                             f"(it is for: {', '.join(owners)})")
        hint = _did_you_mean(key, allowed) or f" (keys for {kind_name}: {', '.join(allowed)})"
        raise error(key, f"unknown key {key!r}{hint}")
    for key in kind.required:
        if key not in value:
            raise error(None, f"missing required key {key!r} (kind {kind_name!r})")
    fields: dict[str, Any] = {}
    for key, raw in value.items():
        if key in ("id", "kind"):
            continue
        try:
            fields[key] = RULE_KEYS[key](raw)
        except _Bad as bad:
            raise error(key, f"{key!r} {bad}") from None
    match = fields.get("match")
    if kind_name == "byline" and "name" not in match.groupindex:
        raise error("match", "'match' of a byline rule needs a named group (?P<name>...)")
    if kind_name == "replace":
        for name, number in _TEMPLATE_GROUP.findall(fields["replacement"]):
            group = name or number
            known = (group.isdigit() and int(group) <= match.groups) or group in match.groupindex
            if not known:
                raise error("replacement", f"'replacement' refers to group {group!r}, which "
                                           "'match' does not define")
    return Rule(id=rule_id, kind=kind_name, where=f"{file.display}:{lines.line}", site=site,
                key_lines=dict(lines.keys), **fields)


def _load_file(path: Path, display: str) -> tuple[bytes, list[Rule]]:
    data, table, file = _read(path, display)
    _check_top_level(table, file)
    site = _site(table["site"], file) if "site" in table else None
    rules: list[Rule] = []
    entries = table.get("rule", [])
    for number, value in enumerate(entries):
        lines = file.rule_tables[number] if number < len(file.rule_tables) else (
            TableLines("rule", True, 1))
        if not isinstance(value, dict):
            raise file.error(lines.line, "each [[rule]] must be a table")
        rules.append(_rule(value, lines, file, site))
    return data, rules


def _files(root: Path, display_root: str) -> list[tuple[Path, str]]:
    """Rule files under a directory in path order (common.toml before sites/), each with
    the path messages show for it. Notes (README.md) and hidden files are skipped; any other
    file is an error rather than a rule file silently not loaded."""
    if root.is_file():
        return [(root, display_root)]
    if not root.is_dir():
        raise RuleError(display_root, 0, "no such rules directory")
    found = []
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        display = f"{display_root.rstrip('/')}/{relative.as_posix()}"
        if path.suffix == ".toml":
            found.append((path, display))
        elif path.suffix.lower() not in _IGNORED_SUFFIXES:
            raise RuleError(display, 0, "not a rule file (rule files end in .toml)")
    return found


def load_files(extra_dirs: Sequence[Path], shipped: bool) -> tuple[list[Rule], str]:
    """All rules in load order, and the fingerprint of the files they came from."""
    roots: list[tuple[Path, str]] = []
    if shipped:
        roots.append((shipped_rules_dir(), "rules"))
    roots += [(Path(d), str(d)) for d in extra_dirs]
    digest = hashlib.sha256()
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for root, display_root in roots:
        for path, display in _files(root, display_root):
            data, file_rules = _load_file(path, display)
            digest.update(display.encode() + b"\0" + data + b"\0")
            for rule in file_rules:
                first = seen.setdefault(rule.id, rule)
                if first is not rule:
                    file, line = rule.where.rsplit(":", 1)
                    raise RuleError(file, int(line), f"duplicate rule id {rule.id!r} (first "
                                                     f"defined at {first.where})")
                rules.append(rule)
    return rules, digest.hexdigest()
