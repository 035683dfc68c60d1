"""`RuleSet`: the loaded rules, applied to one document at a time.

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
from cleaner.rules.candidates import DocumentScan, Gate, GateTable
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
    # (`needs.py`) costs about half a second for the shipped rules, more than cleaning a
    # few documents, and `clean` on one file must start fast. Same results either way.
    prefilter_after: int = 8
    _applied: int = field(default=0, init=False, repr=False)
    _gates: list[Gate] = field(default_factory=list, init=False, repr=False)
    _rule_gates: list[dict[str, int]] = field(default_factory=list, init=False, repr=False)
    _first_gates: list[int | None] = field(default_factory=list, init=False, repr=False)
    _table: GateTable = field(init=False, repr=False)
    _sites: list[Site] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._build_gates(self.prefilter and self.prefilter_after <= 0)
        sites: dict[int, Site] = {}
        for rule in self.rules:
            if rule.site is not None:
                sites.setdefault(id(rule.site), rule.site)
        self._sites = list(sites.values())

    def _build_gates(self, prefilter: bool) -> None:
        self._gates, self._rule_gates = _gates(self.rules, prefilter)
        self._first_gates = [next(iter(gates.values()), None) for gates in self._rule_gates]
        self._table = GateTable(self._gates)

    def sites_for(self, doc: Document) -> list[Site]:
        """The site files that apply to this document (see `sites.py`)."""
        needs_text = not doc.url and any(site.recognize for site in self._sites)
        text = "\n".join([p.text for p in doc.paragraphs]) if needs_text else None
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
        if self.prefilter and 0 < self.prefilter_after == self._applied:
            self._build_gates(True)
        self._applied += 1
        sites = self.sites_for(doc)
        if sites and doc.site is None:
            doc.site = sites[0].name
        site_ids = {id(site) for site in sites}
        kept = doc.kept()
        if not kept:
            return
        deadline = Deadline(self.timeout)
        try:
            self._apply_rules(doc, DocumentScan(self._table, kept), deadline, site_ids,
                              max_share)
        finally:
            deadline.close()

    def _apply_rules(self, doc: Document, scan: DocumentScan, deadline: Deadline,
                     site_ids: set[int], max_share: float) -> None:
        # The rules that may act, in order: most rules' first pattern matches nothing in
        # a document, and the scan tells which at once.
        pending: Sequence[int] = scan.may_act(self._first_gates)
        at = 0
        while at < len(pending):
            index = pending[at]
            at += 1
            rule, gates = self.rules[index], self._rule_gates[index]
            if rule.site is not None and id(rule.site) not in site_ids:
                continue
            if rule.languages and not rule.applies_to_language(doc.language):
                continue
            if not scan.kept:
                return
            candidates = scan.candidates(gates)
            if candidates is None:
                continue  # its first pattern matches nothing, and the rule needs it
            try:
                # The deadline's timer, or else each regex call's `timeout=`, stops a regex
                # that runs too long: the kind only plans, so nothing is half-done.
                per_call = deadline.start()
                plan = KINDS[rule.kind].apply(
                    rule, Context(scan.kept, doc.language, per_call, candidates))
            except TimeoutError:
                doc.warnings.append(f"rule {rule.id} ({rule.where}): regex timed out after "
                                    f"{self.timeout:g} s; rule skipped for this document")
                continue
            finally:
                deadline.stop()
            if not plan:
                continue
            limit = rule.max_share if rule.max_share is not None else max_share
            total = scan.kept_chars
            share = plan.removed_chars() / total if total else 0.0
            if share > limit:
                doc.warnings.append(f"rule {rule.id} ({rule.where}) skipped: it would remove "
                                    f"{share:.0%} of the remaining text (max_share {limit:g})")
                continue
            _commit(rule, plan, doc)
            scan.update([paragraph for paragraph, _ in plan.drops],
                        [edit.paragraph for edit in plan.edits])
            if plan.edits:  # an edited paragraph may now hold what any later rule needs
                pending, at = range(index + 1, len(self.rules)), 0


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
