"""Write the review page: `OUT/report.html` plus small data files under `OUT/_report/`.

Layout (all loaded from `file://`, no server):

    OUT/report.html                 page, CSS, JS and the index (counts only) inline
    OUT/_report/docs/NNNN.js        one document: paragraphs, removed pieces, metadata
    OUT/_report/rules/RRRR-CCCC.js  one chunk of the pieces one rule removed

Data files are scripts calling `__reportLoad(key, data)` because Chromium blocks fetch()
of file:// URLs but not <script src>. They are written as documents stream in, so memory
holds only counters, the per-document index rows and at most one chunk per rule.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from cleaner.document import Document
from cleaner.report.data import (
    Accumulator,
    DocEntry,
    ReportDoc,
    RuleInfo,
    Summary,
    looks_like_prose,
)

DATA_DIR = "_report"
REPORT_NAME = "report.html"
# Pieces per rule file: a page of the rule view; small enough to load instantly.
CHUNK_SIZE = 200
# The rule view shows the start of very long pieces; the document view has them whole.
PIECE_PREVIEW_CHARS = 1500

# Scraped text is hostile. JSON escapes quotes and backslashes but not `<`, so a string
# holding `</script>` would end an inline <script> block; U+2028/2029 end lines in older JS.
# Escaping these as \\uXXXX keeps the JSON identical in value and inert in HTML.
_JS_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


_PLACEHOLDER = re.compile(r"/\*\{\{(\w+)\}\}\*/|\{\{(\w+)\}\}")


def js_json(value: Any) -> str:
    """JSON safe to embed in a <script> element or a .js file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JS_ESCAPES)


def doc_file(n: int) -> str:
    return f"{DATA_DIR}/docs/{n:04d}.js"


def rule_file(rule_index: int, chunk: int) -> str:
    return f"{DATA_DIR}/rules/{rule_index:04d}-{chunk:04d}.js"


def _asset(name: str) -> str:
    return resources.files("cleaner.report").joinpath(name).read_text(encoding="utf-8")


def _write(path: Path, text: str) -> None:
    # Write then rename, so an interrupted run never leaves a half-written page.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _index_json(summary: Summary, chunks: dict[str, int], chunk_size: int) -> dict[str, Any]:
    return {
        "documents": summary.documents,
        "original_chars": summary.original_chars,
        "kept_chars": summary.kept_chars,
        "chunk_size": chunk_size,
        "rules": [
            {
                "id": r.id,
                "kind": r.kind,
                "where": r.where,
                "listed": r.listed,
                "hits": r.hits,
                "docs": r.docs,
                "chars": r.chars,
                "prose": r.prose_like,
                "chunks": chunks.get(r.id, 0),
            }
            for r in summary.rules
        ],
        # Arrays, not objects: this is the one part that grows with the corpus.
        "docs": [
            [
                d.source,
                d.title,
                d.site,
                d.language,
                d.original_chars,
                d.kept_chars,
                d.pieces,
                d.prose_like,
                d.flag,
            ]
            for d in summary.docs
        ],
    }


def render_page(index: dict[str, Any]) -> str:
    """The self-contained HTML page around the (already computed) index."""
    script = _asset("page.js")
    style = _asset("page.css")
    # Our own assets are inlined raw; they must not be able to close their element.
    if "</script" in script.lower() or "</style" in style.lower():
        raise ValueError("report assets must not contain </script or </style")
    # CSP as a second line of defence behind textContent: only our inline script runs
    # (by hash), and scripts it creates (the data files) via 'strict-dynamic'; injected
    # inline handlers like onerror= would be refused. No network: nothing else may load.
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}' 'strict-dynamic'; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    values = {
        "CSP": csp,
        "TITLE": f"Review report: {index['documents']} documents",
        "CSS": style,
        "DATA": js_json(index),
        "JS": script,
    }
    # One pass over the template: inserted text (document titles in DATA, say) is never
    # scanned again, so a document holding "{{JS}}" stays just text.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1) or m.group(2)], _asset("page.html"))


class ReportWriter:
    """Build the report from documents as they are cleaned.

    with ReportWriter(out_dir, rules) as report:
        for doc in cleaned_documents:
            report.add(doc)
    report.path  # OUT/report.html
    """

    def __init__(
        self, out_dir: Path, rules: Sequence[RuleInfo], *, chunk_size: int = CHUNK_SIZE
    ) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / REPORT_NAME
        self.chunk_size = chunk_size
        self._acc = Accumulator(rules)
        self._buffers: dict[str, list[list[Any]]] = {}
        self._chunks: dict[str, int] = {}
        self._summary: Summary | None = None
        data = self.out_dir / DATA_DIR
        # Files of an earlier, bigger run would be harmless (the index decides what is
        # loaded) but confusing; the folder is the report's own, so start it afresh.
        if data.exists():
            shutil.rmtree(data)
        (data / "docs").mkdir(parents=True)
        (data / "rules").mkdir()

    def add(self, doc: ReportDoc | Document) -> DocEntry:
        if isinstance(doc, Document):
            doc = ReportDoc.from_document(doc)
        entry = self._acc.add(doc)
        key = f"d{entry.n}"
        (self.out_dir / doc_file(entry.n)).write_text(
            f"__reportLoad({js_json(key)},{js_json(doc.as_json())});\n", encoding="utf-8"
        )
        for para_index, piece in doc.pieces():
            text = piece.text
            if len(text) > PIECE_PREVIEW_CHARS:
                text = text[:PIECE_PREVIEW_CHARS] + "…"
            row = [entry.n, para_index, text, int(looks_like_prose(piece.text))]
            buffer = self._buffers.setdefault(piece.rule, [])
            buffer.append(row)
            if len(buffer) >= self.chunk_size:
                self._flush(piece.rule)
        return entry

    def _flush(self, rule_id: str) -> None:
        rows = self._buffers.pop(rule_id, [])
        if not rows:
            return
        chunk = self._chunks.get(rule_id, 0)
        rule_index = self._acc.rule_index(rule_id)
        key = f"r{rule_index}-{chunk}"
        (self.out_dir / rule_file(rule_index, chunk)).write_text(
            f"__reportLoad({js_json(key)},{js_json(rows)});\n", encoding="utf-8"
        )
        self._chunks[rule_id] = chunk + 1

    def finish(self) -> Path:
        """Write the remaining piece chunks and report.html; returns the page's path."""
        for rule_id in list(self._buffers):
            self._flush(rule_id)
        self._summary = self._acc.summary()
        index = _index_json(self._summary, self._chunks, self.chunk_size)
        _write(self.path, render_page(index))
        return self.path

    @property
    def summary(self) -> Summary:
        if self._summary is None:
            raise RuntimeError("finish() first")
        return self._summary

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()


def write_report(
    out_dir: Path, docs: Iterable[ReportDoc | Document], rules: Sequence[RuleInfo]
) -> Path:
    """Write OUT/report.html (and OUT/_report/) for `docs`, consumed once; returns the page."""
    writer = ReportWriter(out_dir, rules)
    for doc in docs:
        writer.add(doc)
    return writer.finish()
