"""Clean every input under RAW into OUT: one bad document never costs the rest of the batch.

Handed over to the corpus engineer (issue 4: containers, all cores, resumable runs, Ray).

`RAW/a/b.txt` becomes `OUT/a/b.txt` (or `.json`); HTML inputs keep their stem
(`RAW/a/c.html` -> `OUT/a/c.txt`). A container (`x/crawl.warc.gz`, `x/d.jsonl`) becomes
one JSONL shard (`OUT/x/crawl.jsonl.gz`, `OUT/x/d.jsonl`), one object per record, in input
order. Failures are collected with the path and the reason (records: in `OUT/_errors.jsonl`
too); RAW is only ever read.

The run reads as a list of steps:

    discover inputs -> skip what the manifest says is current -> batches of documents
    -> engine (in-process, worker processes, or Ray) runs `clean_payload` on each batch
    -> results come back in input order -> write atomically -> manifest entry

The driver (this process) reads inputs and writes outputs; workers only compute, so
every engine gives byte-identical outputs, manifest and error file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from cleaner import __version__
from cleaner.containers import (
    Record,
    ShardWriter,
    container_kind,
    iter_records,
    record_json,
    shard_relpath,
)
from cleaner.document import Document
from cleaner.engines import EngineName, open_engine
from cleaner.manifest import Entry, Manifest, config_fingerprint, hash_bytes, hash_file, locked
from cleaner.pipeline import DEFAULT_MAX_SHARE, clean_bytes, clean_many
from cleaner.progress import Progress, RunStats, summary
from cleaner.read import InputFormat, UnreadableInput
from cleaner.rules import RuleSet
from cleaner.write import (
    SUFFIX,
    OutputFormat,
    document_record,
    render,
    write_atomic,
    write_atomic_each,
)

ERRORS_NAME = "_errors.jsonl"
# A batch (one engine task) holds at most this many documents and about this many bytes:
# big enough to amortise a task's overhead, small enough that in-flight work stays small.
# A batch goes through each fix and rule in turn (`pipeline.clean_many`), so the bigger it
# is, the longer each one's patterns stay in cache: on the bench's text corpus 64 documents
# ran ~3 % faster than 32 (100: ~4 %), and `--jobs 2` lost nothing.
BATCH_DOCS = 64
BATCH_BYTES = 4 << 20


@dataclass(frozen=True)
class BatchOptions:
    fmt: OutputFormat = "txt"
    max_share: float = DEFAULT_MAX_SHARE
    follow_symlinks: bool = False
    max_input_bytes: int = 64 * 1024 * 1024  # per document: a loose file or one record
    jobs: int = 1  # worker processes (local engine) or CPUs of a private Ray instance
    engine: EngineName = "local"
    address: str | None = None  # Ray cluster address; None starts a local Ray instance
    force: bool = False  # redo inputs the manifest says are up to date
    progress: TextIO | None = None  # draw a progress bar here (when it is a terminal)


@dataclass(frozen=True)
class Failure:
    path: str  # as the user named it: RAW joined with the relative path
    reason: str


@dataclass
class BatchResult:
    outputs: dict[str, Path] = field(default_factory=dict)  # relative output path -> file
    failures: list[Failure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # skipped files, per-document warnings
    documents: int = 0
    stats: RunStats = field(default_factory=RunStats)

    def summary(self, engine: str) -> str:
        return summary(self.stats, engine)


def check_paths(raw: Path, out: Path) -> str | None:
    """The usage errors that must stop a run before anything is written."""
    if not raw.exists():
        return f"{raw}: no such file or directory"
    out_resolved = out.resolve()
    if raw.is_dir():
        if out_resolved == raw.resolve() or out_resolved.is_relative_to(raw.resolve()):
            return f"output directory {out} is inside the input {raw}: RAW is never written"
    elif out_resolved == raw.resolve().parent:
        # `clean a.txt .` would write a.txt over its own input.
        return f"output directory {out} is the input's own directory: RAW is never written"
    if raw.resolve().is_relative_to(out_resolved):
        return f"input {raw} is inside the output directory {out}: RAW is never written"
    if out.exists() and not out.is_dir():
        return f"{out}: exists and is not a directory"
    return None


def discover(
    raw: Path, follow_symlinks: bool = False
) -> Iterator[tuple[Path, PurePosixPath | str]]:
    """Yield (file, relative path) in a stable order, or (path, reason) for skipped entries.

    Hidden files and directories (`.git`, `.DS_Store`) are not inputs. Symlinks are skipped
    unless asked: a link can point outside RAW, and we only clean what the user gave us.
    """
    if raw.is_file():
        yield raw, PurePosixPath(raw.name)
        return
    visited = {raw.resolve()}
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=follow_symlinks):
        base = Path(dirpath)
        descend = []
        for name in sorted(d for d in dirnames if not d.startswith(".")):
            path = base / name
            if path.is_symlink() and not follow_symlinks:
                yield path, "symbolic link not followed (use --follow-symlinks)"
                continue
            target = path.resolve()
            if target in visited:  # a link back up the tree would walk forever
                yield path, "symbolic link loop (directory already visited)"
                continue
            visited.add(target)
            descend.append(name)
        dirnames[:] = descend
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = base / name
            if path.is_symlink() and not follow_symlinks:
                yield path, "symbolic link not followed (use --follow-symlinks)"
                continue
            yield path, PurePosixPath(path.relative_to(raw).as_posix())


def output_relpath(rel: PurePosixPath, fmt: OutputFormat, taken: set[str]) -> PurePosixPath:
    """`a/b.html` -> `a/b.txt`; if `a/b.txt` is already taken by another input, `a/b.html.txt`.

    Containers: `a/crawl.warc.gz` -> `a/crawl.jsonl.gz` (`a/crawl.warc.jsonl.gz` if taken).
    """
    if container_kind(rel.name) is not None:
        candidate = shard_relpath(rel)
        if str(candidate) in taken:
            suffix = ".jsonl.gz" if candidate.name.endswith(".gz") else ".jsonl"
            candidate = rel.with_name(rel.name.removesuffix(".gz") + suffix)
        return candidate
    suffix = SUFFIX[fmt]
    candidate = rel.with_suffix(suffix) if rel.suffix else rel.with_name(rel.name + suffix)
    if str(candidate) in taken:
        candidate = rel.with_name(rel.name + SUFFIX[fmt])
    return candidate


def read_input(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnreadableInput(_too_large(size, limit))
        return path.read_bytes()
    except PermissionError:
        raise UnreadableInput("permission denied") from None
    except IsADirectoryError:
        raise UnreadableInput("is a directory") from None


def _too_large(size: int, limit: int) -> str:
    return (f"file too large ({size / 2**20:.0f} MiB > {limit / 2**20:.0f} MiB; "
            "raise the limit with --max-input-mb)")


def clean_file(path: Path, source: str, rules: RuleSet, options: BatchOptions) -> Document:
    data = read_input(path, options.max_input_bytes)
    return clean_bytes(data, source, rules, max_share=options.max_share)


# --- the per-document step every engine runs ---------------------------------------------


@dataclass(frozen=True)
class WorkerContext:
    """What every worker needs besides the documents; shipped once per worker (pickled)."""

    rules: RuleSet
    fmt: OutputFormat
    max_share: float
    keep_documents: bool = False  # in-process runs hand the Document to `on_document`


@dataclass(frozen=True)
class Task:
    source: str  # relative path, or `shard#id` for a container record
    data: bytes
    url: str | None = None
    input_format: InputFormat | None = None
    record: Record | None = None  # container record (id, url, passthrough fields), no data


@dataclass(frozen=True)
class Outcome:
    text: str | None  # the output file's text, or one shard line; None when it failed
    error: str | None = None
    warnings: tuple[str, ...] = ()
    chars_kept: int = 0
    chars_removed: int = 0
    document: Document | None = None


def clean_payload(context: WorkerContext, tasks: list[Task]) -> list[Outcome]:
    """The engines' unit of work: clean a batch of documents, one Outcome each, in order."""
    results = clean_many(tasks, context.rules, max_share=context.max_share)
    return [_outcome(context, task, result) for task, result in zip(tasks, results, strict=True)]


def _outcome(context: WorkerContext, task: Task, result: Document | Exception) -> Outcome:
    if isinstance(result, UnreadableInput):
        return Outcome(None, str(result) or type(result).__name__)
    if isinstance(result, Exception):
        return Outcome(None, f"internal error: {result!r}")
    doc = result
    if task.record is None:
        text = render(doc, context.fmt)
    else:
        text = record_json(task.record, document_record(doc))
    body = doc.body_text()
    return Outcome(
        text,
        warnings=tuple(doc.warnings),
        chars_kept=len(body),
        chars_removed=sum(len(removal.text) for removal in doc.removed),
        document=doc if context.keep_documents else None,
    )


# --- the driver: inputs in, outputs and manifest out -------------------------------------


@dataclass
class _Loose:
    path: Path
    rel: str
    out_rel: str
    sha256: str = ""
    size: int = 0
    entry: Entry | None = None  # set when up to date
    failure: str | None = None  # set when it could not even be read


@dataclass
class _LooseBatch:
    items: list[_Loose]


@dataclass
class _Shard:
    path: Path
    rel: str
    out_rel: str
    sha256: str
    size: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    writer: ShardWriter | None = None
    documents: int = 0
    chars_kept: int = 0
    chars_removed: int = 0


@dataclass
class _ShardBatch:
    shard: _Shard
    records: list[Record]  # without their data: what the error file needs
    last: bool


@dataclass
class _UpToDateShard:
    path: Path
    entry: Entry


class _Run:
    def __init__(self, raw: Path, out: Path, manifest: Manifest, config: str,
                 options: BatchOptions, result: BatchResult, progress: Progress,
                 on_document: Callable[[Document], None] | None) -> None:
        self.raw, self.out, self.manifest, self.config = raw, out, manifest, config
        self.options, self.result, self.progress = options, result, progress
        self.stats = result.stats
        self.on_document = on_document
        # Per input, in discovery order: its error-file lines (rewritten at the end).
        self.errors: dict[str, list[dict[str, Any]]] = {}

    # Producer: runs in the driver, pulled by the engine one batch ahead of the workers.
    def payloads(self) -> Iterator[tuple[Any, list[Task] | None]]:
        taken: set[str] = {ERRORS_NAME}
        loose: list[_Loose] = []
        tasks: list[Task] = []
        size = 0
        for path, rel in discover(self.raw, self.options.follow_symlinks):
            if isinstance(rel, str):
                self.result.notices.append(f"{path}: skipped: {rel}")
                continue
            out_rel = output_relpath(rel, self.options.fmt, taken)
            taken.add(str(out_rel))
            self.stats.files += 1
            self.errors[str(rel)] = []
            if container_kind(rel.name) is not None:
                if loose:
                    yield _LooseBatch(loose), tasks or None
                    loose, tasks, size = [], [], 0
                yield from self._shard_payloads(path, str(rel), str(out_rel))
                continue
            item = _Loose(path, str(rel), str(out_rel))
            loose.append(item)
            try:
                data = read_input(path, self.options.max_input_bytes)
            except (UnreadableInput, OSError) as error:
                item.failure = str(error) or type(error).__name__
                continue
            item.sha256, item.size = hash_bytes(data), len(data)
            item.entry = self._current(item.rel, item.sha256)
            if item.entry is None:
                tasks.append(Task(item.rel, data))
                size += len(data)
            if len(loose) >= BATCH_DOCS or size >= BATCH_BYTES:
                yield _LooseBatch(loose), tasks or None
                loose, tasks, size = [], [], 0
        if loose:
            yield _LooseBatch(loose), tasks or None

    def _current(self, rel: str, sha256: str) -> Entry | None:
        # `on_document` (the review report) must see every Document, so nothing is skipped.
        if self.options.force or self.on_document is not None:
            return None
        return self.manifest.up_to_date(rel, sha256, self.config)

    def _shard_payloads(self, path: Path, rel: str,
                        out_rel: str) -> Iterator[tuple[Any, list[Task] | None]]:
        self.stats.containers += 1
        try:
            sha256, size = hash_file(path), path.stat().st_size
        except OSError as error:
            self.result.failures.append(Failure(str(path), str(error) or type(error).__name__))
            return
        entry = self._current(rel, sha256)
        if entry is not None:
            yield _UpToDateShard(path, entry), None
            return
        shard = _Shard(path, rel, out_rel, sha256, size)
        records: list[Record] = []
        tasks: list[Task] = []
        batch_size = 0
        try:
            for record in iter_records(path):
                if record.error is None and len(record.data) > self.options.max_input_bytes:
                    record = replace(record, error=_too_large(
                        len(record.data), self.options.max_input_bytes).replace("file", "record"))
                if record.error is not None:
                    shard.errors.append(_error_line(rel, record, record.error))
                    continue
                records.append(replace(record, data=b""))
                tasks.append(Task(f"{rel}#{record.id}", record.data, record.url,
                                  record.input_format, records[-1]))
                batch_size += len(record.data)
                if len(tasks) >= BATCH_DOCS or batch_size >= BATCH_BYTES:
                    yield _ShardBatch(shard, records, last=False), tasks
                    records, tasks, batch_size = [], [], 0
        except OSError as error:  # the container itself became unreadable mid-way
            shard.errors.append({"shard": rel, "reason": f"read error: {error}"})
        yield _ShardBatch(shard, records, last=True), tasks or None

    # Consumer: results in input order.
    def consume(self, meta: Any, outcomes: list[Outcome] | None) -> None:
        if isinstance(meta, _LooseBatch):
            self._consume_loose(meta, outcomes or [])
        elif isinstance(meta, _ShardBatch):
            self._consume_shard(meta, outcomes or [])
        else:
            self._keep(meta.path, meta.entry)
            self.progress.advance(0, skipped=1)

    def _keep(self, path: Path, entry: Entry) -> None:
        """An input whose outputs are current: report it as if it had just been cleaned."""
        self.stats.up_to_date += 1
        self.stats.up_to_date_documents += entry.stats.get("documents", 0)
        self.result.documents += entry.stats.get("documents", 0)
        for rel in entry.outputs:
            self.result.outputs[rel] = self.out / rel
        self.result.notices.extend(f"{path}: warning: {w}" for w in entry.warnings)
        self.errors[entry.input] = list(entry.errors)
        if entry.errors:
            self._shard_failure(path, len(entry.errors))

    def _consume_loose(self, batch: _LooseBatch, outcomes: list[Outcome]) -> None:
        fresh = iter(outcomes)
        results = [None if item.entry is not None
                   else Outcome(None, item.failure) if item.failure else next(fresh)
                   for item in batch.items]
        # All of the batch's outputs at once: their fsyncs then overlap (write_atomic_each).
        texts = {index: outcome.text for index, outcome in enumerate(results)
                 if outcome is not None and outcome.text is not None}
        sizes = dict(zip(texts, write_atomic_each(
            [(self.out / batch.items[index].out_rel, text) for index, text in texts.items()]),
            strict=True))
        entries: list[Entry] = []
        done = failed = 0
        for index, (item, outcome) in enumerate(zip(batch.items, results, strict=True)):
            if item.entry is not None:
                self._keep(item.path, item.entry)
                continue
            assert outcome is not None
            if outcome.text is None:
                failed += 1
                self._fail_loose(item, outcome.error or "failed")
                continue
            size = sizes[index]
            if isinstance(size, OSError):  # disk full, no permission: this file fails
                failed += 1
                self._fail_loose(item, f"cannot write {self.out / item.out_rel}: "
                                       f"{size.strerror or size}", keep_previous=True)
                continue
            self.result.outputs[item.out_rel] = self.out / item.out_rel
            self.result.documents += 1
            self.result.notices.extend(f"{item.path}: warning: {w}" for w in outcome.warnings)
            self._count(outcome, item.size, size)
            done += 1
            if self.on_document is not None and outcome.document is not None:
                self.on_document(outcome.document)
            entries.append(Entry(item.rel, item.sha256, self.config,
                                 outputs={item.out_rel: size},
                                 warnings=list(outcome.warnings),
                                 stats={"documents": 1}))
        # After the outputs are on disk: one append + fsync for the whole batch.
        self.manifest.record(entries)
        self.progress.advance(done, failures=failed,
                              skipped=sum(item.entry is not None for item in batch.items))

    def _fail_loose(self, item: _Loose, reason: str, keep_previous: bool = False) -> None:
        self.result.failures.append(Failure(str(item.path), reason))
        self.stats.failures += 1
        self.errors[item.rel] = [{"file": item.rel, "reason": reason}]
        previous = self.manifest.entries.get(item.rel)
        if previous is not None:
            # An output from an earlier version of a now-unreadable input would be a lie;
            # but when only the write failed, the old complete output is better than none.
            if not keep_previous:
                for rel in previous.outputs:
                    (self.out / rel).unlink(missing_ok=True)
            self.manifest.forget(item.rel)

    def _consume_shard(self, batch: _ShardBatch, outcomes: list[Outcome]) -> None:
        shard = batch.shard
        if shard.writer is None:
            shard.writer = ShardWriter(self.out / shard.out_rel)
        failed = 0
        for record, outcome in zip(batch.records, outcomes, strict=True):
            if outcome.text is None:
                failed += 1
                shard.errors.append(_error_line(shard.rel, record, outcome.error or "failed"))
                continue
            shard.writer.write(outcome.text)
            shard.documents += 1
            shard.chars_kept += outcome.chars_kept
            shard.chars_removed += outcome.chars_removed
            if self.on_document is not None and outcome.document is not None:
                self.on_document(outcome.document)
        self.progress.advance(len(outcomes) - failed, failures=failed)
        if not batch.last:
            return
        written = shard.writer.commit()
        shard.errors.sort(key=lambda line: line.get("record", -1))
        self.errors[shard.rel] = shard.errors
        self.result.outputs[shard.out_rel] = self.out / shard.out_rel
        self.result.documents += shard.documents
        self.stats.documents += shard.documents
        self.stats.failures += len(shard.errors)
        self.stats.bytes_in += shard.size
        self.stats.bytes_out += written
        self.stats.chars_kept += shard.chars_kept
        self.stats.chars_removed += shard.chars_removed
        if shard.errors:
            self._shard_failure(shard.path, len(shard.errors))
        self.manifest.record([Entry(shard.rel, shard.sha256, self.config,
                                    outputs={shard.out_rel: written}, errors=shard.errors,
                                    stats={"documents": shard.documents})])

    def _shard_failure(self, path: Path, count: int) -> None:
        # One line per container, not per record: the details are in the error file.
        self.result.failures.append(Failure(
            str(path), f"{count} record(s) failed, see {self.out / ERRORS_NAME}"))

    def _count(self, outcome: Outcome, bytes_in: int, bytes_out: int) -> None:
        self.stats.documents += 1
        self.stats.bytes_in += bytes_in
        self.stats.bytes_out += bytes_out
        self.stats.chars_kept += outcome.chars_kept
        self.stats.chars_removed += outcome.chars_removed

    def finish(self) -> None:
        """Rewrite the error file from this run's and the kept entries' errors; compact the
        manifest. Both atomic, both in input order, so a resumed run ends byte-identical."""
        lines = [line for rel in self.errors for line in self.errors[rel]]
        target = self.out / ERRORS_NAME
        if lines:
            write_atomic(target, "".join(json.dumps(line, ensure_ascii=False) + "\n"
                                         for line in lines))
        else:
            target.unlink(missing_ok=True)
        self.manifest.compact()


def _error_line(shard: str, record: Record, reason: str) -> dict[str, Any]:
    line: dict[str, Any] = {"shard": shard, "record": record.index, **record.where}
    if record.id is not None:
        line["id"] = record.id
    line["reason"] = reason
    return line


def _one_document(raw: Path) -> bool:
    return raw.is_file() and container_kind(raw.name) is None


def run_batch(
    raw: Path,
    out: Path,
    rules: RuleSet,
    options: BatchOptions,
    on_document: Callable[[Document], None] | None = None,
) -> BatchResult:
    """Clean RAW into OUT; raises `cleaner.manifest.OutputLocked` if another run holds OUT.

    `on_document` sees every cleaned Document; it needs them in this process, so it makes
    the run serial.
    """
    result = BatchResult()
    config = config_fingerprint(rules.fingerprint, __version__, fmt=options.fmt,
                                max_share=options.max_share)
    context = WorkerContext(rules, options.fmt, options.max_share,
                            keep_documents=on_document is not None)
    jobs = options.jobs
    if options.engine == "local" and (on_document is not None or _one_document(raw)):
        jobs = 1  # in this process: a worker would only add its start-up to the run
    stream = options.progress
    with locked(out) as manifest, Progress(stream, enabled=stream is not None) as progress:
        run = _Run(raw, out, manifest, config, options, result, progress, on_document)
        with open_engine(options.engine, clean_payload, context, jobs=jobs,
                         address=options.address) as engine:
            for meta, outcomes in engine(run.payloads()):
                run.consume(meta, outcomes)
        run.finish()
    return result
