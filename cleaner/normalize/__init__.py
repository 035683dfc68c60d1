"""Text normalization: small named fixes applied in a fixed order.

`normalize(text)` runs every fix of `FIXES` in turn and reports which ones changed
the text, like ftfy's explanation. Afterwards list items are lines starting with
`- `, every non-blank line is one paragraph, and there is never more than one blank
line in a row.

To add a fix: write a `str -> str` function in `fixes.py` (add a keyword `language`
if it depends on it), with a docstring saying why it exists, put it in `FIXES`, and
add cases to `tests/cases/normalize/fixes.toml`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from cleaner.language import detect_language
from cleaner.normalize.damage import FTFY_CONFIG, needs_ftfy
from cleaner.normalize.fixes import (
    broken_hyphenation,
    bullets,
    extra_whitespace,
    invisible_chars,
    mojibake,
    newlines,
    odd_spaces,
    space_before_punctuation,
    stray_pictograph,
    stray_symbol_line,
    stray_symbol_lines,
)

__all__ = [
    "FIXES",
    "FTFY_CONFIG",
    "Normalized",
    "needs_ftfy",
    "normalize",
    "normalize_many",
    "step_name",
]

Fix = Callable[..., str]

# The order matters:
# - encoding repair first, so every later fix sees real characters (`Ã\xa0` is `à`,
#   not a NBSP to turn into a space);
# - spaces before the line-level fixes, which then see stripped lines;
# - stray symbol lines before pictographs, so `📍 |` goes whole (and is recorded);
# - pictographs before bullets, so `• 📍 item` and `📍 • item` both end as `- item`;
# - joins and punctuation spacing last, on final lines.
FIXES: tuple[Fix, ...] = (
    newlines,
    mojibake,
    odd_spaces,
    invisible_chars,
    extra_whitespace,
    stray_symbol_line,
    stray_pictograph,
    bullets,
    broken_hyphenation,
    space_before_punctuation,
)

# Fixes that remove whole lines, with what picks those of a text: what they take out is
# reported line by line in `Normalized.removed`.
LINE_FILTERS: dict[Fix, Callable[[str], list[str]]] = {stray_symbol_line: stray_symbol_lines}

_TAKES_LANGUAGE = frozenset(f for f in FIXES if "language" in inspect.signature(f).parameters)

# A fix can expose work for an earlier one (removing a soft hyphen can leave a
# mojibake pair, or a sequence that is not NFC), so the fixes run again until nothing
# changes, as ftfy does. Real text settles in one or two rounds; the bound only guards
# against a pathological ping-pong.
MAX_ROUNDS = 4

# What the rounds after the first rely on to skip a fix that has nothing left to do
# (nearly every text gets a second round: stripping its final newline is a change).
# tests/test_speed_equivalence.py holds every fix to what is claimed of it here.
# - Idempotent: run on its own output, the fix changes nothing.
IDEMPOTENT: frozenset[Fix] = frozenset(
    {
        newlines,
        odd_spaces,
        invisible_chars,
        extra_whitespace,
        stray_symbol_line,
        bullets,
        space_before_punctuation,
    }
)
# - Line-local: the fix does to each line what it does to that line alone, so a text is
#   left unchanged when each of its lines is.
LINE_LOCAL: frozenset[Fix] = frozenset(
    {odd_spaces, invisible_chars, stray_pictograph, bullets, space_before_punctuation}
)
# - Line-local on a text that holds none of the given characters (and so for the
#   skip in `_known_unchanged`, when neither the text nor the settled one does).
#   `mojibake`: whether a lone `Â` or `Ã` word is damage depends on the rest of the text
#   (`damage.split_lone_suspects`); without them it repairs the lines `needs_ftfy` flags,
#   one by one, and a line it flags is flagged in any text holding it.
LINE_LOCAL_WITHOUT: dict[Fix, str] = {mojibake: "ÂÃ"}


@dataclass(frozen=True)
class Normalized:
    """The normalized text and the story of how it got there."""

    text: str
    # As given, or detected on the text after the encoding and whitespace fixes.
    language: str | None
    # Names of the fixes that changed the text, in order of first change.
    fixes: tuple[str, ...] = ()
    # (step name, line) for each whole line a fix took out, e.g.
    # ("normalize.stray_symbol_line", "***").
    removed: tuple[tuple[str, str], ...] = ()


def step_name(fix: Fix) -> str:
    """The name a fix goes by in `Removal.rule` and `--explain`: `normalize.<fix>`."""
    return f"normalize.{fix.__name__}"


def _settles(fix: Fix, before: str, after: str) -> bool:
    """Whether running `fix` again on `after`, its output for `before`, changes nothing."""
    return after == before or fix in IDEMPOTENT


class _LineSets(dict[str, frozenset[str]]):
    """text -> the set of its lines, each worked out once per `normalize` call."""

    def __missing__(self, text: str) -> frozenset[str]:
        lines = self[text] = frozenset(text.split("\n"))
        return lines


def _lines_not_in(text: str, settled: str, line_sets: _LineSets) -> list[str]:
    """The lines of `text` that are not lines of `settled`."""
    # Usual cases first: `text` is `settled` with lines dropped at the end (its final
    # newline stripped: a memcmp), or at either end.
    at = 0 if settled.startswith(text) else settled.find(text)
    end = at + len(text)
    if at != -1 and settled[at - 1 : at] in ("", "\n") and settled[end : end + 1] in ("", "\n"):
        return []
    return list(line_sets[text] - line_sets[settled])


class _NewLines:
    """`_lines_not_in`, joined, for one `normalize` call: the fixes of a round that ask
    it ask it of the same two texts (the one they settled on is the round's input)."""

    def __init__(self) -> None:
        self.line_sets = _LineSets()
        self._last: tuple[str, str, str] | None = None

    def __call__(self, text: str, settled: str) -> str:
        last = self._last
        if last is not None and last[0] is text and last[1] is settled:
            return last[2]
        new = "\n".join(_lines_not_in(text, settled, self.line_sets))
        self._last = (text, settled, new)
        return new


def _line_local_on(fix: Fix, *texts: str) -> bool:
    """Whether `fix` is line-local on each of `texts`."""
    if fix in LINE_LOCAL:
        return True
    chars = LINE_LOCAL_WITHOUT.get(fix)
    return chars is not None and not any(char in text for char in chars for text in texts)


def _known_unchanged(
    fix: Fix, text: str, settled: str | None, run: Callable[[str], str], new_lines: _NewLines
) -> bool:
    """True when `fix` is sure to leave `text` unchanged, knowing it leaves `settled` so."""
    if settled is None:
        return False
    if text == settled:
        return True
    if not _line_local_on(fix, text, settled):
        return False
    # Every line of `settled` is left unchanged (were one changed, so would the text), so
    # only the others need asking, all at once (one of them changed changes their text).
    new = new_lines(text, settled)
    return run(new) == new


def normalize(text: str, language: str | None = None) -> Normalized:
    """Apply every fix of `FIXES` in order, until the text stops changing.

    >>> n = normalize("  • Later , in Messenger ?\\n|\\n")
    >>> n.text, n.fixes, n.removed
    ('- Later, in Messenger?', ('extra_whitespace', 'stray_symbol_line', 'bullets', \
'space_before_punctuation'), (('normalize.stray_symbol_line', '|'),))
    """
    result = normalize_many([(text, language)])[0]
    if isinstance(result, Exception):
        raise result
    return result


def normalize_many(texts: Sequence[tuple[str, str | None]]) -> list[Normalized | Exception]:
    """`normalize(text, language)` on each pair: its result, or the exception it raised.

    The texts go in lockstep, one fix at a time each, so that a fix's patterns, and the
    stopword table when their languages are detected, stay in the core's cache from one
    text to the next instead of being evicted by everything else a text goes through."""
    steps = [_normalizing(text, language) for text, language in texts]
    results: list[Normalized | Exception | None] = [None] * len(steps)
    live = list(range(len(steps)))
    while live:
        going = []
        for i in live:
            try:
                next(steps[i])
            except StopIteration as done:
                results[i] = done.value
            except Exception as error:  # noqa: BLE001 - that text's result
                results[i] = error
            else:
                going.append(i)
        live = going
    return results  # type: ignore[return-value]


# The fix that strips a text's final newlines, whatever else it does (see below).
STRIPS_FINAL_NEWLINES: Fix = extra_whitespace


def _final_newlines_stripped(text: str) -> tuple[str, bool]:
    """`text` without its final newlines, and whether there were any.

    Nearly every file ends in a newline, which `STRIPS_FINAL_NEWLINES` strips: a change,
    and so a second round of every fix, only to find nothing else to do (~25 µs a
    document). The fixes before it leave final newlines alone (they work line by line;
    `newlines` turns a `\r` just before them into one more, stripped all the same), so
    they go up front instead, and the fix is credited with them when it runs: the same
    text, the same `fixes`.
    """
    stripped = text.rstrip("\n")
    return stripped, len(stripped) != len(text)


def _normalizing(text: str, language: str | None) -> Generator[None, None, Normalized]:
    """`normalize`, pausing after each fix."""
    fixes: list[str] = []
    removed: list[tuple[str, str]] = []
    detected = language is not None
    # fix -> a text it is known to leave unchanged: from the previous round on, a fix
    # is skipped when that shows it has nothing to do.
    settled: dict[Fix, str] = {}
    new_lines = _NewLines()
    text, credit_strip = _final_newlines_stripped(text)
    for _ in range(MAX_ROUNDS):
        start = text
        for fix in FIXES:
            yield
            if fix is STRIPS_FINAL_NEWLINES and credit_strip:
                credit_strip = False
                if fix.__name__ not in fixes:
                    fixes.append(fix.__name__)
            if fix in _TAKES_LANGUAGE and not detected:
                language = detect_language(text)
                detected = True
            run = functools.partial(fix, language=language) if fix in _TAKES_LANGUAGE else fix
            if _known_unchanged(fix, text, settled.get(fix), run, new_lines):
                settled[fix] = text
                continue
            fixed = run(text)
            if _settles(fix, text, fixed):
                settled[fix] = fixed
            else:
                settled.pop(fix, None)
            if fixed == text:
                continue
            if fix.__name__ not in fixes:
                fixes.append(fix.__name__)
            lines_out = LINE_FILTERS.get(fix)
            if lines_out is not None:
                name = step_name(fix)
                removed.extend((name, line) for line in lines_out(text))
            text = fixed
        if text == start:
            break
    if not detected:
        language = detect_language(text)
    return Normalized(text=text, language=language, fixes=tuple(fixes), removed=tuple(removed))
