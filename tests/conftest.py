from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner.cli import main

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
GOLDEN = REPO / "tests" / "golden"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*argv: str | Path) -> Run:
    """Call the CLI in-process, as a user would call `clean`, and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` -> its sha256. A file gone between the listing and its reading
    (a live run's temp file, renamed) is left out, as a listing a moment later would."""
    digests = {}
    for p in sorted(root.rglob("*")):
        with contextlib.suppress(FileNotFoundError):
            if p.is_file():
                digests[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digests


@pytest.fixture
def cli():
    return run_cli
