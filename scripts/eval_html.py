"""Score the HTML extraction on a benchmark directory and time it against bare trafilatura.

    python scripts/eval_html.py [BENCH_DIR] [--runs 5] [--worst 10] [--no-timing]

BENCH_DIR has `raw/<id>.html`, `truth/<id>.txt` and `ids.txt` (default: the
scrapinghub dev pages). Prints P/R/F1 (bootstrap std, empty count) for trafilatura
defaults, trafilatura favor_precision and our `extract_html`; then the CPU time of
`extract_html` and of bare `trafilatura.extract` over all pages (median of `--runs`
runs, and the sum of per-page minima, which shared-machine load disturbs least) and
their ratio; with `--worst N`, a line diff against truth for the N lowest-F1 pages.

Every configuration is given the same decoded `str`, so the timings compare extraction,
not file reading.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import trafilatura

from cleaner.bench.metric import CorpusScore, score_corpus, score_document
from cleaner.extract_html import extract_html

DEFAULT_BENCH = Path("/work/shared/bench/scrapinghub-dev")

Extractor = Callable[[str], str]


def _trafilatura(**options: object) -> Extractor:
    # deduplicate=False is trafilatura's default; spelled out because its cache is
    # process-wide and would make a page's result depend on the pages before it.
    return lambda html: trafilatura.extract(html, deduplicate=False, **options) or ""


CONFIGS: Mapping[str, Extractor] = {
    "trafilatura defaults": _trafilatura(),
    "trafilatura favor_precision": _trafilatura(favor_precision=True),
    "extract_html": lambda html: extract_html(html).text,
}
# The speed budget compares our whole HTML path with a bare trafilatura.extract call.
TIMED: Mapping[str, Extractor] = {
    "trafilatura.extract": lambda html: trafilatura.extract(html),
    "extract_html": lambda html: extract_html(html),
}


def load(bench: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    ids = (bench / "ids.txt").read_text(encoding="utf-8").split()
    raw = {i: (bench / "raw" / f"{i}.html").read_text(encoding="utf-8") for i in ids}
    truth = {i: (bench / "truth" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    return ids, raw, truth


def time_sides(pages: list[str], runs: int) -> dict[str, list[list[float]]]:
    """CPU seconds per page per run for each side of `TIMED`: `[side][run][page]`.

    Page by page, the sides alternate (and swap order every run), so load from other
    processes on this shared machine lands on both alike. CPU time, not wall time.
    """
    times: dict[str, list[list[float]]] = {side: [] for side in TIMED}
    sides = list(TIMED.items())
    for fn in TIMED.values():  # warm-up: lazy imports, compiled XPaths, stoplists
        for html in pages:
            fn(html)
    for run in range(runs):
        for side in TIMED:
            times[side].append([])
        for n, html in enumerate(pages):
            for side, fn in sides if (n + run) % 2 == 0 else sides[::-1]:
                start = time.process_time()
                fn(html)
                times[side][-1].append(time.process_time() - start)
    return times


def format_score(name: str, s: CorpusScore) -> str:
    return (
        f"| {name:28s} | {s.precision:.3f} ± {s.precision_std:.3f} "
        f"| {s.recall:.3f} ± {s.recall_std:.3f} | {s.f1:.3f} ± {s.f1_std:.3f} | {s.empty:5d} |"
    )


def print_worst(preds: Mapping[str, str], truth: Mapping[str, str], n: int, out=sys.stdout) -> None:
    def f1(i: str) -> float:
        s = score_document(preds[i], truth[i])
        p, r = s.precision or 0.0, s.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    for i in sorted(truth, key=f1)[:n]:
        s = score_document(preds[i], truth[i])
        print(f"\n=== {i}  P={s.precision or 0:.3f} R={s.recall or 0:.3f}", file=out)
        gold = [ln.strip() for ln in truth[i].splitlines() if ln.strip()]
        got = [ln.strip() for ln in preds[i].splitlines() if ln.strip()]
        for line in difflib.unified_diff(gold, got, lineterm="", n=0):
            if not line.startswith(("---", "+++", "@@")):
                print(line[:200], file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--runs", type=int, default=5, help="timing passes (median is shown)")
    ap.add_argument("--worst", type=int, default=0, help="diff the N lowest-F1 pages")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args(argv)
    # trafilatura logs each discarded page; that is noise in a report.
    logging.disable(logging.WARNING)

    ids, raw, truth = load(args.bench)
    print(f"{len(ids)} pages from {args.bench}\n")
    print(f"| {'system':28s} | {'P':13s} | {'R':13s} | {'F1':13s} | empty |")
    print("|---|---|---|---|---|")
    ours: dict[str, str] = {}
    for name, fn in CONFIGS.items():
        preds = {i: fn(raw[i]) for i in ids}
        print(format_score(name, score_corpus(preds, truth)), flush=True)
        if name == "extract_html":
            ours = preds

    if not args.no_timing:
        times = time_sides([raw[i] for i in ids], args.runs)
        base_side, our_side = TIMED
        base, mine = (statistics.median(sum(run) for run in times[s]) for s in TIMED)
        print(
            f"\nCPU time over {len(ids)} pages, median of {args.runs} runs: "
            f"trafilatura.extract {base:.3f}s, extract_html {mine:.3f}s, ratio {mine / base:.3f}"
        )
        # The same runs, each page counted at its fastest: bursts of load from other
        # processes inflate single runs; the minimum is the cost of the code itself.
        fastest = {s: sum(map(min, zip(*times[s], strict=True))) for s in TIMED}
        print(
            f"per-page minimum over the runs: trafilatura.extract {fastest[base_side]:.3f}s, "
            f"extract_html {fastest[our_side]:.3f}s, "
            f"ratio {fastest[our_side] / fastest[base_side]:.3f}"
        )
    if args.worst:
        print_worst(ours, truth, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
