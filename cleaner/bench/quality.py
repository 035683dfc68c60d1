"""`python -m cleaner.bench quality DIR [DIR ...]`: P/R/F1 of `clean` and the baselines.

A bench dir holds `raw/<id>.<ext>` (HTML pages or plain-text dumps), `truth/<id>.txt` (the
article body without the headline) and optionally `ids.txt`. Our system runs exactly as a
user runs it (`clean RAW OUT --format json --quiet`, in-process, into a temp dir) and is
scored on the JSON `text` field; the baselines run on the same raw bytes in the same process.
Scores come from `cleaner.bench.metric`, the benchmark's own metric, so the figures compare
with the published table in shared/bench/README.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cleaner import __version__
from cleaner.bench.baselines import BASELINES, Baseline, InputKind
from cleaner.bench.metric import CorpusScore, DocScore, score_corpus, score_document

CleanMain = Callable[[list[str]], int]


@dataclass(frozen=True)
class BenchDir:
    path: Path
    kind: InputKind
    raw: dict[str, Path]  # id -> raw file
    truths: dict[str, str]  # id -> article body

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class SystemRun:
    name: str
    predictions: dict[str, str]
    seconds: float  # wall time for all documents (for ours: the whole `clean` run)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    system: str
    score: CorpusScore
    docs_per_second: float
    per_doc: dict[str, DocScore]


class BenchDirError(ValueError):
    """A directory that is not a bench dir (no raw/ or truth/, ids without a raw file)."""


def load_bench_dir(path: Path) -> BenchDir:
    raw_dir, truth_dir = path / "raw", path / "truth"
    if not raw_dir.is_dir() or not truth_dir.is_dir():
        raise BenchDirError(f"{path}: a bench dir needs raw/ and truth/ subdirectories")
    raw = {p.stem: p for p in sorted(raw_dir.iterdir()) if p.is_file() and p.name[0] != "."}
    ids_file = path / "ids.txt"
    if ids_file.is_file():
        ids = [line.strip() for line in ids_file.read_text(encoding="utf-8").splitlines()]
        ids = [i for i in ids if i]
    else:
        ids = sorted(p.stem for p in truth_dir.glob("*.txt"))
    missing = [i for i in ids if i not in raw or not (truth_dir / f"{i}.txt").is_file()]
    if missing:
        raise BenchDirError(f"{path}: {len(missing)} id(s) without raw or truth file, "
                            f"e.g. {missing[0]}")
    if not ids:
        raise BenchDirError(f"{path}: no documents")
    suffixes = {raw[i].suffix.lower() for i in ids}
    kind: InputKind = "html" if suffixes <= {".html", ".htm", ".xhtml", ".shtml"} else "text"
    return BenchDir(
        path=path,
        kind=kind,
        raw={i: raw[i] for i in ids},
        truths={i: (truth_dir / f"{i}.txt").read_text(encoding="utf-8") for i in ids},
    )


def _default_clean_main() -> CleanMain:
    from cleaner.cli import main

    return main


def run_ours(bench: BenchDir, clean_main: CleanMain | None = None,
             name: str = "cleaner") -> SystemRun:
    """Run `clean RAW OUT --format json --quiet` on a copy-free view of the bench dir's raw/.

    Only the ids of the bench are scored; the CLI cleans whatever raw/ holds.
    """
    main = clean_main or _default_clean_main()
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        out_dir = Path(tmp) / "out"
        captured = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(captured):
            code = main([str(bench.path / "raw"), str(out_dir), "--format", "json", "--quiet"])
        seconds = time.perf_counter() - start
        if code != 0:
            errors.append(f"clean exited {code}: {captured.getvalue().strip()[:2000]}")
        predictions: dict[str, str] = {}
        for doc_id, raw_path in bench.raw.items():
            output = out_dir / raw_path.relative_to(bench.path / "raw").with_suffix(".json")
            if not output.is_file():
                errors.append(f"{doc_id}: no output {output.name}")
                continue
            predictions[doc_id] = json.loads(output.read_text(encoding="utf-8"))["text"] or ""
    return SystemRun(name, predictions, seconds, errors)


def run_baseline(bench: BenchDir, baseline: Baseline) -> SystemRun:
    predictions: dict[str, str] = {}
    errors: list[str] = []
    # Reading happens outside the timer, as `clean` reading its files is a small share of it.
    data = {doc_id: path.read_bytes() for doc_id, path in bench.raw.items()}
    start = time.perf_counter()
    for doc_id, raw in data.items():
        try:
            predictions[doc_id] = baseline.run(raw)
        except Exception as error:  # noqa: BLE001 - a baseline crash is an empty prediction
            errors.append(f"{doc_id}: {error!r}")
    return SystemRun(baseline.name, predictions, time.perf_counter() - start, errors)


def score_run(bench: BenchDir, run: SystemRun, bootstrap: int = 1000) -> Row:
    score = score_corpus(run.predictions, bench.truths, bootstrap=bootstrap)
    per_doc = {i: score_document(run.predictions.get(i, ""), bench.truths[i])
               for i in sorted(bench.truths)}
    rate = len(bench.truths) / run.seconds if run.seconds > 0 else float("inf")
    return Row(run.name, score, rate, per_doc)


def doc_f1(score: DocScore) -> float:
    """Per-document F1 for ranking; an empty prediction (precision undefined) scores 0."""
    p, r = score.precision or 0.0, score.recall if score.recall is not None else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def render_table(rows: Sequence[Row]) -> str:
    lines = ["| system | P ± sd | R ± sd | F1 ± sd | empty | docs/s |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        s = row.score
        lines.append(
            f"| {row.system} | {s.precision:.3f} ± {s.precision_std:.3f} "
            f"| {s.recall:.3f} ± {s.recall_std:.3f} | {s.f1:.3f} ± {s.f1_std:.3f} "
            f"| {s.empty} | {row.docs_per_second:.1f} |"
        )
    return "\n".join(lines) + "\n"


def render_worst(bench: BenchDir, row: Row, run: SystemRun, n: int) -> str:
    ranked = sorted(row.per_doc.items(), key=lambda item: (doc_f1(item[1]), item[0]))[:n]
    lines = [f"{n} worst documents for {row.system} by F1 ({bench.name}):", "",
             "| id | F1 | P | R | pred words | truth words |", "|---|---|---|---|---|---|"]
    for doc_id, score in ranked:
        p = "-" if score.precision is None else f"{score.precision:.3f}"
        r = "-" if score.recall is None else f"{score.recall:.3f}"
        lines.append(
            f"| {doc_id} | {doc_f1(score):.3f} | {p} | {r} "
            f"| {len(run.predictions.get(doc_id, '').split())} "
            f"| {len(bench.truths[doc_id].split())} |"
        )
    return "\n".join(lines) + "\n"


def per_doc_json(bench: BenchDir, rows: Sequence[Row]) -> dict[str, Any]:
    return {
        "dir": str(bench.path),
        "kind": bench.kind,
        "documents": len(bench.truths),
        "systems": {
            row.system: {
                "precision": row.score.precision,
                "recall": row.score.recall,
                "f1": row.score.f1,
                "precision_std": row.score.precision_std,
                "recall_std": row.score.recall_std,
                "f1_std": row.score.f1_std,
                "empty": row.score.empty,
                "docs_per_second": row.docs_per_second,
                "per_doc": {
                    i: {"precision": s.precision, "recall": s.recall, "f1": doc_f1(s)}
                    for i, s in row.per_doc.items()
                },
            }
            for row in rows
        },
    }


@dataclass(frozen=True)
class QualityOptions:
    baselines: bool = True
    bootstrap: int = 1000
    worst: int = 0
    json_path: Path | None = None


def _warm_up(bench: BenchDir, clean_main: CleanMain | None, baselines: bool) -> None:
    """Run every system once on one page before any timer starts: the first call pays
    imports (trafilatura ~0.3 s) and lazily built tables, which would otherwise be charged
    to whichever system happens to run first."""
    first_id = next(iter(bench.raw))
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-warm-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        (raw / bench.raw[first_id].name).write_bytes(bench.raw[first_id].read_bytes())
        (Path(tmp) / "truth").mkdir()
        one = BenchDir(Path(tmp), bench.kind, {first_id: raw / bench.raw[first_id].name},
                       {first_id: bench.truths[first_id]})
        run_ours(one, clean_main)
        if baselines:
            for baseline in BASELINES[bench.kind]:
                run_baseline(one, baseline)


def run_quality(dirs: Sequence[Path], options: QualityOptions, out: TextIO | None = None,
                clean_main: CleanMain | None = None) -> int:
    """Score every dir; print one Markdown table per dir. Returns the exit code: 1 when our
    system reported errors (the table still prints, errors count as empty outputs)."""
    out = out or sys.stdout
    status = 0
    dump: list[dict[str, Any]] = []
    for path in dirs:
        bench = load_bench_dir(path)
        _warm_up(bench, clean_main, options.baselines)
        ours = run_ours(bench, clean_main, name=f"cleaner {__version__}")
        runs = [ours]
        if options.baselines:
            runs.extend(run_baseline(bench, b) for b in BASELINES[bench.kind])
        rows = [score_run(bench, run, options.bootstrap) for run in runs]
        print(f"### {bench.name} ({len(bench.truths)} documents, {bench.kind} input)\n",
              file=out)
        out.write(render_table(rows))
        for run in runs:
            for error in run.errors[:10]:
                print(f"\nerror: {run.name}: {error}", file=out)
            if run.errors:
                status = status or (1 if run is ours else 0)
        if options.worst:
            print("", file=out)
            out.write(render_worst(bench, rows[0], ours, options.worst))
        print("", file=out)
        dump.append(per_doc_json(bench, rows))
    if options.json_path is not None:
        options.json_path.write_text(json.dumps(dump, indent=1) + "\n", encoding="utf-8")
        print(f"per-document scores written to {options.json_path}", file=out)
    return status
