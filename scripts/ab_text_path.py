"""Which of two commits runs the text path faster, to a few per cent, on a noisy machine.

    python scripts/ab_text_path.py COMMIT_A COMMIT_B [--docs 1000] [--rounds 5] [--batch N]

Two runs of `python -m cleaner.bench speed` minutes apart differ by 10-25 % here, and
profilers charge every call a fixed cost, so neither tells a 5 % change. This script:

1. checks out both commits (`git worktree`, in a temp dir) and copies A's package under
   the name `cleaner_base` (imports rewritten), so one process can import both;
2. times both text paths in that process (`cleaner.bench.speed.clean_in_batches`, the
   classifier off, `clean`'s collector settings) taking turns on every block of 100
   documents of the bench corpus (seed 0), the order reversed from block to block, for
   `--rounds` rounds: both see the same spells of the machine;
3. does it again with the roles swapped (B as `cleaner_base`), because a run of one
   commit against itself showed the copy imported first ~5 % faster: the geometric mean
   of the two runs' ratios cancels that.

It prints B's speed relative to A's (above 1: B is faster). `--batch N` runs both with
batches of N documents (default: each commit's own `batch.BATCH_DOCS`). ~3 min a
comparison for 1,000 documents. The bench data must be where `cleaner.bench` finds it.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPORTS = re.compile(r"\b(from|import) cleaner\b|(?<=[\"'])cleaner\.|Path\(cleaner\.__file__\)"
                     r"|patch\.object\(cleaner\.")

# Run in a subprocess with `sys.path` = [the tree imported as `cleaner_base`'s parent, the
# tree imported as `cleaner`]: prints "BASE_SECONDS NEW_SECONDS" medians.
HARNESS = r"""
import statistics, sys, time
base_parent, new_tree, docs, rounds, batch = sys.argv[1:6]
sys.path[:0] = [new_tree, base_parent]
import cleaner_base.batch as batch_b
import cleaner_base.bench.speed as speed_b
import cleaner_base.pipeline as pipe_b
import cleaner.batch as batch_n
import cleaner.bench.speed as speed_n
import cleaner.pipeline as pipe_n
from cleaner.bench.corpus import build_corpus, default_sources
if int(batch):
    batch_b.BATCH_DOCS = batch_n.BATCH_DOCS = int(batch)
corpus = build_corpus(default_sources(speed_n.REPO, speed_n.SpeedOptions().shared), int(docs))
_, rules_b = speed_b._pipeline()
_, rules_n = speed_n._pipeline()
inputs_b = [pipe_b.RawInput(d.data, d.name, input_format="text") for d in corpus.docs]
inputs_n = [pipe_n.RawInput(d.data, d.name, input_format="text") for d in corpus.docs]
times_b, times_n = [], []
with speed_n.as_clean_runs(), speed_b.classifier_off(), speed_n.classifier_off():
    speed_b.clean_in_batches(inputs_b, rules_b)
    speed_n.clean_in_batches(inputs_n, rules_n)
    for round_ in range(int(rounds)):
        spent = {"b": 0.0, "n": 0.0}
        for start in range(0, len(inputs_n), 100):
            turns = [("b", speed_b, inputs_b, rules_b), ("n", speed_n, inputs_n, rules_n)]
            if (start // 100 + round_) % 2:
                turns.reverse()
            for key, speed, inputs, rules in turns:
                began = time.perf_counter()
                speed.clean_in_batches(inputs[start:start + 100], rules)
                spent[key] += time.perf_counter() - began
        times_b.append(spent["b"])
        times_n.append(spent["n"])
print(statistics.median(times_b), statistics.median(times_n))
"""


def _checkout(commit: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(where),
                    commit], check=True)
    return where


def _as_cleaner_base(tree: Path, parent: Path) -> None:
    """`tree`'s package copied to `parent/cleaner_base`, importing itself by that name, with
    the shipped rules beside it where it looks for them."""
    target = parent / "cleaner_base"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(tree / "cleaner", target, ignore=shutil.ignore_patterns("__pycache__"))
    for module in target.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        module.write_text(IMPORTS.sub(lambda m: m.group().replace("cleaner", "cleaner_base"),
                                      text), encoding="utf-8")
    rules = parent / "rules"
    if rules.is_symlink() or rules.exists():
        rules.unlink()
    rules.symlink_to(tree / "rules")


def _ratio(base: Path, new: Path, parent: Path, args: argparse.Namespace) -> float:
    """`new`'s speed over `base`'s, `base` imported as `cleaner_base`."""
    _as_cleaner_base(base, parent)
    done = subprocess.run([sys.executable, "-c", HARNESS, str(parent), str(new), str(args.docs),
                           str(args.rounds), str(args.batch)], cwd=new, check=True,
                          capture_output=True, text=True)
    seconds_base, seconds_new = map(float, done.stdout.split())
    print(f"  {base.name} as cleaner_base: {seconds_base:.3f} s, {new.name}: {seconds_new:.3f} s")
    return seconds_base / seconds_new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("commit_a")
    parser.add_argument("commit_b")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cleaner-ab-") as tmp:
        root = Path(tmp)
        a, b = root / "a", root / "b"
        try:
            _checkout(args.commit_a, a)
            _checkout(args.commit_b, b)
            b_over_a = _ratio(a, b, root / "base", args)
            a_over_b = _ratio(b, a, root / "base", args)
        finally:
            for tree in (a, b):
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                                str(tree)], check=False, capture_output=True)
    print(f"{args.commit_b} runs the text path {math.sqrt(b_over_a / a_over_b):.3f}x as fast as "
          f"{args.commit_a} (the two runs: {b_over_a:.3f}, 1/{a_over_b:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
