"""Command line: `clean RAW OUT`, `clean --explain FILE`, `clean --list-rules`.

Exit codes: 0 everything cleaned (and goldens match); 1 some file failed or a golden
differs; 2 usage error (bad arguments, missing RAW, OUT inside RAW, bad rule file),
reported before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cleaner import __version__

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clean",
        description="Turn scraped pages (HTML or plain-text dumps) into clean article bodies.",
        epilog="Every file under RAW becomes OUT/<same relative path> (.txt or .json).",
    )
    parser.add_argument("raw", nargs="?", type=Path, metavar="RAW", help="file or directory")
    parser.add_argument("out", nargs="?", type=Path, metavar="OUT", help="output directory")
    parser.add_argument("--format", choices=("txt", "json"), default="txt", dest="fmt",
                        help="txt: title, blank line, body (default); json: text plus metadata "
                             "and what was removed")
    parser.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR",
                        help="add the rule files under DIR to the shipped set (repeatable)")
    parser.add_argument("--no-shipped-rules", action="store_true",
                        help="load only the --rules directories")
    parser.add_argument("--explain", type=Path, metavar="FILE",
                        help="print FILE paragraph by paragraph: kept, or dropped by which rule")
    parser.add_argument("--full", action="store_true", help="with --explain: do not shorten text")
    parser.add_argument("--list-rules", action="store_true",
                        help="print every loaded rule with its id, kind and file:line")
    parser.add_argument("--golden", type=Path, metavar="DIR",
                        help="compare each output with DIR/<same path>; exit 1 on any difference")
    parser.add_argument("--update-golden", action="store_true",
                        help="with --golden: rewrite the goldens from this run instead")
    parser.add_argument("--max-share", type=float, default=0.5, metavar="F",
                        help="skip a rule on a document when it would remove more than this "
                             "share of its text, unless the rule allows it (default 0.5)")
    parser.add_argument("--follow-symlinks", action="store_true",
                        help="follow symbolic links under RAW (not followed by default)")
    parser.add_argument("--max-input-mb", type=float, default=64, metavar="MB",
                        help="refuse input files larger than this (default 64)")
    parser.add_argument("--report", action="store_true",
                        help="also write OUT/report.html: what every rule removed, to review "
                             "in a browser (docs/report.md)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    # --- corpus options ---
    def _positive_int(text: str) -> int:
        value = int(text)
        if value < 1:
            raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
        return value

    corpus = parser.add_argument_group("corpus options")
    corpus.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                        help="documents cleaned in parallel (default: all cores)")
    corpus.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="local: worker processes on this machine (default); ray: Ray "
                             "tasks on a cluster (needs cleaner[ray])")
    corpus.add_argument("--address", metavar="ADDRESS",
                        help="with --engine ray: the cluster to join (e.g. ray://head:10001 "
                             "or auto); without it a local Ray instance is started")
    corpus.add_argument("--force", action="store_true",
                        help="redo every input, even those the manifest in OUT says are "
                             "up to date")
    # --- end corpus options ---
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    return parser


def _load_rules(args: argparse.Namespace, err: TextIO):  # -> RuleSet | None
    from cleaner.rules import RuleError, load_rules

    for directory in args.rules:
        if not directory.is_dir():
            print(f"clean: --rules {directory}: not a directory", file=err)
            return None
    try:
        return load_rules(args.rules, shipped=not args.no_shipped_rules)
    except RuleError as error:
        print(f"clean: bad rule file: {error}", file=err)
        return None


def _list_rules(rules, out: TextIO) -> int:
    width = max((len(rule.id) for rule in rules.rules), default=2)
    for rule in rules.rules:
        print(f"{rule.id:<{width}}  {rule.kind:<9} {rule.where}", file=out)
    return EXIT_OK


def _explain(path: Path, rules, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cleaner.batch import BatchOptions, clean_file
    from cleaner.explain import explain
    from cleaner.read import UnreadableInput

    if not path.is_file():
        print(f"clean: --explain {path}: not a file", file=err)
        return EXIT_USAGE
    try:
        doc = clean_file(path, path.name, rules, BatchOptions(max_share=args.max_share))
    except (UnreadableInput, OSError) as error:
        print(f"clean: {path}: {error}", file=err)
        return EXIT_FAILURES
    out.write(explain(doc, full=args.full))
    return EXIT_OK


def _clean(args: argparse.Namespace, rules, out: TextIO, err: TextIO) -> int:
    import os

    from cleaner import golden
    from cleaner.batch import BatchOptions, run_batch
    from cleaner.manifest import OutputLocked
    from cleaner.write import SUFFIX

    options = BatchOptions(fmt=args.fmt, max_share=args.max_share,
                           follow_symlinks=args.follow_symlinks,
                           max_input_bytes=int(args.max_input_mb * 2**20),
                           jobs=args.jobs or len(os.sched_getaffinity(0)), engine=args.engine,
                           address=args.address, force=args.force,
                           progress=None if args.quiet else err)
    report = None
    if args.report:
        from cleaner.report import ReportWriter, RuleInfo

        report = ReportWriter(args.out, [RuleInfo(r.id, r.kind, r.where) for r in rules.rules])
    try:
        result = run_batch(args.raw, args.out, rules, options,
                           on_document=report.add if report is not None else None)
    except OutputLocked as error:
        print(f"clean: error: {error}", file=err)
        return EXIT_USAGE
    except OSError as error:  # OUT itself unusable (read-only, full): say so, no traceback
        print(f"clean: error: {error}", file=err)
        return EXIT_FAILURES
    if report is not None:
        page = report.finish()
        if not args.quiet:
            print(f"clean: review report: {page}", file=err)
    if not args.quiet:
        for notice in result.notices:
            print(f"clean: {notice}", file=err)
    for failure in result.failures:
        print(f"clean: error: {failure.path}: {failure.reason}", file=err)
    status = EXIT_FAILURES if result.failures else EXIT_OK
    if args.golden is not None:
        suffix = SUFFIX[options.fmt]
        if args.update_golden:
            for change in golden.update(result.outputs, args.golden, suffix):
                print(change, file=out)
        else:
            diffs = golden.compare(result.outputs, args.golden, suffix)
            out.write("".join(diffs))
            if diffs:
                print(f"clean: {len(diffs)} output(s) differ from {args.golden}", file=err)
                status = EXIT_FAILURES
    if not args.quiet:
        failed = f", {len(result.failures)} failed" if result.failures else ""
        print(f"clean: {result.documents} cleaned into {args.out}{failed}", file=err)
        err.write(result.summary(f"{args.engine} engine, {options.jobs} jobs"))
    return status


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    try:
        return _main(argv, out, err)
    except BrokenPipeError:  # `clean --list-rules | head`: the reader left, that's fine
        sys.stderr.close()
        return EXIT_OK


def _main(argv: Sequence[str] | None, out: TextIO | None, err: TextIO | None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse prints its own message
        return int(exit_.code or 0)
    if args.update_golden and args.golden is None:
        print("clean: --update-golden needs --golden DIR", file=err)
        return EXIT_USAGE
    if not (args.explain or args.list_rules) and (args.raw is None or args.out is None):
        parser.print_usage(err)
        print("clean: error: RAW and OUT are required (or --explain FILE / --list-rules)",
              file=err)
        return EXIT_USAGE
    if args.raw is not None and args.out is not None:
        from cleaner.batch import check_paths

        problem = check_paths(args.raw, args.out)
        if problem:
            print(f"clean: error: {problem}", file=err)
            return EXIT_USAGE
    rules = _load_rules(args, err)
    if rules is None:
        return EXIT_USAGE
    if args.list_rules:
        return _list_rules(rules, out)
    if args.explain:
        return _explain(args.explain, rules, args, out, err)
    return _clean(args, rules, out, err)
