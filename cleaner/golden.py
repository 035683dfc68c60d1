"""Golden copies: compare a run's outputs with committed ones, or rewrite them.

Goldens are the committed truth: `clean raw/ clean/ --golden tests/golden` must print
nothing; after an intended change, `--update-golden` rewrites them and `git diff
tests/golden` is read line by line before committing.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Mapping
from pathlib import Path

from cleaner.write import write_atomic


def _read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _golden_files(golden: Path, suffix: str) -> dict[str, Path]:
    if not golden.is_dir():
        return {}
    return {
        path.relative_to(golden).as_posix(): path
        for path in sorted(golden.rglob(f"*{suffix}"))
        if path.is_file()
    }


def compare(outputs: Mapping[str, Path], golden: Path, suffix: str) -> list[str]:
    """Unified diffs, golden -> output, for every output that differs from its golden, every
    output without a golden, and every golden with no output."""
    goldens = _golden_files(golden, suffix)
    diffs: list[str] = []
    for rel in sorted(set(outputs) | set(goldens)):
        expected = _read(goldens[rel]) if rel in goldens else []
        actual = _read(outputs[rel]) if rel in outputs else []
        if expected == actual and rel in goldens and rel in outputs:
            continue
        diff = difflib.unified_diff(
            expected,
            actual,
            fromfile=f"{golden / rel}" if rel in goldens else "/dev/null",
            tofile=str(outputs[rel]) if rel in outputs else "/dev/null",
        )
        diffs.append("".join(line if line.endswith("\n") else line + "\n" for line in diff))
    return diffs


def update(outputs: Mapping[str, Path], golden: Path, suffix: str) -> list[str]:
    """Make `golden` hold exactly this run's outputs; returns what changed, one line each."""
    changes: list[str] = []
    goldens = _golden_files(golden, suffix)
    for rel, path in sorted(outputs.items()):
        target = golden / rel
        new = path.read_bytes()
        if not target.exists():
            changes.append(f"added {target}")
        elif target.read_bytes() != new:
            changes.append(f"updated {target}")
        else:
            continue
        write_atomic(target, new)
    for rel in sorted(set(goldens) - set(outputs)):
        goldens[rel].unlink()
        changes.append(f"removed {goldens[rel]} (no output for it)")
    if golden.is_dir():
        for directory in sorted(golden.rglob("*"), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                shutil.rmtree(directory)
    return changes
