"""Safety of paths and writes: RAW is never written; OUT may not overlap RAW; data inside
containers never becomes a path; outputs are atomic; two runs on one OUT do not corrupt it.

RAW is hashed before and after every run (`clean_checked`), and the repository's `raw/`
before and after every test (`repo_raw_untouched`).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.write import write_atomic_each

from .conftest import RAW, run_cli, tree_digest
from .test_bad_inputs import (  # noqa: F401
    PROSE,
    clean_checked,
    digest,
    make_raw,
    repo_raw_untouched,
)

STATE_FILES = (".cleaner.lock", ".cleaner.manifest.jsonl")


def outputs(out: Path) -> dict[str, str]:
    """Every file in OUT but the run's own lock and manifest."""
    return {rel: sha for rel, sha in tree_digest(out).items()
            if Path(rel).name not in STATE_FILES}


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.name.endswith(".tmp"))


def everything_outside(tmp_path: Path, *inside: Path) -> set[str]:
    skip = {p.resolve() for p in inside}
    return {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
            if not any(p.resolve() == s or p.resolve().is_relative_to(s) for s in skip)}


# --- OUT and RAW may not overlap --------------------------------------------------------


@pytest.mark.parametrize("where", ["raw", "raw/out", "raw/sub/deeper", "link-to-raw",
                                   "link-to-raw/out"])
def test_out_equal_to_or_inside_raw_is_refused_before_anything_is_written(
        tmp_path: Path, where: str):
    raw = make_raw(tmp_path, {"sub/page.txt": PROSE.encode()})
    (tmp_path / "link-to-raw").symlink_to(raw, target_is_directory=True)
    before = digest(raw)
    run = run_cli(raw, tmp_path / where)
    assert run.code == 2
    assert "is inside the input" in run.err and "RAW is never written" in run.err
    assert digest(raw) == before
    assert sorted(p.name for p in raw.iterdir()) == ["good.txt", "sub"]


def test_raw_file_with_out_as_its_own_directory_is_refused(tmp_path: Path):
    raw = make_raw(tmp_path, {})
    run = run_cli(raw / "good.txt", raw)
    assert run.code == 2 and "RAW is never written" in run.err
    assert sorted(p.name for p in raw.iterdir()) == ["good.txt"]


def test_raw_inside_out_is_never_written(tmp_path: Path):
    out = tmp_path / "out"
    raw = out / "raw"
    raw.mkdir(parents=True)
    (raw / "page.txt").write_text("The original page in RAW. " + PROSE, "utf-8")
    (raw / "raw").mkdir()
    (raw / "raw" / "page.txt").write_text("A nested page. " + PROSE, "utf-8")
    (raw / ".keep.tmp").write_text("a user's hidden file", "utf-8")
    before = digest(raw)
    run = run_cli(raw, out, "--jobs", "1")
    after = digest(raw)
    assert after == before or run.code == 2, f"RAW changed: {set(after) ^ set(before)}"
    assert (raw / "page.txt").read_text("utf-8").startswith("The original page in RAW.")
    assert (raw / ".keep.tmp").exists()


# --- data inside containers never becomes a path ----------------------------------------


HOSTILE_IDS = ["../../escaped", "/tmp/absolute-escape", "a\x00b", "../" * 20 + "etc/passwd",
               "C:\\windows\\x", "", ".", "..", "sub/../../../up"]


def _warc(path: Path, urls: list[str]) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.name.endswith(".gz"))
    for url in urls:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                   protocol="HTTP/1.1")
        html = f"<html><body><article><p>{PROSE}</p><p>{PROSE}</p></article></body></html>"
        writer.write_record(writer.create_warc_record(
            url, "response", http_headers=headers, payload=io.BytesIO(html.encode())))
    path.write_bytes(buffer.getvalue())


def test_record_ids_and_urls_cannot_make_a_path_escape_out(tmp_path: Path):
    raw = make_raw(tmp_path, {})
    lines = [json.dumps({"id": rid, "url": rid, "text": f"{PROSE} ({n})", "path": rid,
                         "source": rid}) for n, rid in enumerate(HOSTILE_IDS)]
    lines.append(json.dumps({"id": {"nested": "../x"}, "url": "file:///etc/passwd",
                             "html": f"<p>{PROSE}</p>"}))
    (raw / "evil.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (raw / "evil2.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    _warc(raw / "evil.warc.gz", ["../../warc-escape", "/tmp/warc-absolute", "http://x/\x00/y",
                                 "file:///etc/shadow"])
    before = everything_outside(tmp_path, raw, tmp_path / "out")
    run = clean_checked(raw, tmp_path / "out", "--format", "json")
    assert run.code in (0, 1), run.err
    assert everything_outside(tmp_path, raw, tmp_path / "out") == before
    assert not Path("/tmp/absolute-escape").exists() and not Path("/tmp/warc-absolute").exists()
    assert sorted(outputs(tmp_path / "out")) in (
        ["evil.jsonl", "evil.jsonl.gz", "evil2.jsonl.gz", "good.json"],
        ["_errors.jsonl", "evil.jsonl", "evil.jsonl.gz", "evil2.jsonl.gz", "good.json"])
    shard = [json.loads(line) for line in
             (tmp_path / "out" / "evil.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in shard[: len(HOSTILE_IDS)]] == HOSTILE_IDS  # kept as data


# --- atomic outputs ---------------------------------------------------------------------


def _corpus(raw: Path, n: int, version: str) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (raw / f"d{i:03d}.txt").write_text(
            f"Story {i}, {version}. {PROSE}\n\n{PROSE.replace('council', f'board {i}')}\n",
            "utf-8")


def test_no_temp_files_are_left_after_a_run(tmp_path: Path):
    raw = make_raw(tmp_path, {"bad.txt": b"", "feed.jsonl": b'{"text": "x"}\nnot json\n'})
    _corpus(raw / "many", 40, "v1")
    for jobs in ("1", "2"):
        run = clean_checked(raw, tmp_path / jobs, "--jobs", jobs)
        assert run.code == 1
        assert temp_files(tmp_path / jobs) == []
        assert temp_files(raw) == []


def test_a_failing_write_leaves_the_old_complete_output(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    """Disk full half-way through a re-run: each output is the old or the new complete file,
    and no temp file is left behind."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 10, "v1")
    assert clean_checked(raw, out).code == 0
    old = outputs(out)
    _corpus(raw, 10, "v2")
    assert clean_checked(raw, tmp_path / "expected").code == 0
    new = outputs(tmp_path / "expected")
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) > 4:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    # Whether the CLI reports it cleanly is test_a_failing_write_is_reported_clearly.
    with contextlib.suppress(OSError):
        run_cli(raw, out, "--jobs", "1")
    monkeypatch.undo()
    for rel, sha in outputs(out).items():
        assert sha in (old[rel], new[rel]), rel
    assert set(outputs(out)) == set(old)
    assert temp_files(out) == []


def test_a_failing_write_is_reported_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    raw = make_raw(tmp_path, {})
    _corpus(raw, 3, "v1")

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    run = run_cli(raw, tmp_path / "out", "--jobs", "1")
    monkeypatch.undo()
    assert run.code in (1, 2)
    assert "No space left on device" in run.err and "Traceback" not in run.err


# How the second of three files in one write_atomic_each call fails; the other two must
# still be written, and the second keep its old content.
def _fail_second_call(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> None:
    real, calls = getattr(os, name), []

    def failing(*args: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise error
        return real(*args)

    monkeypatch.setattr(os, name, failing)


# What fails: (how, the second file's path in OUT, the setup that makes it fail).
ONE_FILE_FAILS: dict[str, tuple[str, Callable[[Path, pytest.MonkeyPatch], object]]] = {
    "its write (disk full)": ("b.txt", lambda out, mp: _fail_second_call(
        mp, "write", OSError(28, "No space left on device"))),
    "its fsync (I/O error)": ("b.txt", lambda out, mp: _fail_second_call(
        mp, "fsync", OSError(5, "Input/output error"))),
    "its rename (a directory is in the way)": ("b.txt", lambda out, mp: (
        (out / "b.txt").unlink(), (out / "b.txt" / "keep").mkdir(parents=True))),
    "its directory (a file is in the way)": ("sub/b.txt", lambda out, mp: (
        (out / "sub").write_text("old"))),
}


@pytest.mark.parametrize("how", ONE_FILE_FAILS)
def test_one_failing_file_of_a_batch_fails_alone(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, how: str):
    out = tmp_path / "out"
    out.mkdir()
    second, make_it_fail = ONE_FILE_FAILS[how]
    targets = [out / "a.txt", out / second, out / "c.txt"]
    for name in ("a.txt", "b.txt", "c.txt"):
        (out / name).write_text("old")
    make_it_fail(out, monkeypatch)
    before = outputs(out)
    results = write_atomic_each([(target, f"new {target.name}") for target in targets])
    monkeypatch.undo()
    assert [type(r) for r in results] == [int, type(results[1]), int]
    assert isinstance(results[1], OSError), results
    assert results[0] == len("new a.txt") and results[2] == len("new c.txt")
    assert (out / "a.txt").read_text() == "new a.txt"
    assert (out / "c.txt").read_text() == "new c.txt"
    after = outputs(out)
    assert {rel: after[rel] for rel in before if rel not in ("a.txt", "c.txt")} == {
        rel: sha for rel, sha in before.items() if rel not in ("a.txt", "c.txt")}
    assert temp_files(out) == []


def test_an_interrupted_batch_write_leaves_old_outputs_and_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    out.mkdir()
    targets = [out / f"{name}.txt" for name in "abc"]
    for target in targets:
        target.write_text("old")
    _fail_second_call(monkeypatch, "fsync", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_atomic_each([(target, "new") for target in targets])
    monkeypatch.undo()
    assert [target.read_text() for target in targets] == ["old"] * 3
    assert temp_files(out) == []


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_mid_run_leaves_every_output_old_or_new(tmp_path: Path, jobs: str):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 300, "v1")
    assert clean_checked(raw, out, "--quiet").code == 0
    old = outputs(out)
    _corpus(raw, 300, "v2")
    assert clean_checked(raw, tmp_path / "expected", "--quiet").code == 0
    new = outputs(tmp_path / "expected")
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", str(raw), str(out), "--jobs", jobs,
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    try:  # kill as soon as the re-run has replaced some outputs
        while time.monotonic() < deadline and proc.poll() is None:
            now = outputs(out)
            if sum(now.get(rel) == sha for rel, sha in new.items()) >= 5:
                break
            time.sleep(0.005)
        workers = _children(proc.pid)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
        # kill -9 may leave a temp file (the next run sweeps it); never a half-written output.
        now = {rel: sha for rel, sha in outputs(out).items() if not rel.endswith(".tmp")}
        assert set(now) == set(old)
        for rel, sha in now.items():
            assert sha in (old[rel], new[rel]), rel
        time.sleep(0.5)  # give orphaned workers, if any, a moment to go away
        rerun = clean_checked(raw, out, "--quiet")
        assert rerun.code == 0, rerun.err
        assert outputs(out) == new
        assert temp_files(out) == []
    finally:
        for pid in workers:  # only the processes this test started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_two_parallel_runs_on_the_same_out_do_not_corrupt_it(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    _corpus(raw / "extra", 60, "v1")
    assert clean_checked(raw, tmp_path / "single", "--quiet").code == 0
    expected = outputs(tmp_path / "single")
    command = [sys.executable, "-m", "cleaner", str(raw), str(tmp_path / "out"), "--jobs", "1"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(proc.wait(timeout=300), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    for code, err in results:
        assert "Traceback" not in err, err
        assert code == 0 or (code == 2 and "in use by another clean run" in err), err
    assert any(code == 0 for code, _ in results)
    assert outputs(tmp_path / "out") == expected
    assert temp_files(tmp_path / "out") == []
    assert tree_digest(raw) == tree_digest(RAW) | {
        f"extra/{k}": v for k, v in tree_digest(raw / "extra").items()}
