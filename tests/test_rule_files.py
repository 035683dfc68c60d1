"""The shipped rule files: they load, every rule is honest about its own examples and
counterexamples, site files are named after their domain, and rules/README.md documents
every kind and key (and its example files load)."""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path

import pytest

from cleaner.document import Document, Paragraph
from cleaner.rules import KINDS, Rule, load_rules, shipped_rules_dir
from cleaner.rules.examples import check_examples
from cleaner.rules.load import RULE_KEYS, SITE_KEYS
from cleaner.rules.model import Site
from cleaner.rules.sites import site_matches

RULES = load_rules()
README = (shipped_rules_dir() / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", RULES.rules, ids=[r.id for r in RULES.rules])
def test_rule_fires_on_examples_and_not_on_counterexamples(rule: Rule) -> None:
    assert rule.examples, f"{rule.where}: rule {rule.id} has no examples"
    assert rule.counterexamples, f"{rule.where}: rule {rule.id} has no counterexamples"
    assert check_examples(rule) == []


def test_every_rule_has_a_description() -> None:
    assert [r.id for r in RULES.rules if not r.description] == []


def test_site_files_are_named_after_their_first_domain() -> None:
    for rule in RULES.rules:
        if rule.site is not None:
            assert Path(rule.file).name == f"{rule.site.domains[0]}.toml", rule.where


def test_every_kind_is_in_the_shipped_set_or_the_cases() -> None:
    cases = (Path(__file__).parent / "cases" / "rules" / "apply.toml").read_text("utf-8")
    for kind in KINDS:
        assert kind in {r.kind for r in RULES.rules} or f'kind = "{kind}"' in cases, kind


@pytest.mark.parametrize("word", [*KINDS, *RULE_KEYS, *SITE_KEYS])
def test_readme_documents_every_kind_and_key(word: str) -> None:
    assert f"`{word}`" in README


def test_readme_examples_load(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", README, flags=re.S)
    assert blocks
    for number, block in enumerate(blocks):
        (tmp_path / f"example{number}.toml").write_text(block, encoding="utf-8")
    rules = load_rules([tmp_path], shipped=False)
    assert rules.rules


# (document source, whether a site file for example.com applies): a directory of the path
# named after the domain (or a subdomain), however the path is written.
SOURCES = [
    ("example.com/a.txt", True), ("raw/www.Example.COM/a.txt", True),
    ("./news.example.com/x/a.txt", True), ("raw\\example.com\\a.txt", True),
    ("/data//example.com/./a.txt", True), ("example.com.warc.gz#record-7", False),
    ("dump/example.com.warc.gz#record-7", False), ("example.com", False),
    ("a.txt", False), ("notexample.com/a.txt", False), ("example.com/", False),
    ("x/example.com/", False), ("example.com/sub/#r", True),
]


@pytest.mark.parametrize(("source", "applies"), SOURCES)
def test_site_applies_by_a_directory_of_the_source(source: str, applies: bool) -> None:
    site = Site(("example.com",))
    assert site_matches(site, Document(source), lambda: "", 1.0) is applies


# (paragraphs of a document without a URL, whether techpoint.africa's `recognize` regex,
# `(?m)^Subscribe To Techpoint Digest$`, finds it): the same with the rules' prefilter,
# which runs the regex only on documents holding its strings in some case.
RECOGNIZED = [
    (["Story text.", "Subscribe To Techpoint Digest", "Other stories"], True),
    (["Story text.", "subscribe to techpoint digest"], False),  # the regex is case-sensitive
    (["Story text about Techpoint."], False),
    (["Subscribe To Techpoint", "Digest"], False),
]


# `shipped`: pickled, as a rule set goes to Ray's workers (before its prefilter is built).
@pytest.mark.parametrize(("prefilter_after", "shipped"), [(0, False), (10**9, False),
                                                          (10**9, True)])
@pytest.mark.parametrize(("texts", "recognized"), RECOGNIZED)
def test_site_recognized_by_its_text_alike_with_the_prefilter(
        texts: list[str], recognized: bool, prefilter_after: int, shipped: bool) -> None:
    rules = dataclasses.replace(load_rules(), prefilter_after=prefilter_after)
    if shipped:
        rules = pickle.loads(pickle.dumps(rules))
    doc = Document("raw/a.txt", [Paragraph(text) for text in texts])
    rules.apply(doc)
    assert (doc.site == "techpoint.africa") is recognized
