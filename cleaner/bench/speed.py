"""`python -m cleaner.bench speed`: the throughput targets of issue 6, measured as ratios.

These are benchmarks, not tests: a ratio depends on the machine, so nothing here asserts;
it prints what it measured beside the target. Every ratio compares systems timed in the same
run, interleaved (A B, B A, ...; on every HTML page, on every block of 100 text documents)
so that drift in the machine's speed hits both, and takes medians over the repeats. The
in-process parts run with the garbage collector set as `clean` sets it for a run
(`cleaner.engines.collector`), the baselines too.

- text: `clean_bytes` on `.txt` scrapes (shipped rules loaded) vs `ftfy.fix_text` alone on
  the same documents, in MB/s, on one core; a seeded corpus (cleaner.bench.corpus) with 10%
  mojibake, and every mojibaked document's output is checked for the repaired words. Two
  rows: the issue's text path (read, normalize, paragraphs, rules, title: `clean_bytes` with
  its boilerplate-classifier stage replaced by a no-op) and the whole `clean_bytes`.
- html: total time of `clean_bytes` on the bench HTML pages vs `trafilatura.extract` alone.
- jobs: `clean RAW OUT --jobs 2` vs `--jobs 1` as subprocesses on a generated corpus.
- startup: `clean` on one small file, as a subprocess, wall time.
- `--profile text|text-full|html`: cProfile of one pass of that path instead of the timings
  (`text` is the issue's text path, without the classifier; `text-full` with it).
"""

from __future__ import annotations

import cProfile
import io
import itertools
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from unittest import mock

from cleaner.bench.corpus import Corpus, build_corpus, check_repair, default_sources
from cleaner.bench.sampler import sampling
from cleaner.engines.collector import collector_for_a_run

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
PARTS = ("text", "html", "jobs", "startup")

# Targets of issue 6.
TEXT_MIN_RATIO = 3.0  # our MB/s over ftfy's
HTML_MAX_RATIO = 1.15  # our total time over trafilatura's
JOBS_MIN_SPEEDUP = 1.8  # --jobs 1 time over --jobs 2 time
JOBS_MIN_DOCS = 5000
STARTUP_MAX_SECONDS = 1.0
# Text documents are timed in blocks this size, the systems taking turns on each block
# (see `interleaved_items`): two of `clean`'s batches (`batch.BATCH_DOCS`, 64), so that the
# pipeline sees whole batches, as in a run, not a whole one and a remainder.
TEXT_BLOCK_DOCS = 128
TextBlock = list[tuple[Any, str]]  # (corpus document, its decoded text)


@dataclass(frozen=True)
class SpeedOptions:
    docs: int = 1000  # text-path corpus size
    repeat: int = 5
    seed: int = 0
    jobs_docs: int = JOBS_MIN_DOCS
    parts: tuple[str, ...] = PARTS
    shared: Path = SHARED
    profile: str | None = None  # one of PROFILES: profile instead of timing


@dataclass
class Check:
    name: str
    measured: str
    target: str
    ok: bool | None  # None: not measured (skipped), with the reason in `measured`


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])


def interleaved(systems: dict[str, Callable[[], Any]], repeat: int) -> Timings:
    """Time each system `repeat` times, alternating the order every round."""
    whole = {name: lambda _, run=run: run() for name, run in systems.items()}
    return interleaved_items(whole, [None], repeat)


def interleaved_items(systems: dict[str, Callable[[Any], Any]], items: Sequence[Any],
                      repeat: int) -> Timings:
    """Like `interleaved`, but alternating between the systems on every item (A B on one,
    B A on the next, the other way round the next round): each round's time per system
    is the sum over the items. This machine's speed changes in spells of seconds, longer
    than an item (an HTML page, a block of text documents), so they hit every system
    alike. Items of at least tens of milliseconds: after each ~2 ms text document, every
    system would start from caches the other filled."""
    timings = Timings({name: [] for name in systems})
    names = list(systems)
    clock = time.perf_counter
    for round_ in range(repeat):
        spent = dict.fromkeys(names, 0.0)
        for index, item in enumerate(items):
            for name in names if (round_ + index) % 2 == 0 else names[::-1]:
                start = clock()
                systems[name](item)
                spent[name] += clock() - start
        for name in names:
            timings.seconds[name].append(spent[name])
    return timings


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def one_core() -> Iterator[None]:
    """Pin this process to one CPU (where the OS allows) so the in-process figures are
    single-core whatever threads a library starts; restored for the subprocess parts,
    which inherit the affinity."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def as_clean_runs() -> Iterator[None]:
    """The in-process parts' conditions: one core, and the garbage collector as `clean`
    sets it for a run."""
    with one_core(), collector_for_a_run():
        yield


def _pipeline() -> tuple[Callable[..., Any], Any]:
    """`clean_bytes` and the shipped rule set; ImportError until the pipeline is complete."""
    from cleaner.pipeline import clean_bytes
    from cleaner.rules import load_rules

    return clean_bytes, load_rules()


# The text path as `clean` runs it: batches of `BATCH_DOCS` documents, each batch through
# normalization and the rules in lockstep (`pipeline.clean_many`); and one `clean_bytes`
# (a batch of one) at a time.
TEXT_PATH = "text path (no classifier)"
TEXT_PATH_ALONE = "text path, clean_bytes one at a time"
FULL_TEXT = "clean (text)"


def clean_in_batches(inputs: Sequence[Any], rules: Any) -> list[Any]:
    """`clean_many` on the inputs in batches of `BATCH_DOCS`, as `clean` runs them."""
    from cleaner.batch import BATCH_DOCS
    from cleaner.pipeline import clean_many

    return [doc for start in range(0, len(inputs), BATCH_DOCS)
            for doc in clean_many(inputs[start:start + BATCH_DOCS], rules)]


@contextmanager
def classifier_off() -> Iterator[None]:
    """`clean_bytes` without its boilerplate-classifier stage (`pipeline.select_body`), for
    the issue's text path: everything else, the rules included, runs as in production."""
    import cleaner.pipeline

    with mock.patch.object(cleaner.pipeline, "select_body", lambda doc: None):
        yield


def document_output(doc: Any) -> str:
    """Everything the JSON output carries as text: title, kept and dropped paragraphs (the
    dropped ones appear in `removed`), and pieces built-in steps took out."""
    parts = [doc.title or ""]
    parts += [p.text for p in doc.paragraphs]
    parts += [r.text for r in doc.removed]
    return "\n".join(parts)


def _mb(n_bytes: int, seconds: float) -> float:
    return n_bytes / 1e6 / seconds if seconds > 0 else float("inf")


class MissingData(FileNotFoundError):
    """The bench data is not where --shared points: a figure on less data would mislead."""


def text_corpus(options: SpeedOptions, docs: int) -> Corpus:
    dumps = options.shared / "bench" / "scrapinghub-text-dev" / "raw"
    if not any(dumps.glob("*.txt")):
        raise MissingData(f"no text dumps in {dumps} (use --shared DIR)")
    return build_corpus(default_sources(REPO, options.shared), docs, seed=options.seed)


def html_pages(options: SpeedOptions) -> list[tuple[str, bytes]]:
    raw = options.shared / "bench" / "scrapinghub-dev" / "raw"
    pages = [(p.name, p.read_bytes()) for p in sorted(raw.glob("*.html"))]
    if not pages:
        raise MissingData(f"no HTML pages in {raw} (use --shared DIR)")
    return pages


def bench_text(options: SpeedOptions, out: TextIO) -> list[Check]:
    import ftfy

    corpus = text_corpus(options, options.docs)
    # (document, its text): ftfy takes str, decoded untimed.
    pairs = [(d, d.data.decode("utf-8")) for d in corpus.docs]
    blocks = [pairs[i:i + TEXT_BLOCK_DOCS] for i in range(0, len(pairs), TEXT_BLOCK_DOCS)]
    systems: dict[str, Callable[[TextBlock], Any]] = {
        "ftfy.fix_text": lambda block: [ftfy.fix_text(text) for _, text in block],
    }
    try:
        clean_bytes, rules = _pipeline()
    except ImportError as error:
        clean_bytes, rules = None, None
        print(f"text: pipeline not importable ({error}); timing ftfy only", file=out)
    else:
        from cleaner.pipeline import RawInput

        def batches(block: TextBlock) -> list[Any]:
            return clean_in_batches(
                [RawInput(d.data, d.name, input_format="text") for d, _ in block], rules)

        def text_path(block: TextBlock) -> list[Any]:
            with classifier_off():
                return batches(block)

        def text_path_alone(block: TextBlock) -> list[Any]:
            with classifier_off():
                return [clean_bytes(d.data, d.name, rules, input_format="text")
                        for d, _ in block]

        systems[TEXT_PATH] = text_path
        systems[TEXT_PATH_ALONE] = text_path_alone
        systems[FULL_TEXT] = batches
    checks: list[Check] = []
    problems: list[str] = []
    if clean_bytes is not None:
        # Untimed pass, both ways: warms caches (lazy stopword lists, compiled patterns) and
        # gives the outputs the repair check reads.
        for off in (True, False):
            for doc in corpus.mojibaked:
                with classifier_off() if off else _nothing():
                    result = clean_bytes(doc.data, doc.name, rules, input_format="text")
                problems += [f"{p.doc} ({doc.mojibake}): {p.probe!r} {p.problem}"
                             for p in check_repair(doc, document_output(result))]
    with as_clean_runs():
        timings = interleaved_items(systems, blocks, options.repeat)
    size = corpus.size
    print(f"text corpus: {len(corpus.docs)} docs, {size / 1e6:.2f} MB, "
          f"{len(corpus.mojibaked)} mojibaked (seed {options.seed})", file=out)
    _print_timings(timings, out, size)
    ftfy_rate = _mb(size, timings.median("ftfy.fix_text"))
    if clean_bytes is None:
        checks.append(Check("text: clean_bytes MB/s ÷ ftfy.fix_text MB/s", "skipped: no pipeline",
                            f"≥ {TEXT_MIN_RATIO:g}×", None))
        return checks
    for name, label in ((TEXT_PATH, "text path (read, normalize, rules, title)"),
                        (TEXT_PATH_ALONE, "text path, one document at a time"),
                        (FULL_TEXT, "clean (with the classifier)")):
        ours_rate = _mb(size, timings.median(name))
        ratio = ours_rate / ftfy_rate
        checks.append(Check(f"text: {label} MB/s ÷ ftfy.fix_text MB/s",
                            f"{ours_rate:.2f} ÷ {ftfy_rate:.2f} = {ratio:.2f}×",
                            f"≥ {TEXT_MIN_RATIO:g}×", ratio >= TEXT_MIN_RATIO))
    broken = {p.split(" ", 1)[0] for p in problems}
    n = len(corpus.mojibaked)
    checks.append(Check("text: mojibaked docs repaired", f"{n - len(broken)}/{n}", "all",
                        not broken))
    for problem in problems[:20]:
        print(f"not repaired: {problem}", file=out)
    return checks


def bench_html(options: SpeedOptions, out: TextIO) -> list[Check]:
    import trafilatura

    pages = html_pages(options)
    systems: dict[str, Callable[[tuple[str, bytes]], Any]] = {
        "trafilatura.extract": lambda page: trafilatura.extract(page[1], deduplicate=False),
    }
    try:
        clean_bytes, rules = _pipeline()
    except ImportError as error:
        clean_bytes = None
        print(f"html: pipeline not importable ({error}); timing trafilatura only", file=out)
    else:
        systems["clean_bytes (html)"] = lambda page: clean_bytes(page[1], page[0], rules,
                                                                  input_format="html")
    for run in systems.values():  # untimed warm-up: imports, lazily built XPath/regex tables
        for page in pages:
            run(page)
    with as_clean_runs():
        timings = interleaved_items(systems, pages, options.repeat)
    size = sum(len(data) for _, data in pages)
    print(f"html pages: {len(pages)}, {size / 1e6:.2f} MB", file=out)
    _print_timings(timings, out, size)
    name = "html: clean_bytes time ÷ trafilatura.extract time"
    target = f"≤ {HTML_MAX_RATIO:g}×"
    if clean_bytes is None:
        return [Check(name, "skipped: no pipeline", target, None)]
    ours, theirs = timings.median("clean_bytes (html)"), timings.median("trafilatura.extract")
    ratio = ours / theirs
    return [Check(name, f"{ours:.2f} s ÷ {theirs:.2f} s = {ratio:.2f}×", target,
                  ratio <= HTML_MAX_RATIO)]


def clean_command() -> list[str]:
    """The installed `clean` script beside this interpreter, else `python -m cleaner`."""
    script = Path(sys.executable).with_name("clean")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cleaner"]


def _run_clean(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    # As on a user's machine, where Python caches compiled modules: a shell that sets
    # PYTHONDONTWRITEBYTECODE would have every run compile the package from source again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run([*clean_command(), *args], capture_output=True, text=True,
                          check=False, env=env)


def accepts_jobs() -> bool:
    help_ = _run_clean(["--help"])
    return help_.returncode == 0 and "--jobs" in help_.stdout


def bench_jobs(options: SpeedOptions, out: TextIO) -> list[Check]:
    name = f"jobs: `clean --jobs 1` time ÷ `--jobs 2` time ({options.jobs_docs} docs)"
    target = f"≥ {JOBS_MIN_SPEEDUP:g}×"
    if not accepts_jobs():
        print("jobs: skipped: `clean --help` shows no --jobs option yet", file=out)
        return [Check(name, "skipped: clean has no --jobs", target, None)]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    corpus = text_corpus(options, options.jobs_docs)
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        raw = Path(tmp) / "raw"
        corpus.write(raw)
        failures: list[str] = []

        # A new OUT for every run, all removed at the end: a rerun into the same OUT would
        # find its outputs up to date, and on ext4 creating files just after deleting as many
        # costs ~15x the kernel time (2,000 files of 4 kB: 1.5 s against 0.1 s), time the
        # driver would spend on the bench's own deletions.
        runs = itertools.count()

        def run(jobs: int) -> None:
            outputs = Path(tmp) / f"out-{next(runs)}"
            done = _run_clean([str(raw), str(outputs), "--quiet", "--jobs", str(jobs)])
            if done.returncode != 0:
                failures.append(f"--jobs {jobs} exited {done.returncode}: {done.stderr[-500:]}")

        timings = interleaved({"clean --jobs 1": lambda: run(1),
                               "clean --jobs 2": lambda: run(2)}, options.repeat)
    print(f"jobs corpus: {len(corpus.docs)} docs, {corpus.size / 1e6:.2f} MB, {cpus} CPUs",
          file=out)
    _print_timings(timings, out, corpus.size)
    for failure in failures[:4]:
        print(f"jobs: {failure}", file=out)
    one, two = timings.median("clean --jobs 1"), timings.median("clean --jobs 2")
    speedup = one / two
    measured = f"{one:.1f} s ÷ {two:.1f} s = {speedup:.2f}× on {cpus} CPUs"
    measured += " (clean failed)" if failures else ""
    return [Check(name, measured, target, speedup >= JOBS_MIN_SPEEDUP and not failures)]


def bench_startup(options: SpeedOptions, out: TextIO) -> list[Check]:
    sample = sorted((REPO / "raw").glob("000_*"))[:1]
    name = "startup: `clean raw/000_… OUT` wall time"
    target = f"< {STARTUP_MAX_SECONDS:g} s"
    if not sample:
        return [Check(name, "skipped: no raw/000_* sample", target, None)]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        def run() -> None:
            target_dir = Path(tmp) / "out"
            shutil.rmtree(target_dir, ignore_errors=True)
            done = _run_clean([str(sample[0]), str(target_dir)])
            if done.returncode != 0:
                failures.append(f"exited {done.returncode}: {done.stderr[-500:]}")

        run()  # untimed: writes the bytecode caches a first run leaves
        failures.clear()
        timings = interleaved({"clean one file": run}, options.repeat)
    _print_timings(timings, out)
    for failure in failures[:2]:
        print(f"startup: {failure}", file=out)
    wall = timings.median("clean one file")
    measured = f"{wall:.2f} s" + (" (clean failed)" if failures else "")
    return [Check(name, measured, target, wall < STARTUP_MAX_SECONDS and not failures)]


def _print_timings(timings: Timings, out: TextIO, size: int | None = None) -> None:
    print("", file=out)
    header = "| system | median s | min s | max s |" + (" MB/s |" if size else "")
    print(header, file=out)
    print("|---|---|---|---|" + ("---|" if size else ""), file=out)
    for name, values in timings.seconds.items():
        median = statistics.median(values)
        rate = f" {_mb(size, median):.2f} |" if size else ""
        print(f"| {name} | {median:.3f} | {min(values):.3f} | {max(values):.3f} |{rate}",
              file=out)
    print("", file=out)


def render_checks(checks: Sequence[Check]) -> str:
    lines = ["| check | measured | target | result |", "|---|---|---|---|"]
    for check in checks:
        result = {True: "pass", False: "FAIL", None: "skipped"}[check.ok]
        lines.append(f"| {check.name} | {check.measured} | {check.target} | {result} |")
    return "\n".join(lines) + "\n"


PROFILES = ("text", "text-full", "html")  # text: the text path, no classifier


@contextmanager
def _as_profiled(path: str) -> Iterator[None]:
    """As `clean` runs, and no classifier on the `text` path."""
    with as_clean_runs(), classifier_off() if path == "text" else _nothing():
        yield


def profile(path: str, options: SpeedOptions, out: TextIO, top: int = 15) -> int:
    """cProfile one pass of a path (`PROFILES`); print the top functions both ways."""
    _, rules = _pipeline()
    fmt = "html" if path == "html" else "text"
    if fmt == "text":
        corpus = text_corpus(options, options.docs)
        items = [(d.name, d.data) for d in corpus.docs]
    else:
        items = html_pages(options)
    from cleaner.pipeline import RawInput

    inputs = [RawInput(data, name, input_format=fmt) for name, data in items]
    # Imports, lazy tables and the rules' prefilter (built after a few documents) out of
    # the profile.
    clean_in_batches(inputs[:40], rules)
    profiler = cProfile.Profile()
    with _as_profiled(path):
        profiler.enable()
        clean_in_batches(inputs, rules)
        profiler.disable()
    label = {"text": TEXT_PATH, "text-full": FULL_TEXT, "html": "html path"}[path]
    for sort in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        print(f"## {label}, {len(items)} documents: top {top} by {sort}\n", file=out)
        print(_trim_pstats(buffer.getvalue()), file=out)
    # The same pass again, sampled: shares of wall time without cProfile's cost per call.
    with _as_profiled(path), sampling() as samples:
        clean_in_batches(inputs, rules)
    print(f"## {label}, {len(items)} documents: wall time by function, sampled "
          f"({samples.total} samples)\n", file=out)
    print(samples.table(2 * top, within=_measured), file=out)
    return 0


def _measured(where: tuple[str, str]) -> bool:
    """A function of the path profiled, not of the harness around it."""
    module = where[0]
    return not (module.startswith("cleaner.bench") or module in ("__main__", "runpy"))


def _trim_pstats(report: str) -> str:
    """pstats' report minus its blank preamble, fenced for pasting into Markdown."""
    lines = report.strip("\n").splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "```\n" + "\n".join(line.rstrip() for line in lines[start:]) + "\n```\n"


def run_speed(options: SpeedOptions, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if options.profile:
        try:
            return profile(options.profile, options, out)
        except ImportError as error:
            print(f"cleaner.bench: cannot profile, the pipeline is not importable: {error}",
                  file=sys.stderr)
            return 1
    parts: dict[str, Callable[[SpeedOptions, TextIO], list[Check]]] = {
        "text": bench_text, "html": bench_html, "jobs": bench_jobs, "startup": bench_startup,
    }
    checks: list[Check] = []
    for part in options.parts:
        print(f"## {part}", file=out)
        checks += parts[part](options, out)
    print(f"## ratios (medians of {options.repeat}, interleaved, one run)\n", file=out)
    out.write(render_checks(checks))
    return 0


def describe_machine() -> str:
    """`N cores, <lscpu model name>` for the BENCHMARKS.md header."""
    model = ""
    try:
        listing = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in listing.splitlines()
                      if line.startswith("Model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model or 'unknown CPU'}, Python {sys.version.split()[0]}"

