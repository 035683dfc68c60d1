"""Container inputs: JSONL / JSONL.gz and WARC / WARC.gz files holding many documents.

A container `RAW/x/crawl.warc.gz` becomes one output shard `OUT/x/crawl.jsonl.gz`: one JSON
object per record, in input order. Readers yield `Record`s; a record that cannot be read
(bad JSON line, corrupt WARC record, no `html`/`text`) is yielded too, with `error` set, so
the caller can log it and go on with the rest of the shard.

Record ids and URLs are data only: they never become file names (no path traversal).
WARC files are parsed by warcio, never by hand; we only look for the next record boundary
after a corrupt record so that one bad record does not cost the rest of the file.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

from cleaner.write import default_file_mode

ContainerKind = Literal["jsonl", "warc"]

# Longest suffix first: `a.jsonl.gz` must not be taken for a loose `.gz` file.
CONTAINER_SUFFIXES: tuple[tuple[str, ContainerKind, bool], ...] = (
    (".jsonl.gz", "jsonl", True),
    (".warc.gz", "warc", True),
    (".jsonl", "jsonl", False),
    (".warc", "warc", False),
)

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# The fields of a JSONL record that carry the document itself (consumed, not passed on).
BODY_FIELDS = ("html", "text")


@dataclass(frozen=True)
class Record:
    """One document inside a container, or the reason it could not be read."""

    index: int  # 0-based position among the records yielded for this shard
    where: dict[str, int]  # {"line": n} (1-based) for JSONL, {"offset": n} for WARC
    id: Any = None  # JSONL: `id` field, else `url`, else the line number; WARC: Record-ID
    url: str | None = None
    data: bytes = b""
    input_format: Literal["text", "html"] | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # JSONL fields passed through
    error: str | None = None


def container_kind(name: str) -> tuple[ContainerKind, bool] | None:
    """(`jsonl` | `warc`, gzipped) for a container file name, None for a loose file."""
    lowered = name.lower()
    for suffix, kind, gz in CONTAINER_SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return kind, gz
    return None


def shard_relpath(rel: PurePosixPath) -> PurePosixPath:
    """`x/crawl.warc.gz` -> `x/crawl.jsonl.gz`, `x/a.jsonl` -> `x/a.jsonl`."""
    kind = container_kind(rel.name)
    if kind is None:
        raise ValueError(f"{rel}: not a container file")
    gz = kind[1]
    lowered = rel.name.lower()
    stem = next(rel.name[: -len(s)] for s, _, _ in CONTAINER_SUFFIXES if lowered.endswith(s))
    return rel.with_name(stem + (".jsonl.gz" if gz else ".jsonl"))


def iter_records(path: Path) -> Iterator[Record]:
    kind = container_kind(path.name)
    if kind is None:
        raise ValueError(f"{path}: not a container file")
    return iter_jsonl(path) if kind[0] == "jsonl" else iter_warc(path)


# --- JSONL -------------------------------------------------------------------------------


def _open_lines(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def iter_jsonl(path: Path) -> Iterator[Record]:
    """One record a line: `html` or `text`, optional `url` and `id`, other fields kept."""
    index = 0
    lineno = 0
    with _open_lines(path) as handle:
        while True:
            try:
                line = handle.readline()
            except (OSError, EOFError, zlib.error) as error:
                # A truncated or corrupt gzip stream cannot be resynchronised: report where
                # it broke and keep what came before.
                yield Record(index, {"line": lineno + 1}, error=f"corrupt gzip stream: {error}")
                return
            if not line:
                return
            lineno += 1
            if not line.strip():
                continue  # blank lines (a trailing newline, hand-edited files) are no records
            yield _jsonl_record(index, lineno, line)
            index += 1


def _jsonl_record(index: int, lineno: int, line: bytes) -> Record:
    where = {"line": lineno}
    try:
        obj = json.loads(line)
    except UnicodeDecodeError:
        return Record(index, where, error="line is not UTF-8")
    except json.JSONDecodeError as error:
        return Record(index, where, error=f"bad JSON: {error.msg} (column {error.colno})")
    if not isinstance(obj, dict):
        return Record(index, where, error=f"not a JSON object: {type(obj).__name__}")
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    record_id = obj.get("id", url if url is not None else lineno)
    body_key = next((k for k in BODY_FIELDS if isinstance(obj.get(k), str)), None)
    if body_key is None:
        return Record(index, where, id=record_id, url=url,
                      error="record has no html or text string field")
    fields = {k: v for k, v in obj.items() if k not in (body_key, "id", "url")}
    return Record(
        index,
        where,
        id=record_id,
        url=url,
        # JSON text is already Unicode: hand the pipeline UTF-8 so decoding is exact.
        data=obj[body_key].encode("utf-8", errors="surrogatepass"),
        input_format="html" if body_key == "html" else "text",
        fields=fields,
    )


# --- WARC --------------------------------------------------------------------------------


def iter_warc(path: Path) -> Iterator[Record]:
    """HTTP response records with an HTML content type; everything else is skipped.

    warcio parses. After a corrupt record we look for the next record boundary (the next
    gzip member of a .warc.gz, the next `WARC/1.` line of a plain WARC) and let warcio go
    on from there, so one bad record costs only itself.
    """
    if not path.name.lower().endswith(".gz"):
        with open(path, "rb") as handle:
            yield from _iter_warc_handle(handle, b"WARC/1.", at_line_start=True, skip=0)
        return
    yielded = 0
    with open(path, "rb") as handle:
        try:
            for record in _iter_warc_handle(handle, b"\x1f\x8b\x08", at_line_start=False,
                                            skip=0, raise_whole_gzip=True):
                yield record
                yielded += 1
            return
        except _WholeFileGzip:
            pass
    # `gzip crawl.warc` makes one gzip stream, not one member per record: warcio refuses to
    # iterate that, so read the decompressed stream as a plain WARC (offsets are then in
    # the uncompressed data) and skip what was already yielded.
    with gzip.open(path, "rb") as stream:
        yield from _iter_warc_handle(stream, b"WARC/1.", at_line_start=True, skip=yielded)


class _WholeFileGzip(Exception):
    pass


def _iter_warc_handle(handle: IO[bytes], marker: bytes, *, at_line_start: bool, skip: int,
                      raise_whole_gzip: bool = False) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = 0
    start = 0
    while True:
        handle.seek(start)
        # ArchiveIterator takes fh.tell() as its base, so its offsets are file offsets.
        iterator = ArchiveIterator(handle, check_digests=False)
        failed_at: int | None = None
        try:
            for warc_record in iterator:
                record = _warc_record(index, iterator.offset, warc_record)
                if record is not None:
                    if index >= skip:
                        yield record
                    index += 1
        except Exception as error:  # noqa: BLE001 - warcio/zlib raise many kinds
            if (raise_whole_gzip and isinstance(error, ArchiveLoadFailed)
                    and "non-chunked gzip" in str(error)):
                raise _WholeFileGzip from error
            failed_at = iterator.offset
            if index >= skip:
                yield Record(index, {"offset": failed_at},
                             error=f"corrupt WARC record: {_reason(error)}")
            index += 1
        if failed_at is None:
            return
        resume = _find_marker(handle, failed_at + 1, marker, at_line_start)
        if resume is None:
            return
        start = resume


def _warc_record(index: int, offset: int, warc_record: Any) -> Record | None:
    if warc_record.rec_type != "response" or warc_record.http_headers is None:
        return None
    content_type = warc_record.http_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in HTML_CONTENT_TYPES:
        return None
    headers = warc_record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    record_id = headers.get_header("WARC-Record-ID") or url
    where = {"offset": offset}
    try:
        # content_stream() undoes chunked transfer and Content-Encoding (gzip, br, ...).
        data = warc_record.content_stream().read()
    except Exception as error:  # noqa: BLE001 - a bad body costs this record only
        return Record(index, where, id=record_id, url=url,
                      error=f"undecodable body: {_reason(error)}")
    return Record(index, where, id=record_id, url=url, data=data, input_format="html")


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


def _find_marker(handle: IO[bytes], start: int, marker: bytes,
                 at_line_start: bool) -> int | None:
    """Offset of the next `marker` at or after `start` (at a line start if asked), or None."""
    chunk_size = 1 << 16
    handle.seek(start)
    position = start
    tail = b""
    while True:
        chunk = handle.read(chunk_size)
        if not chunk:
            return None
        window = tail + chunk
        base = position - len(tail)
        found = window.find(marker)
        while found != -1:
            absolute = base + found
            if not at_line_start or found == 0 and absolute == start or (
                found > 0 and window[found - 1 : found] == b"\n"
            ):
                return absolute
            found = window.find(marker, found + 1)
        # Keep enough bytes to see a marker (and the newline before it) split across reads.
        tail = window[-len(marker) :]
        position += len(chunk)


# --- shard writer ------------------------------------------------------------------------


class ShardWriter:
    """Writes one output shard line by line into a temp file beside it; `commit` renames.

    Streaming keeps memory flat whatever the shard size; the rename means a killed run never
    leaves half a shard under the real name. Gzip output has no timestamp or file name in
    its header, so the same records give byte-identical shards on every run.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._tmp = Path(tmp)
        self._raw: IO[bytes] = os.fdopen(fd, "wb")
        self._out: IO[bytes] = (
            gzip.GzipFile(filename="", fileobj=self._raw, mode="wb", mtime=0)
            if path.name.endswith(".gz") else self._raw
        )
        self.records = 0

    def write(self, line: str) -> None:
        self._out.write(line.encode("utf-8") + b"\n")
        self.records += 1

    def commit(self) -> int:
        """Flush, fsync, rename over the final name; returns the shard's size in bytes."""
        if self._out is not self._raw:
            self._out.close()
        self._raw.flush()
        os.fchmod(self._raw.fileno(), default_file_mode())
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._tmp, self.path)
        return self.path.stat().st_size

    def abort(self) -> None:
        for stream in (self._out, self._raw):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        self._tmp.unlink(missing_ok=True)


def record_json(record: Record, document: dict[str, Any]) -> str:
    """One shard line: `id`, the cleaned document's JSON fields, then the passthrough fields.

    `url` is the record's own URL when it has one (where the page was fetched). A passthrough
    field whose name the cleaner also writes (`title`, `text`, ...) is kept, untouched, under
    `input_fields` rather than silently overwritten.
    """
    obj: dict[str, Any] = {"id": record.id, **document}
    if record.url is not None:
        obj["url"] = record.url
    clashing = {k: v for k, v in record.fields.items() if k in obj or k == "input_fields"}
    obj.update((k, v) for k, v in record.fields.items() if k not in clashing)
    if clashing:
        obj["input_fields"] = clashing
    return json.dumps(obj, ensure_ascii=False)
