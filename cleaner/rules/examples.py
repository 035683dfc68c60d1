"""Check a rule against its own `examples` and `counterexamples` (keys in the rule file).

A rule *fires* on an example document when applying that rule alone (max_share 1.0, the
document in the rule's first language) drops, edits or records anything. Tests run this
for every shipped rule; run it on your own rules the same way.
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.document import Document, Paragraph
from cleaner.rules.model import Example, Rule
from cleaner.rules.ruleset import RuleSet


def _document(example: Example, rule: Rule) -> Document:
    paragraphs = [Paragraph(text[2:], "li") if text.startswith("- ") else Paragraph(text)
                  for text in example]
    return Document("example.txt", paragraphs,
                    language=rule.languages[0] if rule.languages else None)


def fires(rule: Rule, example: Example) -> bool:
    doc = _document(example, rule)
    RuleSet([replace(rule, site=None)], fingerprint="").apply(
        doc, max_share=1.0)
    return bool(doc.removed or doc.author or doc.date or doc.extra)


def check_examples(rule: Rule) -> list[str]:
    """Problems, one line each: `where: rule id: does not fire on example [...]`."""
    problems = []
    for example in rule.examples:
        if not fires(rule, example):
            problems.append(f"{rule.where}: rule {rule.id}: does not fire on example "
                            f"{list(example)!r}")
    for example in rule.counterexamples:
        if fires(rule, example):
            problems.append(f"{rule.where}: rule {rule.id}: fires on counterexample "
                            f"{list(example)!r}")
    return problems
