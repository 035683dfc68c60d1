"""Rule kinds: one small function per kind, and the `KINDS` table.

The TOML `kind` value, the key in `KINDS` and the label `--explain` prints (`Removal.kind`)
are the same word, so there is nothing to keep in sync. A kind function only *plans*: it
returns what it would drop, edit and record, and `RuleSet.apply` decides (max_share) and
commits. So a rule that is skipped or times out leaves the document exactly as it was.

Add a kind: write `def name(rule, ctx) -> Plan`, add `"name": Kind(name, ...)` to `KINDS`,
document it in rules/README.md and add cases to tests/cases/rules/.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import regex

from cleaner.document import Paragraph
from cleaner.rules.dates import parse_date
from cleaner.rules.model import Rule


@dataclass
class Edit:
    paragraph: Paragraph
    new_text: str
    replaced: list[tuple[str, str]]  # (matched text, what replaced it)


@dataclass
class Plan:
    """What one rule would do to one document."""

    drops: list[tuple[Paragraph, str]] = field(default_factory=list)  # (paragraph, note)
    edits: list[Edit] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # author, date, date_updated

    def drop(self, paragraph: Paragraph, note: str = "") -> None:
        self.drops.append((paragraph, note))

    def removed_chars(self) -> int:
        dropped = sum(len(p.text) for p, _ in self.drops)
        return dropped + sum(len(old) for e in self.edits for old, _ in e.replaced)

    def __bool__(self) -> bool:
        return bool(self.drops or self.edits or self.metadata)


@dataclass
class Context:
    """What a kind function sees of the document."""

    paragraphs: Sequence[Paragraph]  # the kept paragraphs, in order
    language: str | None
    # Seconds per regex call (the regex module raises TimeoutError), or None when a
    # `Deadline` times the whole rule.
    timeout: float | None
    # Per pattern key ("match", "start", "end"): the indexes, ascending, of the paragraphs
    # that pattern may match (the others lack a string it needs, see `needs.py`), so a kind
    # walks only these. A key that is absent: every paragraph.
    candidates: Mapping[str, Sequence[int]] = field(default_factory=dict)

    def indexes(self, key: str = "match", start: int = 0, stop: int | None = None
                ) -> Sequence[int]:
        """The candidate indexes for the pattern `key` in `start <= i < stop`, ascending."""
        candidates = self.candidates.get(key)
        if candidates is None:
            candidates = range(len(self.paragraphs))
        if start == 0 and stop is None:
            return candidates
        low = bisect_right(candidates, start - 1)
        high = len(candidates) if stop is None else bisect_right(candidates, stop - 1)
        return candidates[low:high]


def _fits(rule: Rule, text: str) -> bool:
    if rule.max_chars is not None and len(text) > rule.max_chars:
        return False
    limit = rule.max_words
    # n characters hold at most (n + 1) // 2 words: most lines need no split; and one
    # word past the limit is as good as all of them.
    return (limit is None or len(text) < 2 * limit
            or len(text.split(None, limit)) <= limit)


def _line(rule: Rule, pattern: regex.Pattern[str] | None, ctx: Context, index: int
          ) -> regex.Match[str] | None:
    """The paragraph matches the pattern as a whole (like `re.fullmatch`)."""
    if pattern is None:
        return None
    text = ctx.paragraphs[index].text
    if not _fits(rule, text):
        return None
    # No `timeout=` unless one is due: the `regex` module spends ~0.5 µs a call parsing the
    # keyword, even for None (then the deadline's timer keeps the limit, or there is none).
    if ctx.timeout is None:
        return pattern.fullmatch(text)
    return pattern.fullmatch(text, timeout=ctx.timeout)


def drop(rule: Rule, ctx: Context) -> Plan:
    """Drop every paragraph the `match` regex matches as a whole."""
    plan = Plan()
    for i in ctx.indexes():
        if _line(rule, rule.match, ctx, i):
            plan.drop(ctx.paragraphs[i])
    return plan


def _offsets(paragraphs: Sequence[Paragraph]) -> tuple[list[int], int]:
    """Characters before each paragraph, and in all: `within` is a share of characters,
    so one long article paragraph counts for more than a run of short menu lines."""
    before, total = [], 0
    for paragraph in paragraphs:
        before.append(total)
        total += len(paragraph.text)
    return before, total


def trailer(rule: Rule, ctx: Context) -> Plan:
    """From the first matching paragraph to the end (`inclusive = false`: after it).
    With `within = 0.3`, only a match starting in the last 30% of the text counts."""
    plan = Plan()
    before, total = _offsets(ctx.paragraphs) if rule.within is not None else ([], 0)
    for i in ctx.indexes():
        if rule.within is not None and before[i] < (1 - rule.within) * total:
            continue
        if _line(rule, rule.match, ctx, i):
            for paragraph in ctx.paragraphs[i if rule.inclusive else i + 1 :]:
                plan.drop(paragraph)
            break
    return plan


def header(rule: Rule, ctx: Context) -> Plan:
    """From the start to the first matching paragraph, that paragraph included
    (`inclusive = false`: up to it). With `within = 0.3`, only a match starting in the
    first 30% of the text counts."""
    plan = Plan()
    before, total = _offsets(ctx.paragraphs) if rule.within is not None else ([], 0)
    for i in ctx.indexes():
        if rule.within is not None and before[i] > rule.within * total:
            break
        if _line(rule, rule.match, ctx, i):
            for paragraph in ctx.paragraphs[: i + 1 if rule.inclusive else i]:
                plan.drop(paragraph)
            break
    return plan


def block(rule: Rule, ctx: Context) -> Plan:
    """From a paragraph matching `start` to the next one matching `end`, markers included
    (`inclusive = false`: only what is between them). A start without an end drops
    nothing: an unclosed block is more likely a false start than the rest of the page."""
    plan = Plan()
    count = len(ctx.paragraphs)
    i = 0
    while True:
        # The next candidate from i on: no other paragraph can match `start`.
        starts = ctx.indexes("start", i)
        if not starts:
            break
        i = starts[0]
        if not _line(rule, rule.start, ctx, i):
            i += 1
            continue
        last = count if rule.max_paragraphs is None else min(count, i + rule.max_paragraphs)
        end = next((j for j in ctx.indexes("end", i + 1, last) if _line(rule, rule.end, ctx, j)),
                   None)
        if end is None:
            i += 1
            continue
        span = range(i, end + 1) if rule.inclusive else range(i + 1, end)
        for j in span:
            plan.drop(ctx.paragraphs[j])
        i = end + 1
    return plan


_SENTENCE_END = regex.compile(r"(?:^|[.!?…:]['\"’”»)\]]*)\s*[«“\"'(\[]*\s*$")


def _cased(case: str, new: str, match: regex.Match[str]) -> str:
    """`case = "sentence"`: capital at the start of a sentence, lower case elsewhere
    (`Celui- this` -> `This one` / `this one`). `case = "match"`: follow the matched text
    (`CELUI-CI` -> `THIS ONE`, `Celui-ci` -> `This one`, `celui-ci` -> `this one`)."""
    if not new or case == "keep":
        return new
    if case == "sentence":
        upper = bool(_SENTENCE_END.search(match.string, 0, match.start()))
    else:
        old = match.group()
        if old.isupper() and sum(c.isalpha() for c in old) > 1:
            return new.upper()
        upper = old[:1].isupper()
    return (new[0].upper() if upper else new[0].lower()) + new[1:]


def replace(rule: Rule, ctx: Context) -> Plan:
    """Replace each `match` inside a paragraph with `replacement` (a regex template:
    `\\1`, `\\g<name>`). A paragraph left blank is dropped instead."""
    plan = Plan()
    assert rule.match is not None
    for i in ctx.indexes():
        paragraph = ctx.paragraphs[i]
        replaced: list[tuple[str, str]] = []

        def substitute(match: regex.Match[str], replaced: list[tuple[str, str]] = replaced
                       ) -> str:
            new = _cased(rule.case, match.expand(rule.replacement), match)
            replaced.append((match.group(), new))
            return new

        new_text = rule.match.sub(substitute, paragraph.text, timeout=ctx.timeout).strip()
        if new_text == paragraph.text:
            continue
        if new_text:
            plan.edits.append(Edit(paragraph, new_text, replaced))
        else:
            plan.drop(paragraph)
    return plan


# A paragraph that starts with the author's name "reads as a bio" when it has one of these:
# a job title, "has been"/"joined", a contact invitation, an e-mail address or a phone number.
_BIO_CUES = regex.compile(
    r"(?i)\b(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|"
    r"has\s+been|joined|contact|covers|journaliste|rédact(?:eur|rice)|correspondant|"
    r"chroniqueu(?:r|se)|a\s+rejoint|redakteur(?:in)?|periodista|redactor(?:a)?)\b"
    r"|[\w.+-]+@[\w-]+\.\w[\w.]*"
    r"|\+?\d[\d ().-]{7,}\d"
)
_BIO_MAX_WORDS = 150
_NAME_TRIM = " \t.,;:|–—-"


def byline(rule: Rule, ctx: Context) -> Plan:
    """Drop `By <Name>` paragraphs (`match` has a group `name`) and record the first name as
    the author. With `bio = true` (the default) also drop, anywhere in the document, a
    paragraph that is only that name and a bio that starts with it (`_BIO_CUES`)."""
    plan = Plan()
    names: list[str] = []
    for i in ctx.indexes():
        match = _line(rule, rule.match, ctx, i)
        if match and match.group("name"):
            plan.drop(ctx.paragraphs[i])
            name = " ".join(match.group("name").split()).strip(_NAME_TRIM)
            if name and name not in names:
                names.append(name)
    if not names:
        return plan
    plan.metadata["author"] = names[0]
    if rule.bio:
        bylines = {id(p) for p, _ in plan.drops}
        folded = [name.casefold() for name in names]
        starts = tuple(name + " " for name in folded)
        # Case folding never shortens a text and folds each character alone, and no
        # character folds to or from one of `_NAME_TRIM`: only a text as short as a name
        # can be one, and the start of a text, folded, tells how its folding starts.
        longest = max(map(len, folded))
        for paragraph in ctx.paragraphs:
            if id(paragraph) in bylines:
                continue
            text = paragraph.text
            name = text.strip(_NAME_TRIM)
            if len(name) <= longest and name.casefold() in folded:
                plan.drop(paragraph, "the author's name")
            elif (text[:longest + 1].casefold().startswith(starts)
                  and len(text.split()) <= _BIO_MAX_WORDS
                  and _BIO_CUES.search(text, timeout=ctx.timeout)):
                plan.drop(paragraph, "the author's bio")
    return plan


def dateline(rule: Rule, ctx: Context) -> Plan:
    """Drop a paragraph that is a date (or `Last updated: <date>`...) and record the date:
    the `date` group if the pattern has one, else the whole paragraph, parsed by
    python-dateutil. The first one found is the document's date (`updated = true`:
    its `date_updated`). A paragraph whose date does not parse fully is kept."""
    plan = Plan()
    assert rule.match is not None
    has_group = "date" in rule.match.groupindex
    key = "date_updated" if rule.updated else "date"
    for i in ctx.indexes():
        match = _line(rule, rule.match, ctx, i)
        if not match:
            continue
        paragraph = ctx.paragraphs[i]
        text = match.group("date") if has_group and match.group("date") else match.group()
        iso = parse_date(text, ctx.language)
        if iso is None:
            continue
        plan.drop(paragraph, iso)
        plan.metadata.setdefault(key, iso)
    return plan


@dataclass(frozen=True)
class Kind:
    apply: Callable[[Rule, Context], Plan]
    required: tuple[str, ...]  # keys the rule must set, besides `id` and `kind`
    optional: tuple[str, ...]
    # Keys holding regexes, the first one the pattern a rule cannot act without.
    patterns: tuple[str, ...]
    whole: bool = True  # the patterns match whole paragraphs (else they are searched in one)


KINDS: dict[str, Kind] = {
    "drop": Kind(drop, ("match",), ("max_words", "max_chars"), ("match",)),
    "trailer": Kind(trailer, ("match",), ("within", "inclusive", "max_words", "max_chars"),
                    ("match",)),
    "header": Kind(header, ("match",), ("within", "inclusive", "max_words", "max_chars"),
                   ("match",)),
    "block": Kind(block, ("start", "end"), ("inclusive", "max_paragraphs"), ("start", "end")),
    "replace": Kind(replace, ("match", "replacement"), ("case",), ("match",), whole=False),
    "byline": Kind(byline, ("match",), ("bio", "max_words", "max_chars"), ("match",)),
    "dateline": Kind(dateline, ("match",), ("updated", "max_words", "max_chars"), ("match",)),
}
