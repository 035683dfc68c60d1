"""Resumable runs: kill -9 mid-way and re-run, up-to-date skips, rule changes, --force, the
lock against two runs on one OUT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cleaner.manifest import MANIFEST_NAME, locked

from .conftest import RAW, run_cli
from .test_containers import write_jsonl
from .test_engines import tree

RULE = '[[rule]]\nid = "tagline"\nkind = "drop"\nmatch = "{pattern}"\n'


def small_corpus(raw: Path, loose: int = 200, records: int = 150) -> None:
    """Small documents: loose text files around a JSONL shard (so a kill can land in
    either), made from the repository's sample pages with a numbered line each."""
    # The first paragraphs of each sample page: small documents, quick to clean.
    samples = ["\n\n".join(p.read_text("utf-8", errors="replace").split("\n\n")[:4])
               for p in sorted(RAW.iterdir())[:10]]
    raw.mkdir(parents=True)
    for i in range(loose):
        (raw / f"{'a' if i < loose // 2 else 'z'}{i:04d}.txt").write_text(
            f"Item number {i} in the series.\n\n" + samples[i % len(samples)]
            + f"\n\nTagline {i}\n", "utf-8")
    write_jsonl(raw / "m_shard.jsonl",
                [json.dumps({"id": i, "text": f"Record {i}.\n\n" + samples[i % len(samples)]})
                 for i in range(records)])


def manifest_lines(out: Path) -> int:
    try:
        return (out / MANIFEST_NAME).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_kill_9_mid_run_then_rerun_gives_the_same_outputs_as_a_clean_run(tmp_path: Path):
    raw, out, clean = tmp_path / "raw", tmp_path / "out", tmp_path / "clean"
    small_corpus(raw)
    command = [sys.executable, "-m", "cleaner", str(raw), str(out), "--jobs", "1", "--quiet"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        # Wait for real progress, not for a time: kill once some inputs are recorded.
        deadline = time.monotonic() + 300
        while manifest_lines(out) < 20 and process.poll() is None:
            assert time.monotonic() < deadline, "no progress in 5 minutes"
            time.sleep(0.01)
        killed = process.poll() is None
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert killed, "the run finished before it could be killed"
    done_before = manifest_lines(out)
    assert done_before < 201

    resumed = run_cli(raw, out, "--jobs", "1")
    assert resumed.code == 0, resumed.err
    assert "up to date" in resumed.err
    fresh = run_cli(raw, clean, "--jobs", "1", "--quiet")
    assert fresh.code == 0, fresh.err
    assert tree(out) == tree(clean)
    assert len(tree(out)) == 201  # 200 files + 1 shard, no temp files left
    assert not [p for p in out.rglob("*.tmp")]


def dropped_by(out: Path, name: str) -> set[str]:
    record = json.loads((out / name).read_text("utf-8"))
    return {removal["rule"] for removal in record["removed"]}


def test_rerun_skips_up_to_date_outputs_and_a_rule_change_makes_them_stale(tmp_path: Path):
    raw, out, rules = tmp_path / "raw", tmp_path / "out", tmp_path / "rules"
    small_corpus(raw, loose=6, records=4)
    rules.mkdir()
    (rules / "mine.toml").write_text(RULE.format(pattern="Tagline 1"), "utf-8")
    options = ("--rules", rules, "--jobs", "1", "--format", "json")
    first = run_cli(raw, out, *options)
    assert first.code == 0, first.err
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.json")}
    assert "tagline" in dropped_by(out, "a0001.json")
    assert "tagline" not in dropped_by(out, "z0003.json")

    again = run_cli(raw, out, *options)
    assert again.code == 0, again.err
    assert "7 up to date" in again.err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.json")} == before

    (raw / "a0002.txt").write_text("Item number 2, rewritten.\n\nA new body.\n", "utf-8")
    edited = run_cli(raw, out, *options)
    assert "6 up to date" in edited.err
    assert "rewritten" in (out / "a0002.json").read_text("utf-8")

    (rules / "mine.toml").write_text(RULE.format(pattern="Tagline 3"), "utf-8")
    changed = run_cli(raw, out, *options)
    assert changed.code == 0, changed.err
    assert "0 up to date" in changed.err
    assert "tagline" not in dropped_by(out, "a0001.json")
    assert "tagline" in dropped_by(out, "z0003.json")


def test_force_redoes_everything(tmp_path: Path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    small_corpus(raw, loose=3, records=2)
    assert run_cli(raw, out, "--jobs", "1").code == 0
    forced = run_cli(raw, out, "--jobs", "1", "--force")
    assert forced.code == 0, forced.err
    assert "0 up to date" in forced.err


def test_a_second_run_on_the_same_out_is_refused_clearly(tmp_path: Path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    small_corpus(raw, loose=2, records=1)
    with locked(out):
        run = run_cli(raw, out, "--jobs", "1")
    assert run.code == 2
    assert "in use by another clean run" in run.err
    assert sorted(p.name for p in out.iterdir()) == [".cleaner.lock"]
