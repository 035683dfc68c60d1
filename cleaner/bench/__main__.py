"""`python -m cleaner.bench quality DIR [DIR ...]`, `… speed` and `… memory`.

quality: P/R/F1 (the benchmark's metric) of `clean` and of the baselines on bench dirs.
speed:   the throughput ratios of issue 6 (benchmarks: printed, never asserted).
memory:  peak RSS of a --jobs run at growing corpus sizes (flat, or the driver leaks).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cleaner.bench.quality import BenchDirError, QualityOptions, run_quality
from cleaner.bench.speed import (
    PARTS,
    PROFILES,
    SHARED,
    MissingData,
    SpeedOptions,
    describe_machine,
    run_speed,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench",
                                     description="Quality and speed benchmarks of clean.")
    commands = parser.add_subparsers(dest="command", required=True)

    quality = commands.add_parser("quality", help="P/R/F1 of clean and baselines on bench dirs")
    quality.add_argument("dirs", nargs="+", type=Path, metavar="DIR",
                         help="bench dir with raw/ and truth/ (and ids.txt)")
    quality.add_argument("--json", type=Path, metavar="FILE", dest="json_path",
                         help="also write per-document scores of every system to FILE")
    quality.add_argument("--worst", type=int, default=0, metavar="N",
                         help="list our N worst documents by F1, with their ids")
    quality.add_argument("--no-baselines", action="store_true",
                         help="score clean only (faster, for error analysis)")
    quality.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                         help="bootstrap resamples for the standard deviations (default 1000)")

    memory = commands.add_parser("memory", help="peak RSS of clean at growing corpus sizes")
    memory.add_argument("--docs", type=int, nargs="+", default=[2000, 20000], metavar="N",
                        help="corpus sizes to run (default 2000 20000)")
    memory.add_argument("--jobs", type=int, default=2, help="--jobs of clean (default 2)")

    speed = commands.add_parser("speed", help="throughput ratios against ftfy and trafilatura")
    speed.add_argument("--docs", type=int, default=1000, metavar="N",
                       help="documents in the text-path corpus (default 1000)")
    speed.add_argument("--repeat", type=int, default=5, metavar="N",
                       help="timed repeats per system; medians are reported (default 5)")
    speed.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    speed.add_argument("--jobs-docs", type=int, default=5000, metavar="N",
                       help="documents in the --jobs corpus (default 5000)")
    speed.add_argument("--only", default=",".join(PARTS), metavar="PARTS",
                       help=f"comma-separated subset of {','.join(PARTS)}")
    speed.add_argument("--shared", type=Path, default=SHARED, metavar="DIR",
                       help=f"the shared dir holding bench/ (default {SHARED})")
    speed.add_argument("--profile", choices=PROFILES,
                       help="cProfile one pass of that path instead of timing (text: "
                            "without the classifier, as the issue's text path)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "quality":
        options = QualityOptions(baselines=not args.no_baselines, bootstrap=args.bootstrap,
                                 worst=args.worst, json_path=args.json_path)
        try:
            return run_quality(args.dirs, options)
        except BenchDirError as error:
            print(f"cleaner.bench: {error}", file=sys.stderr)
            return 2
    if args.command == "memory":
        from cleaner.bench.memory import run_memory

        return run_memory(args.docs, args.jobs)
    parts = tuple(p for p in args.only.split(",") if p)
    unknown = [p for p in parts if p not in PARTS]
    if unknown or args.repeat < 1 or args.docs < 10:
        parser.error(f"--only takes {','.join(PARTS)}; --repeat ≥ 1; --docs ≥ 10")
    print(f"# speed, {date.today().isoformat()}, {describe_machine()}\n")
    try:
            return run_speed(SpeedOptions(docs=args.docs, repeat=args.repeat, seed=args.seed,
                                      jobs_docs=args.jobs_docs, parts=parts, shared=args.shared,
                                      profile=args.profile))
    except MissingData as error:
        print(f"cleaner.bench: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
