"""Write stage: a Document as txt or JSON, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from cleaner.document import Document

OutputFormat = Literal["txt", "json"]
SUFFIX: dict[OutputFormat, str] = {"txt": ".txt", "json": ".json"}


def render_txt(doc: Document) -> str:
    """Title, a blank line, then the body; always ends with one newline (empty if no text)."""
    body = doc.body_text()
    parts = [part for part in (doc.title, body) if part]
    return "\n\n".join(parts) + "\n" if parts else ""


def document_record(doc: Document) -> dict[str, Any]:
    """The JSON object for one document (also one line of a JSONL shard)."""
    return {
        "source": doc.source,
        "url": doc.url,
        "site": doc.site,
        "title": doc.title,
        "date": doc.date,
        "date_updated": doc.extra.get("date_updated"),
        "author": doc.author,
        "language": doc.language,
        "text": doc.body_text(),
        "removed": [removal.as_json() for removal in doc.removed],
        "warnings": list(doc.warnings),
    }


def render_json(doc: Document) -> str:
    return json.dumps(document_record(doc), ensure_ascii=False, indent=2) + "\n"


def render(doc: Document, fmt: OutputFormat) -> str:
    return render_json(doc) if fmt == "json" else render_txt(doc)


def default_file_mode() -> int:
    """The mode open() would give a new file: mkstemp's 0600 is wrong for an output."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temp file beside `path`, then rename: a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, default_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
