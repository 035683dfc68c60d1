"""`python -m cleaner.bench memory`: peak memory of `clean` is flat in corpus size.

Builds JSONL corpora of news-like HTML pages (the samples of raw/ wrapped in page furniture),
runs `python -m cleaner RAW OUT --jobs N --quiet` on each as a subprocess and samples the
summed RSS of the whole process tree (driver and workers) every 50 ms from /proc.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

REPO_RAW = Path(__file__).resolve().parents[2] / "raw"
SAMPLE_INTERVAL_S = 0.05


def write_corpus(path: Path, documents: int, samples: Sequence[str]) -> int:
    """One JSONL shard of `documents` HTML pages; returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(documents):
            lines = [line for line in samples[i % len(samples)].split("\n") if line.strip()]
            body = "".join(f"<p>{escape(line)}</p>" for line in lines)
            html = (f"<html><head><title>Story {i}</title></head><body>"
                    f"<nav>Home | World | Sport</nav><article><h1>Story {i}</h1>{body}"
                    f"<p>Share this article</p></article><footer>Copyright {i}</footer>"
                    "</body></html>")
            record = {"id": f"doc-{i}", "url": f"https://news.example/{i}", "html": html}
            handle.write(json.dumps(record) + "\n")
    return path.stat().st_size


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def tree_rss_kib(pid: int) -> int:
    """Summed VmRSS of `pid` and all its descendants."""
    children, total, stack = _children(), 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


@dataclass(frozen=True)
class MemoryRun:
    documents: int
    input_bytes: int
    peak_mib: float
    seconds: float
    exit_code: int


def measure(documents: int, jobs: int, workdir: Path) -> MemoryRun:
    samples = [p.read_text("utf-8", errors="replace") for p in sorted(REPO_RAW.iterdir())]
    raw = workdir / f"raw-{documents}"
    size = write_corpus(raw / "corpus.jsonl", documents, samples)
    command = [sys.executable, "-m", "cleaner", str(raw), str(workdir / f"out-{documents}"),
               "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kib(process.pid))
        time.sleep(SAMPLE_INTERVAL_S)
    return MemoryRun(documents, size, peak / 1024, time.perf_counter() - start,
                     process.returncode)


def run_memory(sizes: Sequence[int], jobs: int) -> int:
    print(f"# memory: `python -m cleaner RAW OUT --jobs {jobs} --quiet` on a JSONL shard\n")
    print("| documents | input | peak RSS (driver + workers) | wall | exit |")
    print("|---|---|---|---|---|")
    status = 0
    with tempfile.TemporaryDirectory(prefix="cleaner-memory-") as tmp:
        for documents in sizes:
            run = measure(documents, jobs, Path(tmp))
            status = status or run.exit_code
            print(f"| {run.documents:,} | {run.input_bytes / 1e6:.1f} MB | {run.peak_mib:.0f} MiB "
                  f"| {run.seconds:.0f} s | {run.exit_code} |", flush=True)
    return status
