"""Write stage: a Document as txt or JSON, written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
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
    written = write_atomic_each([(path, data)])[0]
    if isinstance(written, OSError):
        raise written


def write_atomic_each(files: Sequence[tuple[Path, str | bytes]]) -> list[int | OSError]:
    """`write_atomic` for each file, each on its own: returns the bytes written to each, or
    the error that left that one file as it was (disk full fails a file, not the batch).

    Every file is written and its writeback started before the first fsync waits, so the
    disk takes the batch's flushes together; per file, one after another, they were the
    serial part of a run (~0.5-1 ms each here). Each file still gets its own fsync, which
    is what names the file a late write error belongs to.
    """
    results: list[int | OSError] = []
    fds: dict[int, int] = {}  # by index into files: still open
    temps: dict[int, str] = {}  # by index: still to rename or remove
    parents: set[Path] = set()  # made already: mkdir costs a failing syscall per file
    mode = default_file_mode()
    try:
        for index, (path, data) in enumerate(files):
            payload = data.encode("utf-8") if isinstance(data, str) else data
            results.append(len(payload))
            try:
                if path.parent not in parents:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    parents.add(path.parent)
                fds[index], temps[index] = tempfile.mkstemp(
                    prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                os.fchmod(fds[index], mode)
                _write_all(fds[index], payload)
                if len(files) > 1:
                    _start_writeback(fds[index])
            except OSError as error:
                results[index] = error
        for index in list(fds):
            try:
                if not isinstance(results[index], OSError):
                    os.fsync(fds[index])
            except OSError as error:
                results[index] = error
            try:
                os.close(fds.pop(index))
            except OSError as error:  # a network filesystem may report a lost write here
                if not isinstance(results[index], OSError):
                    results[index] = error
        for index in list(temps):
            if not isinstance(results[index], OSError):
                try:
                    os.replace(temps[index], files[index][0])
                    del temps[index]
                except OSError as error:
                    results[index] = error
            if index in temps:
                Path(temps.pop(index)).unlink(missing_ok=True)
    except BaseException:
        # Interrupted: no temp file may outlive the run.
        for fd in fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)
        raise
    return results


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


_sync_file_range: Callable[[int, int, int, int], int] | None = None


def _start_writeback(fd: int) -> None:
    """Linux's sync_file_range(SYNC_FILE_RANGE_WRITE): start writing, do not wait. Only a
    head start for the fsync that follows, so where it is missing nothing is lost."""
    global _sync_file_range
    if _sync_file_range is None:
        _sync_file_range = _load_sync_file_range()
    _sync_file_range(fd, 0, 0, 2)


def _load_sync_file_range() -> Callable[[int, int, int, int], int]:
    if not sys.platform.startswith("linux"):
        return lambda *args: 0
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return lambda *args: 0
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function
