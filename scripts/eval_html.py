"""Score the HTML extraction on a benchmark directory and time it against bare trafilatura.

    python scripts/eval_html.py [BENCH_DIR] [--runs 5] [--worst 10] [--no-timing]

BENCH_DIR has `raw/<id>.html`, `truth/<id>.txt` and `ids.txt` (default: the
scrapinghub dev pages). Prints P/R/F1 (bootstrap std, empty count) for trafilatura
defaults, trafilatura favor_precision and our `extract_html`; then the median time of
`--runs` passes of `extract_html` and of `trafilatura.extract` over all pages, and their
ratio; with `--worst N`, a line diff against truth for the N lowest-F1 pages.

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


def load(bench: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    ids = (bench / "ids.txt").read_text(encoding="utf-8").split()
    raw = {i: (bench / "raw" / f"{i}.html").read_text(encoding="utf-8") for i in ids}
    truth = {i: (bench / "truth" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    return ids, raw, truth


def time_pair(
    base: Extractor, mine: Extractor, pages: list[str], runs: int
) -> list[tuple[float, float]]:
    """`runs` passes over all pages, each returning (base, mine) CPU seconds.

    CPU time rather than wall time, and the two sides alternate page by page (in
    alternating order), because the machine is shared: load from other processes then
    lands on both sides alike instead of on whichever happened to run during a burst.
    """
    results = []
    for run in range(runs):
        spent = [0.0, 0.0]
        for n, html in enumerate(pages):
            order = ((0, base), (1, mine)) if (n + run) % 2 == 0 else ((1, mine), (0, base))
            for side, fn in order:
                start = time.process_time()
                fn(html)
                spent[side] += time.process_time() - start
        results.append((spent[0], spent[1]))
    return results


def format_score(name: str, s: CorpusScore) -> str:
    return (
        f"| {name:28s} | {s.precision:.3f} ± {s.precision_std:.3f} "
        f"| {s.recall:.3f} ± {s.recall_std:.3f} | {s.f1:.3f} ± {s.f1_std:.3f} | {s.empty:5d} |"
    )


def print_worst(
    preds: Mapping[str, str], truth: Mapping[str, str], n: int, out=sys.stdout
) -> None:
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
        pages = [raw[i] for i in ids]
        # One warm-up pass each, so lazy imports and caches do not count against either.
        for fn in (CONFIGS["trafilatura defaults"], CONFIGS["extract_html"]):
            fn(pages[0])
        pairs = time_pair(
            lambda html: trafilatura.extract(html), CONFIGS["extract_html"], pages, args.runs
        )
        base = statistics.median(b for b, _ in pairs)
        mine = statistics.median(m for _, m in pairs)
        print(
            f"\nCPU time over {len(pages)} pages, median of {args.runs} runs (page by page "
            "alternating): "
            f"trafilatura.extract {base:.3f}s, extract_html {mine:.3f}s, ratio {mine / base:.3f}"
            f" (per-run ratios: {', '.join(f'{m / b:.3f}' for b, m in pairs)})"
        )
    if args.worst:
        print_worst(ours, truth, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
