"""Progress on stderr while a run goes (a tqdm bar), and a one-screen summary at the end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class RunStats:
    """Counts for the end-of-run summary; `add` merges one input's numbers."""

    files: int = 0  # inputs seen (loose files + containers)
    containers: int = 0
    up_to_date: int = 0  # inputs skipped because their outputs were current
    documents: int = 0  # documents cleaned this run (loose files + container records)
    up_to_date_documents: int = 0  # documents in the skipped, up-to-date outputs
    failures: int = 0  # documents that failed (loose files + records)
    bytes_in: int = 0  # input bytes read for the inputs cleaned this run
    bytes_out: int = 0  # output bytes written this run
    chars_kept: int = 0
    chars_removed: int = 0
    started: float = field(default_factory=time.monotonic)

    def removed_share(self) -> float:
        total = self.chars_kept + self.chars_removed
        return self.chars_removed / total if total else 0.0


class Progress:
    """A documents/s bar with the failure count; drawn only when the stream is a terminal."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        isatty = getattr(stream, "isatty", None)
        self.enabled = enabled and bool(isatty and isatty())
        self._bar = None
        if self.enabled:
            # tqdm costs ~45 ms to import: only a terminal that shows the bar pays for it.
            from tqdm import tqdm

            self._bar = tqdm(file=stream, unit="doc", desc="clean", dynamic_ncols=True,
                             smoothing=0.05, leave=False)
        self._failures = 0
        self._skipped = 0

    def advance(self, documents: int, failures: int = 0, skipped: int = 0) -> None:
        if self._bar is None:
            return
        self._failures += failures
        self._skipped += skipped
        self._bar.set_postfix(failed=self._failures, up_to_date=self._skipped, refresh=False)
        self._bar.update(documents)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def summary(stats: RunStats, engine: str) -> str:
    """The end-of-run report: files, documents, failures, bytes, share removed, time."""
    elapsed = time.monotonic() - stats.started
    rate = stats.documents / elapsed if elapsed > 0 else 0.0
    loose = stats.files - stats.containers
    lines = [
        "clean: summary",
        f"  files      {stats.files} ({loose} loose, {stats.containers} containers; "
        f"{stats.up_to_date} up to date, skipped)",
        f"  documents  {stats.documents} cleaned, {stats.failures} failed"
        f" ({stats.up_to_date_documents} more in up-to-date outputs)",
        f"  bytes      {_size(stats.bytes_in)} in, {_size(stats.bytes_out)} out",
        f"  removed    {stats.removed_share():.1%} of the text",
        f"  time       {elapsed:.1f} s ({rate:.0f} documents/s, {engine})",
    ]
    return "\n".join(lines) + "\n"


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
