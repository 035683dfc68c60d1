"""Engines: ordered results, bounded work in flight, and the same bytes whatever --jobs."""

from __future__ import annotations

import ast
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.engines import open_engine, ordered_window
from cleaner.engines.collector import YOUNG_THRESHOLD, collector_for_a_run

from .conftest import RAW, run_cli
from .test_containers import ARTICLE, jsonl_records, make_warc, write_jsonl


def double(context: int, payload: list[int]) -> list[int]:
    return [context * x for x in payload]


def worker_pid(context: object, payload: int) -> tuple[int, int]:
    return payload, os.getpid()


def test_ordered_window_keeps_order_and_bounds_work_in_flight():
    pulled = 0
    high_water = 0

    def items():
        nonlocal pulled
        for i in range(100):
            pulled += 1
            yield i, (None if i % 7 == 0 else i)

    submitted: list[int] = []
    results = []
    window = ordered_window(items(), lambda p: submitted.append(p) or p * 10,
                            lambda handle: handle, limit=4)
    for consumed, (meta, result) in enumerate(window, start=1):
        high_water = max(high_water, pulled - consumed)
        results.append((meta, result))
    assert results == [(i, None if i % 7 == 0 else i * 10) for i in range(100)]
    assert 0 not in submitted and 7 not in submitted  # None payloads are never run
    assert high_water <= 4  # the input is read only as fast as results are handed back


@pytest.mark.parametrize("jobs", [1, 2])
def test_local_engine_returns_results_in_input_order(jobs: int):
    items = [(i, list(range(i, i + 3))) for i in range(50)]
    items[10] = (10, None)
    with open_engine("local", double, 3, jobs=jobs) as run:
        results = list(run(iter(items)))
    assert [meta for meta, _ in results] == list(range(50))
    assert results[10] == (10, None)
    assert results[11] == (11, [33, 36, 39])


def test_local_engine_with_jobs_runs_in_worker_processes():
    with open_engine("local", worker_pid, None, jobs=2) as run:
        pids = {pid for _, (_, pid) in run((i, i) for i in range(40))}
    assert os.getpid() not in pids


# A fresh interpreter: numpy must load in the worker, as it does under `clean` (the test
# process has loaded it already, and forked workers would inherit its thread settings).
_BLAS_THREADS = """
import os
from cleaner.engines import open_engine

def blas_threads(_context, _payload):
    import numpy
    numpy.ones((300, 300)) @ numpy.ones(300)  # OpenBLAS starts its helpers on first use
    return len(os.listdir("/proc/self/task")), os.environ.get("OPENBLAS_NUM_THREADS")

with open_engine("local", blas_threads, None, jobs=2) as run:
    print(sorted({result for _, result in run((i, i) for i in range(4))}))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize(("env", "setting", "threads"), [
    ({}, "1", 1),  # one thread each: the workers are what fills the cores
    ({"OPENBLAS_NUM_THREADS": "3"}, "3", None),  # the user's setting wins (capped at cores)
])
def test_local_engine_workers_run_numpy_on_one_thread(env: dict[str, str], setting: str,
                                                      threads: int | None):
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", _BLAS_THREADS], capture_output=True,
                          text=True, env={**environ, **env}, check=True)
    seen = ast.literal_eval(done.stdout)
    assert {value for _, value in seen} == {setting}
    if threads is not None:
        assert {count for count, _ in seen} == {threads}


def collector_state(_context: None, _payload: int) -> tuple[int, int]:
    return gc.get_freeze_count(), gc.get_threshold()[0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_local_engine_keeps_the_collector_off_the_run_and_restores_it(jobs: int):
    # What lived before the run is frozen (workers inherit it), young collections wait for
    # a batch's worth of objects; both as before once the run is over.
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with open_engine("local", collector_state, None, jobs=jobs) as run:
        states = [state for _, state in run((i, i) for i in range(4))]
    assert all(frozen > 1000 and young >= YOUNG_THRESHOLD for frozen, young in states)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_collector_keeps_a_higher_threshold_and_the_callers_frozen_objects():
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD * 2, *before[1:])
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_for_a_run():
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 2
        assert gc.get_freeze_count() >= frozen
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 2
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def tree(root: Path) -> dict[str, str]:
    """Every output file's hash, without the run's own bookkeeping (lock, manifest)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".cleaner.")
    }


def mixed_corpus(raw: Path) -> None:
    """Loose text and HTML files, a bad file, JSONL and JSONL.gz shards, a WARC."""
    raw.mkdir(parents=True, exist_ok=True)
    for sample in sorted(RAW.iterdir())[:6]:
        shutil.copy(sample, raw / sample.name)
    (raw / "site").mkdir()
    for i in range(3):
        (raw / "site" / f"page{i}.html").write_text(ARTICLE.format(n=i), encoding="utf-8")
    (raw / "site" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    lines = jsonl_records(40, lang="en")
    lines.insert(5, "{broken")
    write_jsonl(raw / "dumps" / "a.jsonl", lines)
    write_jsonl(raw / "dumps" / "b.jsonl.gz",
                [json.dumps({"id": i, "text": sample.read_text("utf-8", errors="replace")})
                 for i, sample in enumerate(sorted(RAW.iterdir())[:8])])
    make_warc(raw / "crawl" / "c.warc.gz",
              [(f"https://w.example/{i}", ARTICLE.format(n=i)) for i in range(5)])


def test_jobs_1_and_jobs_2_write_byte_identical_outputs(tmp_path: Path):
    mixed_corpus(tmp_path / "raw")
    one = run_cli(tmp_path / "raw", tmp_path / "one", "--jobs", "1", "--format", "json")
    two = run_cli(tmp_path / "raw", tmp_path / "two", "--jobs", "2", "--format", "json")
    assert one.code == two.code == 1  # the PNG and the broken JSON line
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert "_errors.jsonl" in tree(tmp_path / "one")

    def errors(err: str, out: Path) -> list[str]:
        return [line.replace(str(out), "OUT") for line in err.splitlines() if "error:" in line]

    assert errors(one.err, tmp_path / "one") == errors(two.err, tmp_path / "two")
