"""Resumable runs: what OUT already holds, and a lock so that one run at a time writes it.

`OUT/.cleaner.manifest.jsonl` is append-only: one JSON line per input once its outputs are
on disk (written atomically and fsynced first), each line fsynced too. A run killed with
kill -9 leaves at worst a torn last line, which loading ignores; an input whose line is
missing is simply done again. A later line for the same input wins; a finished run
rewrites the file compactly (atomic rename) so it does not grow with every re-run.

An entry is up to date when the input's content hash and the run's configuration
fingerprint (rule set + package version + output format and options) are both unchanged and
its outputs are still there with the recorded sizes: a rule edit makes every output stale.

`OUT/.cleaner.lock` is held with `fcntl.flock` for the whole run: a second run on the same
OUT fails at once with a clear message instead of interleaving writes. The kernel drops
the lock when the process dies, even by kill -9, so there is no stale lock to clean up.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleaner.write import write_atomic

MANIFEST_NAME = ".cleaner.manifest.jsonl"
LOCK_NAME = ".cleaner.lock"
# Bump when the manifest's meaning changes, so old entries are not trusted.
MANIFEST_VERSION = 1


class OutputLocked(RuntimeError):
    """Another run holds OUT's lock."""


def config_fingerprint(rules_fingerprint: str, version: str, **options: Any) -> str:
    """One hash for everything besides the input that decides the output bytes."""
    payload = json.dumps(
        {"manifest": MANIFEST_VERSION, "rules": rules_fingerprint, "version": version,
         "options": options},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Entry:
    """What one input produced: output files (relative to OUT) with their sizes, record
    errors (container inputs), warnings and counts for the summary."""

    input: str
    sha256: str
    config: str
    outputs: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"input": self.input, "sha256": self.sha256, "config": self.config,
                "outputs": self.outputs, "errors": self.errors, "warnings": self.warnings,
                "stats": self.stats}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Entry:
        return cls(
            input=str(obj["input"]), sha256=str(obj["sha256"]), config=str(obj["config"]),
            outputs={str(k): int(v) for k, v in obj.get("outputs", {}).items()},
            errors=list(obj.get("errors", [])), warnings=list(obj.get("warnings", [])),
            stats={str(k): int(v) for k, v in obj.get("stats", {}).items()},
        )


class Manifest:
    """The entries of OUT's manifest, and an append handle for new ones."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST_NAME
        self.entries: dict[str, Entry] = dict(_load(self.path))
        self._handle: IO[str] | None = None

    def up_to_date(self, input_rel: str, sha256: str, config: str) -> Entry | None:
        """The entry for this input if its outputs can be kept as they are."""
        entry = self.entries.get(input_rel)
        if entry is None or entry.sha256 != sha256 or entry.config != config:
            return None
        for rel, size in entry.outputs.items():
            try:
                if (self.out / rel).stat().st_size != size:
                    return None
            except OSError:
                return None
        return entry

    def record(self, entries: list[Entry]) -> None:
        """Append entries (after their outputs are on disk) and fsync once for the lot."""
        if not entries:
            return
        if self._handle is None:
            self.out.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open
            # A torn line left by a killed run must not glue onto our first line.
            if self._handle.tell() > 0 and not _ends_with_newline(self.path):
                self._handle.write("\n")
        for entry in entries:
            self._handle.write(json.dumps(entry.as_json(), ensure_ascii=False) + "\n")
            self.entries[entry.input] = entry
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def forget(self, input_rel: str) -> None:
        """Drop an input's entry (its outputs were removed); persisted by `compact`."""
        self.entries.pop(input_rel, None)

    def compact(self) -> None:
        """Rewrite the manifest with one line per input, atomically."""
        self.close()
        lines = [json.dumps(self.entries[key].as_json(), ensure_ascii=False) + "\n"
                 for key in sorted(self.entries)]
        write_atomic(self.path, "".join(lines))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _load(path: Path) -> Iterator[tuple[str, Entry]]:
    try:
        handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            try:
                entry = Entry.from_json(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a torn last line from a killed run: that input is redone
            yield entry.input, entry


# Lock descriptors this process holds. A forked worker inherits them and, if the driver is
# killed with -9, would keep OUT locked for as long as it lives: children close them.
_HELD_LOCKS: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in _HELD_LOCKS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


@contextmanager
def locked(out: Path) -> Iterator[Manifest]:
    """Hold OUT's lock for the run and yield its manifest; raises OutputLocked if taken."""
    out.mkdir(parents=True, exist_ok=True)
    lock_path = out / LOCK_NAME
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise OutputLocked(
                f"{out} is in use by another clean run (pid {holder}); wait for it to "
                "finish or write to another directory"
            ) from None
        _HELD_LOCKS.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        remove_temp_files(out)
        manifest = Manifest(out)
        try:
            yield manifest
        finally:
            manifest.close()
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)  # closing the descriptor releases the flock


def remove_temp_files(out: Path) -> None:
    """Delete temp files a killed run left behind (`.name.XXXX.tmp` from atomic writes).

    Only called with the lock held, so no live run is still writing them.
    """
    for dirpath, _dirnames, filenames in os.walk(out):
        for name in filenames:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(dirpath, name).unlink(missing_ok=True)
