"""`clean --explain FILE`: the document paragraph by paragraph, kept or dropped and why."""

from __future__ import annotations

from cleaner.document import Document, Paragraph

PREVIEW_CHARS = 110


def _preview(text: str, full: bool) -> str:
    if full or len(text) <= PREVIEW_CHARS:
        return text
    return text[: PREVIEW_CHARS - 1].rstrip() + "…"


def _status(paragraph: Paragraph) -> str:
    score = f" score {paragraph.score:.2f}" if paragraph.score is not None else ""
    if paragraph.is_title:
        return "TITLE"
    if paragraph.dropped is None:
        return f"kept{score}"
    removal = paragraph.dropped
    if removal.where == removal.rule:  # a built-in step
        reason = f" ({removal.note})" if removal.note else ""
        return f"DROPPED by step {removal.rule}{reason}"
    return f"DROPPED by rule {removal.rule} [{removal.kind}] {removal.where}"


def explain(doc: Document, *, full: bool = False) -> str:
    lines = [doc.source]
    meta = ("language", "site", "url", "date", "author", "title")
    lines += [f"  {key}: {getattr(doc, key)}" for key in meta if getattr(doc, key)]
    if doc.fixes:
        lines.append(f"  normalizer fixes: {', '.join(doc.fixes)}")
    lines.append("")
    width = len(str(len(doc.paragraphs)))
    for number, paragraph in enumerate(doc.paragraphs, 1):
        marker = "- " if paragraph.kind == "li" else ""
        lines.append(f"{number:>{width}} {_status(paragraph)}")
        lines.append(f"{'':>{width}}   | {marker}{_preview(paragraph.text, full)}")
    dropped = {id(p.dropped) for p in doc.paragraphs if p.dropped is not None}
    others = [r for r in doc.removed if id(r) not in dropped]
    if others:
        lines += ["", "Also taken out (inside paragraphs, or whole lines by the normalizer):"]
        for removal in others:
            where = "" if removal.where == removal.rule else f" [{removal.kind}] {removal.where}"
            note = f" -> {removal.note!r}" if removal.note else ""
            lines.append(f"  {removal.rule}{where}: {removal.text!r}{note}")
    for warning in doc.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"
