"""Review report: a static page showing what every rule removed across the corpus.

    write_report(out_dir, docs, rules) -> OUT/report.html    (docs: ReportDoc or Document)
    ReportWriter(out_dir, rules)        streaming form: .add(doc) per document, .finish()
    summarize(docs, rules) -> Summary   the numbers the page shows, as a pure function

See docs/report.md.
"""

from cleaner.report.data import (
    DocEntry,
    Piece,
    ReportDoc,
    ReportParagraph,
    RuleInfo,
    RuleStats,
    Summary,
    doc_flag,
    looks_like_prose,
    summarize,
)
from cleaner.report.render import ReportWriter, js_json, write_report

__all__ = [
    "DocEntry",
    "Piece",
    "ReportDoc",
    "ReportParagraph",
    "ReportWriter",
    "RuleInfo",
    "RuleStats",
    "Summary",
    "doc_flag",
    "js_json",
    "looks_like_prose",
    "summarize",
    "write_report",
]
