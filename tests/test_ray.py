"""The Ray engine gives the same outputs, manifest and error file as the local engine.

Needs the `ray` extra (`pip install -e '.[ray]'`); CI installs it and runs this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_engines import mixed_corpus, tree

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")


def test_ray_engine_matches_the_local_engine_byte_for_byte(tmp_path: Path):
    raw = tmp_path / "raw"
    mixed_corpus(raw)
    local = run_cli(raw, tmp_path / "local", "--jobs", "1", "--format", "json", "--quiet")
    # A private local Ray instance with 2 CPUs, started and stopped by the run.
    on_ray = run_cli(raw, tmp_path / "ray", "--engine", "ray", "--jobs", "2",
                     "--format", "json")
    assert local.code == on_ray.code == 1  # the PNG and the broken JSON line
    assert not ray.is_initialized()
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")

    def entries(out: Path) -> list[dict]:
        lines = (out / ".cleaner.manifest.jsonl").read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines]

    assert entries(tmp_path / "ray") == entries(tmp_path / "local")
