"""The manifest (what OUT already holds) and OUT's lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.manifest import (
    LOCK_NAME,
    MANIFEST_NAME,
    Entry,
    Manifest,
    OutputLocked,
    config_fingerprint,
    hash_bytes,
    locked,
)


def entry(out: Path, name: str = "a.txt", content: str = "text\n", sha: str = "h1",
          config: str = "c1") -> Entry:
    (out / name).write_text(content)
    return Entry(name, sha, config, outputs={name: len(content.encode())})


def test_config_fingerprint_changes_with_rules_version_and_options():
    base = config_fingerprint("rules1", "0.1.0", fmt="txt", max_share=0.5)
    assert base == config_fingerprint("rules1", "0.1.0", max_share=0.5, fmt="txt")
    assert base != config_fingerprint("rules2", "0.1.0", fmt="txt", max_share=0.5)
    assert base != config_fingerprint("rules1", "0.1.1", fmt="txt", max_share=0.5)
    assert base != config_fingerprint("rules1", "0.1.0", fmt="json", max_share=0.5)
    assert base != config_fingerprint("rules1", "0.1.0", fmt="txt", max_share=0.6)


def test_up_to_date_needs_same_hash_same_config_and_intact_outputs(tmp_path: Path):
    manifest = Manifest(tmp_path)
    manifest.record([entry(tmp_path)])
    manifest.close()
    again = Manifest(tmp_path)
    assert again.up_to_date("a.txt", "h1", "c1") is not None
    assert again.up_to_date("a.txt", "h2", "c1") is None  # input changed
    assert again.up_to_date("a.txt", "h1", "c2") is None  # rules / options changed
    assert again.up_to_date("b.txt", "h1", "c1") is None  # never done
    (tmp_path / "a.txt").write_text("text, edited by hand\n")
    assert again.up_to_date("a.txt", "h1", "c1") is None  # output no longer what we wrote
    (tmp_path / "a.txt").unlink()
    assert again.up_to_date("a.txt", "h1", "c1") is None


def test_a_torn_last_line_is_ignored_and_the_next_append_starts_clean(tmp_path: Path):
    manifest = Manifest(tmp_path)
    manifest.record([entry(tmp_path, "a.txt"), entry(tmp_path, "b.txt")])
    manifest.close()
    path = tmp_path / MANIFEST_NAME
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])  # kill -9 in the middle of writing b's line
    reloaded = Manifest(tmp_path)
    assert set(reloaded.entries) == {"a.txt"}
    reloaded.record([entry(tmp_path, "c.txt")])
    reloaded.close()
    assert set(Manifest(tmp_path).entries) == {"a.txt", "c.txt"}


def test_later_lines_win_and_compact_keeps_one_line_per_input(tmp_path: Path):
    manifest = Manifest(tmp_path)
    manifest.record([entry(tmp_path, sha="old")])
    manifest.record([entry(tmp_path, sha="new")])
    manifest.compact()
    lines = (tmp_path / MANIFEST_NAME).read_text().splitlines()
    assert len(lines) == 1 and '"new"' in lines[0]
    assert Manifest(tmp_path).entries["a.txt"].sha256 == "new"


def test_lock_refuses_a_second_run_and_is_released_after(tmp_path: Path):
    with locked(tmp_path / "out"):
        with pytest.raises(OutputLocked, match="in use by another clean run"), \
                locked(tmp_path / "out"):
            pass
        # Another process is refused too (flock is per open file, so this is the real case).
        code = (
            "import sys; from pathlib import Path; from cleaner.manifest import locked, "
            "OutputLocked\ntry:\n    with locked(Path(sys.argv[1])): sys.exit(0)\n"
            "except OutputLocked: sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")])
        assert result.returncode == 3
    with locked(tmp_path / "out"):  # free again
        pass
    assert (tmp_path / "out" / LOCK_NAME).exists()


def test_lock_removes_temp_files_left_by_a_killed_run(tmp_path: Path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / ".page.txt.x1y2.tmp").write_text("half")
    (out / "a" / "page.txt").write_text("whole\n")
    with locked(out):
        pass
    assert sorted(p.name for p in (out / "a").iterdir()) == ["page.txt"]


def test_hash_bytes_is_sha256():
    assert hash_bytes(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
