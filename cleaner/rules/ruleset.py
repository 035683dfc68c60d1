"""`RuleSet`: the loaded rules, applied to one document at a time.

Order: rules run in load order (shipped `common.toml`, shipped `sites/*.toml`, then each
`--rules` directory), each on the paragraphs still kept after the ones before it. A rule
runs on a document when its site matches (site files) and its `languages` include the
document's language (rules that declare some).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from cleaner.document import Document, Paragraph, Removal
from cleaner.rules.kinds import KINDS, Context, Plan
from cleaner.rules.model import Rule, Site
from cleaner.rules.sites import site_matches

DEFAULT_TIMEOUT = 1.0  # seconds per regex call: far above any sane pattern on one paragraph
# Numbered backreferences change meaning once patterns are joined into one alternation.
_NUMBERED_BACKREF = regex.compile(r"\\[1-9]|\\g<\d|\(\?P=|\(\?\|")
# What can make a pattern answer differently on a paragraph inside the joined document than
# on the paragraph alone: anchors, lookarounds, graphemes, `\G`/`\K`, recursion, any `(?...`
# other than a group, an atomic group, a comment or inline flags. (`\b` is safe: `\n` is a
# non-word character, like the string's edges.) `^` counts outside `[^`, the rest anywhere,
# even escaped or in a comment: a false alarm only costs speed.
_CONTEXT_SENSITIVE = regex.compile(
    r"(?<!\[)\^|\$|\\[AZzGKX]|\(\?(?!:|P<|>|#|(?:[aiLmsux]|V[01])*(?:-[aiLmsux]+)?[:)])"
)


@dataclass(frozen=True)
class _Prefilter:
    """One alternation of the patterns of several rules: most paragraphs are article text
    that no rule matches, and one regex call proves it instead of one per rule. Inline
    flags such as `(?i)` stay inside their `(?:...)` group with the regex module, so the
    alternation matches exactly when one of the patterns does. Paragraphs longer than every
    member's `max_words`/`max_chars` are not even tried."""

    pattern: regex.Pattern[str]
    search: bool  # `replace` patterns are searched; the others match whole paragraphs
    max_words: float
    max_chars: float
    # The same alternation for one call over all the paragraphs joined by `\n` (a regex call
    # with a timeout costs microseconds before it matches anything, and a document has
    # dozens of paragraphs); None when a member is `_CONTEXT_SENSITIVE`.
    document: regex.Pattern[str] | None = None
    # The group's `_CONTEXT_SENSITIVE` members, asked paragraph by paragraph, when the others
    # are scanned over the document (`document`): a paragraph may match when either says so.
    rest: _Prefilter | None = None

    def fits(self, text: str) -> bool:
        return len(text) <= self.max_chars and (self.max_words == _NO_LIMIT
                                                or len(text.split()) <= self.max_words)

    def maybe(self, text: str, timeout: float) -> bool:
        if self.rest is not None and self.rest.maybe(text, timeout):
            return True
        return self._maybe_own(text, timeout)

    def _maybe_own(self, text: str, timeout: float) -> bool:
        if not self.fits(text):
            return False
        try:
            run = self.pattern.search if self.search else self.pattern.fullmatch
            return run(text, timeout=timeout) is not None
        except TimeoutError:
            return True  # let each rule try on its own, and time out on its own

    def maybe_all(self, texts: Sequence[str], timeout: float) -> list[bool]:
        """`[self.maybe(text, timeout) for text in texts]`, in one call when it can.

        In the paragraphs joined by `\n` (one more before the first and after the last),
        a paragraph that a member matches as a whole (or
        inside, when searched) still matches at the same place: members see no anchors nor
        lookarounds. A match found there is that paragraph's own unless it runs across a
        `\n`; the paragraphs such a match covers (the scan stepped over them) are asked one
        by one, and so is every paragraph when the call times out or a text holds a `\n`.
        """
        own = self._maybe_all_own(texts, timeout)
        if self.rest is None:
            return own
        return [known or self.rest.maybe(text, timeout)
                for known, text in zip(own, texts, strict=True)]

    def _maybe_all_own(self, texts: Sequence[str], timeout: float) -> list[bool]:
        maybe = self._maybe_own
        if self.document is None or len(texts) < 2:
            return [maybe(text, timeout) for text in texts]
        indexes = [i for i, text in enumerate(texts) if self.fits(text)]
        tried = [texts[i] for i in indexes]
        result = [False] * len(texts)
        if not tried:
            return result
        if any("\n" in text for text in tried):
            return [maybe(text, timeout) for text in texts]
        try:
            if self.search:
                if self.document.search("\n".join(tried), timeout=timeout) is None:
                    return result
                return [maybe(text, timeout) for text in texts]  # rare: ask each
            # `\n` before each paragraph and after the last: the scan's literal `\n` lets the
            # engine jump from line start to line start. A match starting at the `\n` in
            # front of paragraph k covers `[start + 1, end)`, that is `[start, end - 1)` in
            # the text without the first `\n`, where `starts` are counted.
            joined = "\n" + "\n".join(tried) + "\n"
            starts, offset = [], 0
            for text in tried:
                starts.append(offset)
                offset += len(text) + 1
            unsure: list[int] = []
            for match in self.document.finditer(joined, timeout=timeout):
                first = bisect_right(starts, match.start()) - 1
                last = bisect_right(starts, match.end() - 1) - 1
                if first == last:
                    result[indexes[first]] = True
                else:
                    unsure += indexes[first : last + 1]
        except TimeoutError:
            return [maybe(text, timeout) for text in texts]
        for i in unsure:
            result[i] = maybe(texts[i], timeout)
        return result


_NO_LIMIT = float("inf")


def _group(rule: Rule) -> str:
    if rule.kind == "replace":
        return "replace"
    return "short" if rule.max_words or rule.max_chars else "any"


def _prefilters(rules: Sequence[Rule]) -> dict[str, _Prefilter]:
    # group -> [members that can be scanned over the document, the others]; a member is
    # (pattern source, max_words, max_chars).
    members: dict[str, tuple[list[tuple[str, float, float]], list[tuple[str, float, float]]]] = {}
    broken: set[str] = set()
    for rule in rules:
        group = _group(rule)
        keys = ("match",) if group == "replace" else KINDS[rule.kind].line_patterns
        for key in keys:
            pattern: regex.Pattern[str] | None = getattr(rule, key)
            if pattern is None:
                continue
            if _NUMBERED_BACKREF.search(pattern.pattern):
                broken.add(group)
            scannable, sensitive = members.setdefault(group, ([], []))
            part = sensitive if _CONTEXT_SENSITIVE.search(pattern.pattern) else scannable
            part.append((f"(?:{pattern.pattern})", rule.max_words or _NO_LIMIT,
                         rule.max_chars or _NO_LIMIT))
    prefilters = {}
    for group, (scannable, sensitive) in members.items():
        if group in broken:
            continue
        search = group == "replace"
        try:
            rest = _prefilter(sensitive, search, scan=False) if sensitive else None
            if scannable:
                prefilter = _prefilter(scannable, search, scan=True)
                prefilters[group] = dataclasses.replace(prefilter, rest=rest)
            elif rest is not None:
                prefilters[group] = rest
        except regex.error:  # e.g. a global-only flag mid-pattern: fall back to rule by rule
            continue
    return prefilters


def _prefilter(members: Sequence[tuple[str, float, float]], search: bool, *, scan: bool
               ) -> _Prefilter:
    """The alternation of the members; with `scan`, also its form for the joined document
    (the members must not be `_CONTEXT_SENSITIVE`)."""
    combined = regex.compile("|".join(source for source, _, _ in members))
    document = None
    if scan:
        # Whole paragraphs: from a `\n` to a `\n` of the joined text (see `maybe_all`).
        wrapped = combined.pattern if search else r"\n(?:" + combined.pattern + r")(?=\n)"
        try:
            document = regex.compile(wrapped)
        except regex.error:  # one call per paragraph, then
            document = None
    return _Prefilter(combined, search, max(words for _, words, _ in members),
                      max(chars for _, _, chars in members), document)


@dataclass
class RuleSet:
    rules: list[Rule]
    fingerprint: str  # sha256 over the loaded files' display paths and bytes
    timeout: float = DEFAULT_TIMEOUT
    _prefilters: dict[str, _Prefilter] = field(default_factory=dict, init=False, repr=False)
    _sites: list[Site] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._prefilters = _prefilters(self.rules)
        sites: dict[int, Site] = {}
        for rule in self.rules:
            if rule.site is not None:
                sites.setdefault(id(rule.site), rule.site)
        self._sites = list(sites.values())

    def sites_for(self, doc: Document) -> list[Site]:
        """The site files that apply to this document (see `sites.py`)."""
        needs_text = not doc.url and any(site.recognize for site in self._sites)
        text = "\n".join(p.text for p in doc.paragraphs) if needs_text else None
        matched = []
        for site in self._sites:
            try:
                if site_matches(site, doc, text, self.timeout):
                    matched.append(site)
            except TimeoutError:
                doc.warnings.append(f"site {site.name} ({site.where}): a 'recognize' regex "
                                    f"timed out after {self.timeout:g} s; site not applied")
        return matched

    def apply(self, doc: Document, *, max_share: float = 0.5) -> None:
        """Apply every rule that concerns the document, in load order, recording each removal
        on the document. A rule that would take more than `max_share` of the remaining text
        (its own `max_share` if it sets one) or whose regex times out is skipped for this
        document with a warning; the other rules still run."""
        sites = self.sites_for(doc)
        if sites and doc.site is None:
            doc.site = sites[0].name
        site_ids = {id(site) for site in sites}
        # group -> id(paragraph) -> can a pattern of that group match it?
        maybe: dict[str, dict[int, bool]] = {group: {} for group in self._prefilters}
        # Most rules change nothing, so the kept paragraphs and each group's prefilter answers
        # are computed once and reused until a rule commits (a rule only sees what the rules
        # before it left).
        paragraphs: list[Paragraph] | None = None
        answers: dict[str, tuple[list[bool] | None, list[int]]] = {}
        for rule in self.rules:
            if rule.site is not None and id(rule.site) not in site_ids:
                continue
            if not rule.applies_to_language(doc.language):
                continue
            if paragraphs is None:
                paragraphs = doc.kept()
                answers = {}
            if not paragraphs:
                return
            group = _group(rule)
            if group not in answers:
                answers[group] = self._maybe(group, paragraphs, maybe.get(group))
            flags, candidates = answers[group]
            ctx = Context(paragraphs, doc.language, self.timeout, flags, candidates)
            try:
                plan = KINDS[rule.kind].apply(rule, ctx)
            except TimeoutError:
                doc.warnings.append(f"rule {rule.id} ({rule.where}): regex timed out after "
                                    f"{self.timeout:g} s; rule skipped for this document")
                continue
            if not plan:
                continue
            limit = rule.max_share if rule.max_share is not None else max_share
            total = sum(len(p.text) for p in paragraphs)
            share = plan.removed_chars() / total if total else 0.0
            if share > limit:
                doc.warnings.append(f"rule {rule.id} ({rule.where}) skipped: it would remove "
                                    f"{share:.0%} of the remaining text (max_share {limit:g})")
                continue
            _commit(rule, plan, doc)
            paragraphs = None
            for edit in plan.edits:  # its text changed: ask again
                for cache in maybe.values():
                    cache.pop(id(edit.paragraph), None)

    def _maybe(self, group: str, paragraphs: list[Paragraph], cache: dict[int, bool] | None
               ) -> tuple[list[bool] | None, list[int]]:
        """Per paragraph, can a pattern of the group match it (None: no prefilter, try every
        one); and the indexes of those that can, the only ones the rule's kind looks at."""
        prefilter = self._prefilters.get(group)
        if prefilter is None or cache is None:
            return None, list(range(len(paragraphs)))
        unknown = [p for p in paragraphs if id(p) not in cache]
        if unknown:
            answers = prefilter.maybe_all([p.text for p in unknown], self.timeout)
            for paragraph, known in zip(unknown, answers, strict=True):
                cache[id(paragraph)] = known
        result = [cache[id(p)] for p in paragraphs]
        return result, [i for i, known in enumerate(result) if known]


def _commit(rule: Rule, plan: Plan, doc: Document) -> None:
    for paragraph, note in plan.drops:
        doc.drop(paragraph, Removal(rule.id, rule.where, paragraph.text, rule.kind, note))
    for edit in plan.edits:
        edit.paragraph.text = edit.new_text
        for old, new in edit.replaced:
            doc.removed.append(Removal(rule.id, rule.where, old, rule.kind, new))
    for key, value in plan.metadata.items():
        if key == "author" and doc.author is None:
            doc.author = value
        elif key == "date" and doc.date is None:
            doc.date = value
        elif key not in ("author", "date"):
            doc.extra.setdefault(key, value)
