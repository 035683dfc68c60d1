"""`RuleSet`: the loaded rules, applied to a document, or to a batch one rule at a time.

Order: rules run in load order (shipped `common.toml`, shipped `sites/*.toml`, then each
`--rules` directory), each on the paragraphs still kept after the ones before it. A rule
runs on a document when its site matches (site files) and its `languages` include the
document's language (rules that declare some).

Speed: a rule's regexes only run on the paragraphs `candidates.py` leaves in, those holding
the strings every match needs (`needs.py`); the others could not match, so the result is
the one of trying every paragraph (`prefilter=False`; tests/test_speed_equivalence.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from cleaner.document import Document, Removal
from cleaner.rules.candidates import DocumentScan, Gate, GateTable, RulesByGate
from cleaner.rules.deadline import Deadline
from cleaner.rules.kinds import KINDS, Context, Plan
from cleaner.rules.model import Rule, Site
from cleaner.rules.needs import Needs, needs
from cleaner.rules.sites import site_matches

DEFAULT_TIMEOUT = 1.0  # CPU seconds for a rule's regexes on one document (`deadline.py`)


def _gates(rules: Sequence[Rule], prefilter: bool) -> tuple[list[Gate], list[dict[str, int]]]:
    """One gate per distinct pattern (and way of matching it), and for each rule its pattern
    keys' gates. Without `prefilter`, gates rule nothing out (every paragraph is tried)."""
    gates: list[Gate] = []
    numbers: dict[Gate, int] = {}
    per_rule = []
    for rule in rules:
        kind = KINDS[rule.kind]
        keys = {}
        for key in kind.patterns:
            pattern: regex.Pattern[str] | None = getattr(rule, key)
            if pattern is None:
                continue
            gate = Gate(needs(pattern) if prefilter else Needs(), kind.whole, rule.max_words)
            number = numbers.get(gate)
            if number is None:
                number = numbers[gate] = len(gates)
                gates.append(gate)
            keys[key] = number
        per_rule.append(keys)
    return gates, per_rule


@dataclass
class RuleSet:
    rules: list[Rule]
    fingerprint: str  # sha256 over the loaded files' display paths and bytes
    timeout: float = DEFAULT_TIMEOUT
    # False: try every rule on every paragraph, as the prefilter must give the same results
    # (for tests, and to measure what it saves).
    prefilter: bool = True
    # Documents cleaned before the prefilter is built: reading what every pattern needs
    # (`needs.py`) costs ~0.1 s of CPU for the shipped rules, more than cleaning a
    # few documents, and `clean` on one file must start fast. Same results either way.
    prefilter_after: int = 8
    _applied: int = field(default=0, init=False, repr=False)
    _gates: list[Gate] = field(default_factory=list, init=False, repr=False)
    _rule_gates: list[dict[str, int]] = field(default_factory=list, init=False, repr=False)
    _first_rules: RulesByGate = field(init=False, repr=False)
    _table: GateTable = field(init=False, repr=False)
    _sites: list[Site] = field(default_factory=list, init=False, repr=False)
    # By site (as in `_sites`): its `recognize` regexes, each with what it needs (see
    # `sites_for`). Not keyed by `id(site)`: a rule set sent to another process (Ray)
    # arrives with new objects.
    _recognize: list[list[tuple[regex.Pattern[str], Needs]]] = field(
        default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        sites: dict[int, Site] = {}
        for rule in self.rules:
            if rule.site is not None:
                sites.setdefault(id(rule.site), rule.site)
        self._sites = list(sites.values())
        self._build_gates(self.prefilter and self.prefilter_after <= 0)

    def _build_gates(self, prefilter: bool) -> None:
        self._gates, self._rule_gates = _gates(self.rules, prefilter)
        self._first_rules = RulesByGate.of(
            [next(iter(gates.values()), None) for gates in self._rule_gates], len(self._gates))
        self._table = GateTable(self._gates)
        self._recognize = [[(p, needs(p) if prefilter else Needs()) for p in site.recognize]
                           for site in self._sites]

    def sites_for(self, doc: Document, folded: bytes | None = None) -> list[Site]:
        """The site files that apply to this document (see `sites.py`). `folded`, the `fold`
        of its paragraphs joined by newlines when known, spares running the `recognize`
        regexes whose strings it lacks (and joining the paragraphs, when none is left)."""
        joined: list[str] = []  # the paragraphs joined, once asked

        def text() -> str:
            if not joined:
                joined.append("\n".join([p.text for p in doc.paragraphs]))
            return joined[0]

        matched = []
        for site, recognizers in zip(self._sites, self._recognize, strict=True):
            recognize = [pattern for pattern, need in recognizers
                         if folded is None or need.may_hold(folded)]
            try:
                if site_matches(site, doc, text, self.timeout, recognize):
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
        error = self.apply_many([doc], max_share=max_share)[0]
        if error is not None:
            raise error

    def apply_many(self, docs: Sequence[Document], *, max_share: float = 0.5
                   ) -> list[Exception | None]:
        """`apply` on each document, one rule at a time over all of them; for each, the
        error that stopped its rules (None: none did). A document's result is the one of
        `apply`: it sees the rules in the same order, and documents share nothing.

        Rule by rule, because a document touches megabytes (every rule's compiled regex,
        the prefilter's automata), more than a core's cache holds: one document's fifty
        rules each found their regex evicted by the others' (a `fullmatch` on a short
        line took 5-10 µs in the pipeline, 2 µs warm); applied to a batch in turn, each
        regex stays in cache for the batch."""
        # Built for the batch holding document number `prefilter_after` (from 0), if not
        # at the start.
        if self.prefilter and self.prefilter_after > 0 and (
                self._applied <= self.prefilter_after < self._applied + len(docs)):
            self._build_gates(True)
        self._applied += len(docs)
        passes: list[_Pass] = []
        errors: list[Exception | None] = [None] * len(docs)
        for number, doc in enumerate(docs):
            try:
                doc_pass = self._start(doc, number, max_share)
            except Exception as error:  # noqa: BLE001 - one document's error is its own
                errors[number] = error
                continue
            if doc_pass is not None:
                passes.append(doc_pass)
        deadline = Deadline(self.timeout)
        try:
            for index, rule in enumerate(self.rules):
                for doc_pass in passes:
                    if doc_pass.pending >> index & 1:
                        try:
                            doc_pass.step(index, rule, deadline)
                        except Exception as error:  # noqa: BLE001 - as above
                            errors[doc_pass.number] = error
                            doc_pass.pending = 0
        finally:
            deadline.close()
        return errors

    def _start(self, doc: Document, number: int, max_share: float) -> _Pass | None:
        """The document's pass through the rules, or None when no rule can act on it."""
        kept = doc.kept()
        scan = DocumentScan(self._table, kept) if kept else None
        # The scan's folded text is the whole document's while no paragraph is dropped.
        folded = scan.folded_text if scan and len(kept) == len(doc.paragraphs) else None
        sites = self.sites_for(doc, folded)
        if sites and doc.site is None:
            doc.site = sites[0].name
        if scan is None:
            return None
        return _Pass(self, doc, number, scan, {id(site) for site in sites}, max_share)


class _Pass:
    """One document on its way through a rule set: which rules may still act on it, and
    the paragraphs they see."""

    def __init__(self, ruleset: RuleSet, doc: Document, number: int, scan: DocumentScan,
                 site_ids: set[int], max_share: float) -> None:
        self.ruleset, self.doc, self.number, self.scan = ruleset, doc, number, scan
        self.site_ids, self.max_share = site_ids, max_share
        # Bit `index` for each rule that may act: most rules' first pattern matches
        # nothing in a document, and the scan tells which at once.
        self.pending = scan.may_act(ruleset._first_rules)

    def step(self, index: int, rule: Rule, deadline: Deadline) -> None:
        """Apply rule `index` (one of `pending`)."""
        ruleset, doc, scan = self.ruleset, self.doc, self.scan
        if rule.site is not None and id(rule.site) not in self.site_ids:
            return
        if rule.languages and not rule.applies_to_language(doc.language):
            return
        if not scan.kept:
            self.pending = 0
            return
        candidates = scan.candidates(ruleset._rule_gates[index])
        if candidates is None:
            return  # its first pattern matches nothing, and the rule needs it
        try:
            # The deadline's timer, or else each regex call's `timeout=`, stops a regex
            # that runs too long: the kind only plans, so nothing is half-done.
            per_call = deadline.start()
            plan = KINDS[rule.kind].apply(
                rule, Context(scan.kept, doc.language, per_call, candidates))
        except TimeoutError:
            doc.warnings.append(f"rule {rule.id} ({rule.where}): regex timed out after "
                                f"{ruleset.timeout:g} s; rule skipped for this document")
            return
        finally:
            deadline.stop()
        if not plan:
            return
        limit = rule.max_share if rule.max_share is not None else self.max_share
        total = scan.kept_chars
        share = plan.removed_chars() / total if total else 0.0
        if share > limit:
            doc.warnings.append(f"rule {rule.id} ({rule.where}) skipped: it would remove "
                                f"{share:.0%} of the remaining text (max_share {limit:g})")
            return
        _commit(rule, plan, doc)
        scan.update([paragraph for paragraph, _ in plan.drops],
                    [edit.paragraph for edit in plan.edits])
        if plan.edits:  # an edited paragraph may now hold what any later rule needs
            self.pending |= -1 << (index + 1)  # every bit from `index + 1` on


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
