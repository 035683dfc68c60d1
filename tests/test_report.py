"""The data the review page is built from (cleaner.report), and the files it writes."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.document import Document, Paragraph, Removal
from cleaner.report import (
    ReportDoc,
    ReportWriter,
    RuleInfo,
    doc_flag,
    js_json,
    looks_like_prose,
    summarize,
    write_report,
)
from cleaner.report.demo import RULES, demo_documents, make_document


def removed_json(doc: Document) -> list[dict[str, str]]:
    """The JSON output's `removed` field: what the report's counts must agree with."""
    return [r.as_json() for r in doc.removed]


@pytest.fixture
def corpus() -> tuple[list[Document], tuple[RuleInfo, ...]]:
    return demo_documents(), RULES


def test_counts_per_rule_match_removed_lists(corpus):
    docs, rules = corpus
    summary = summarize((ReportDoc.from_document(d) for d in docs), rules)
    hits: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    touched: Counter[str] = Counter()
    for doc in docs:
        removed = removed_json(doc)
        for r in removed:
            hits[r["rule"]] += 1
            chars[r["rule"]] += len(r["text"])
        touched.update({r["rule"] for r in removed})
    assert {r.id: r.hits for r in summary.rules if r.fired} == dict(hits)
    assert {r.id: r.chars for r in summary.rules if r.fired} == dict(chars)
    assert {r.id: r.docs for r in summary.rules if r.fired} == dict(touched)
    assert summary.documents == len(docs)
    assert summary.removed_chars == sum(chars.values())
    assert [d.pieces for d in summary.docs] == [len(d.removed) for d in docs]


def test_never_fired_rules_are_listed_with_kind_and_where(corpus):
    docs, rules = corpus
    summary = summarize((ReportDoc.from_document(d) for d in docs), rules)
    never = {r.id: (r.kind, r.where) for r in summary.never_fired}
    assert never == {
        "cookie-banner": ("drop", "rules/common.toml:46"),
        "related-links": ("trailer", "rules/common.toml:53"),
    }
    # Every rule of the rule set is in the table, fired or not, in rule-set order.
    assert [r.id for r in summary.rules][: len(rules)] == [r.id for r in rules]
    assert all(r.listed for r in summary.rules[: len(rules)])


def test_builtin_steps_are_added_unlisted(corpus):
    docs, rules = corpus
    summary = summarize((ReportDoc.from_document(d) for d in docs), rules)
    classifier = summary.rule("classifier")
    assert not classifier.listed
    assert (classifier.kind, classifier.where) == ("step", "classifier")
    assert classifier.hits == 4 and classifier.docs == 2


def test_flags_empty_and_lost_more_than_half(corpus):
    docs, rules = corpus
    summary = summarize((ReportDoc.from_document(d) for d in docs), rules)
    assert [d.source for d in summary.empty_docs] == ["005_cookie_wall.txt"]
    assert [d.source for d in summary.half_docs] == ["007_nairametrics_brief.txt"]
    for entry in summary.docs:
        if entry.flag == "":
            assert entry.kept_chars * 2 >= entry.original_chars


@pytest.mark.parametrize(
    ("original", "kept", "flag"),
    [(0, 0, "empty"), (100, 0, "empty"), (100, 49, "half"), (100, 50, ""), (100, 100, "")],
)
def test_doc_flag_threshold(original, kept, flag):
    assert doc_flag(original, kept) == flag


def test_from_document_separates_inline_removals():
    doc = make_document("a.txt", ["Kept text here.", ("Share this", "share-widget")])
    # A replacement with the same text as a dropped paragraph: only one of the two
    # equal removals belongs to the paragraph, the other was cut from inside one.
    doc.removed.append(Removal("share-widget", "rules/common.toml:4", "Share this", "drop"))
    rdoc = ReportDoc.from_document(doc)
    assert [p.dropped is not None for p in rdoc.paragraphs] == [False, True]
    assert [p.text for p in rdoc.inline_removed] == ["Share this"]
    assert rdoc.kept_chars == len("Kept text here.")
    assert rdoc.original_chars == rdoc.kept_chars + 2 * len("Share this")
    assert [i for i, _ in rdoc.pieces()] == [1, -1]


def test_title_paragraph_is_neither_kept_nor_removed():
    doc = Document(
        source="t.txt", paragraphs=[Paragraph("Title", is_title=True), Paragraph("Body")]
    )
    rdoc = ReportDoc.from_document(doc)
    assert (rdoc.original_chars, rdoc.kept_chars) == (4, 4)
    assert rdoc.paragraphs[0].is_title


def test_looks_like_prose():
    assert not looks_like_prose("Spread the love")
    assert not looks_like_prose("Subscribe To Techpoint Digest")
    sentence = "This sentence is part of an article and it goes on for quite a while. " * 3
    assert looks_like_prose(sentence)


@pytest.mark.parametrize(
    "text", ["</script><script>alert(1)</script>", "<!--", "a\u2028b\u2029c", "&lt; & >"]
)
def test_js_json_is_inert_in_html_and_round_trips(text):
    encoded = js_json({"t": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"t": text}


def _index(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-index">(.*?)</script>', html, re.S)
    assert m, "index block missing"
    return json.loads(m.group(1))


def test_write_report_files_and_index(tmp_path: Path, corpus):
    docs, rules = corpus
    page = write_report(tmp_path, docs, rules)
    assert page == tmp_path / "report.html"
    html = page.read_text(encoding="utf-8")
    index = _index(html)
    summary = summarize((ReportDoc.from_document(d) for d in docs), rules)
    assert index["documents"] == len(docs)
    assert {r["id"]: r["hits"] for r in index["rules"]} == {r.id: r.hits for r in summary.rules}
    assert [d[0] for d in index["docs"]] == [d.source for d in docs]
    for n, doc in enumerate(docs):
        data = (tmp_path / "_report" / "docs" / f"{n:04d}.js").read_text(encoding="utf-8")
        m = re.fullmatch(r'__reportLoad\("d(\d+)",(.*)\);\n', data, re.S)
        assert m and int(m.group(1)) == n
        assert json.loads(m.group(2))["source"] == doc.source
    # Self-contained: no external stylesheet, script or image is referenced.
    assert not re.search(r"<(link|img)\b|<script[^>]*\bsrc=", html)


def test_hostile_text_cannot_break_out_of_the_page(tmp_path: Path, corpus):
    docs, rules = corpus
    html = write_report(tmp_path, docs, rules).read_text(encoding="utf-8")
    assert "window.__pwned" in html  # the hostile document is in the index...
    assert "<script>window.__pwned" not in html  # ...but only escaped
    assert "<img" not in html
    # Exactly our two script elements: the JSON index and the page script.
    assert len(re.findall(r"<script\b", html)) == 2
    assert len(re.findall(r"</script>", html)) == 2
    # A document holding a template placeholder does not get our assets pasted in.
    assert html.count('"use strict";') == 1
    assert "/*{{JS}}*/ {{DATA}}" in html
    for data in (tmp_path / "_report").rglob("*.js"):
        assert "<" not in data.read_text(encoding="utf-8")


def test_streaming_writes_as_documents_come(tmp_path: Path, corpus):
    docs, rules = corpus
    seen: list[int] = []

    def stream() -> Iterator[Document]:
        for n, doc in enumerate(docs):
            if n:  # the previous document's data file exists before the next is read
                assert (tmp_path / "_report" / "docs" / f"{n - 1:04d}.js").exists()
            seen.append(n)
            yield doc

    write_report(tmp_path, stream(), rules)
    assert seen == list(range(len(docs)))


def test_rule_pieces_are_chunked(tmp_path: Path, corpus):
    docs, rules = corpus
    writer = ReportWriter(tmp_path, rules, chunk_size=3)
    for doc in docs:
        writer.add(doc)
    index = _index(writer.finish().read_text(encoding="utf-8"))
    for i, rule in enumerate(index["rules"]):
        assert rule["chunks"] == -(-rule["hits"] // 3)
        rows = []
        for c in range(rule["chunks"]):
            text = (tmp_path / "_report" / "rules" / f"{i:04d}-{c:04d}.js").read_text()
            m = re.fullmatch(r'__reportLoad\("r(\d+)-(\d+)",(.*)\);\n', text, re.S)
            assert m and (int(m.group(1)), int(m.group(2))) == (i, c)
            rows.extend(json.loads(m.group(3)))
        assert len(rows) == rule["hits"]
        assert all(index["docs"][n][0] for n, _, _, _ in rows)
    assert writer.summary.documents == len(docs)


def test_rerun_replaces_old_data(tmp_path: Path, corpus):
    docs, rules = corpus
    write_report(tmp_path, docs, rules)
    write_report(tmp_path, docs[:1], rules)
    assert sorted(p.name for p in (tmp_path / "_report" / "docs").iterdir()) == ["0000.js"]


def test_page_script_never_parses_html():
    """Document text reaches the DOM only as text nodes (see page.js header)."""
    from importlib import resources

    script = resources.files("cleaner.report").joinpath("page.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code
