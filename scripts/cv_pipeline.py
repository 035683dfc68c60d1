"""Honest end-to-end figure: the full pipeline, cross-validated by document.

    python scripts/cv_pipeline.py [BENCH_DIR] [--folds 5] [--model hybrid] [--decoding expected_f1]
                                  [--keep-models DIR]

The shipped classifier (`cleaner/data/classifier.json`) was trained on every page of the
dev benchmark, so `python -m cleaner.bench quality BENCH --no-baselines` is in-sample.
This script gives the out-of-sample figure of the *whole* pipeline
(`cleaner.pipeline.clean_bytes`: read -> normalize -> rules -> classifier -> title, scored
on `doc.body_text()`, i.e. the JSON `text` field that bench quality scores):

1. Documents are loaded and labelled exactly as `scripts/train_classifier.py` does.
2. For each fold (the same `fold_of` hash folds as train_classifier.py), a model is trained
   on the other folds with train_classifier's own `train()` (first stage, out-of-fold
   stacking; with `--decoding fixed`, a threshold tuned on the training pages only),
   written to a temp JSON file (never to cleaner/data/), read back with
   `classify.Model.from_json` (so the JSON rounding the shipped file goes through applies
   too), and every held-out raw page is run through `clean_bytes` with that model.
3. How the fold's model gets into the pipeline: `cleaner.classify.load_model` is an
   `lru_cache`d function of the shipped path that `classify.select_body` calls by its
   module-global name when no `model=` is passed (which is what the pipeline does). This
   script swaps that module attribute for one returning the fold's model (`use_model`,
   a context manager that restores the original). cleaner/classify.py is not changed.
4. P/R/F1 (± bootstrap sd over documents, 1000 resamples, seed 0, as bench quality) per
   held-out fold and over all folds; in the same run, the in-sample full-pipeline figure
   with the shipped weights, and the classifier-only CV figure of the same fold models
   (what train_classifier.py prints) for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_classifier as tc  # noqa: E402  (scripts/ is not a package)

from cleaner import classify  # noqa: E402
from cleaner.bench.metric import CorpusScore, score_corpus  # noqa: E402
from cleaner.pipeline import clean_bytes  # noqa: E402
from cleaner.rules import load_rules  # noqa: E402


@contextlib.contextmanager
def use_model(model: classify.Model) -> Iterator[None]:
    """Make the pipeline's classifier step use `model` instead of the shipped weights."""
    original = classify.load_model
    classify.load_model = lambda *_args, **_kwargs: model  # type: ignore[assignment]
    try:
        yield
    finally:
        classify.load_model = original  # type: ignore[assignment]


def pipeline_predictions(raw: dict[str, Path], ids: list[str], rules) -> dict[str, str]:
    """`clean_bytes` on each raw page, as `clean RAW OUT --format json` runs it (source is
    the path relative to raw/, default max_share), returning the JSON `text` field."""
    out = {}
    for doc_id in ids:
        path = raw[doc_id]
        doc = clean_bytes(path.read_bytes(), path.name, rules)
        out[doc_id] = doc.body_text() or ""
    return out


def fmt(s: CorpusScore, sd: bool = True) -> str:
    text = f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
    if sd:
        text += f" (±{s.f1_std:.3f})  [P ±{s.precision_std:.3f}, R ±{s.recall_std:.3f}]"
    return text + (f", empty {s.empty}" if s.empty else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", nargs="?", type=Path, default=tc.DEFAULT_BENCH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--model", choices=sorted(tc.FITTERS), default="hybrid")
    ap.add_argument("--decoding", choices=tc.DECODINGS, default=tc.DECODING)
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--keep-models", type=Path, default=None, metavar="DIR",
                    help="write each fold's weights here (default: a temp dir, deleted)")
    args = ap.parse_args(argv)
    fit = tc.FITTERS[args.model]

    t0 = time.perf_counter()
    docs = tc.load(args.bench)
    truths = {d.id: d.truth for d in docs}
    raw = {p.stem: p for p in (args.bench / "raw").glob("*.txt")}
    missing = sorted(set(truths) - set(raw))
    if missing:
        raise SystemExit(f"no raw file for {missing[:3]}")
    rules = load_rules()  # the shipped rules, as `clean` loads them with no --rules
    print(f"{len(docs)} documents, {len(rules.rules)} shipped rules, features in "
          f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)

    # In-sample reference: the shipped weights, the same in-process pipeline.
    shipped = classify.load_model()
    in_sample = score_corpus(
        pipeline_predictions(raw, sorted(truths), rules), truths, bootstrap=args.bootstrap
    )

    pipe_preds: dict[str, str] = {}
    clf_preds: dict[str, str] = {}
    rows: list[tuple[str, CorpusScore, CorpusScore, float]] = []
    with contextlib.ExitStack() as stack:
        model_dir = args.keep_models or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="cv-pipeline-"))
        )
        model_dir.mkdir(parents=True, exist_ok=True)
        for k in range(args.folds):
            t1 = time.perf_counter()
            test = [d for d in docs if tc.fold_of(d.id, args.folds) == k]
            train_docs = [d for d in docs if tc.fold_of(d.id, args.folds) != k]
            params, t, power = tc.train(train_docs, fit, args.decoding)
            weights = model_dir / f"fold{k}.json"
            weights.write_text(json.dumps({
                "trained_on": f"{args.bench.name}: {len(train_docs)} documents "
                              f"(all but fold {k} of {args.folds})",
                **tc.make_model(params, t, power, args.decoding).as_json(),
            }, indent=1) + "\n", encoding="utf-8")
            # What the pipeline would load from a shipped file of these weights.
            model = classify.Model.from_json(json.loads(weights.read_text(encoding="utf-8")))
            test_ids = sorted(d.id for d in test)
            test_truths = {i: truths[i] for i in test_ids}
            with use_model(model):
                preds = pipeline_predictions(raw, test_ids, rules)
            pipe_preds.update(preds)
            clf = tc.predict_docs(test, model)
            clf_preds.update(clf)
            rows.append((
                f"fold {k} ({len(test):2d} docs, t={t:.2f})",
                score_corpus(preds, test_truths, bootstrap=args.bootstrap),
                score_corpus(clf, test_truths, bootstrap=0),
                time.perf_counter() - t1,
            ))
            print(f"fold {k} done in {rows[-1][3]:.0f}s", file=sys.stderr)
    assert classify.load_model() is shipped  # the swap was undone

    cv = score_corpus(pipe_preds, truths, bootstrap=args.bootstrap)
    clf_cv = score_corpus(clf_preds, truths, bootstrap=args.bootstrap)
    print(f"\nfull pipeline (clean_bytes: read -> normalize -> rules -> classifier -> title), "
          f"{args.bench.name}, {args.folds}-fold CV by document, model {args.model}, "
          f"{args.decoding} decoding")
    print(f"{'':28s} full pipeline{'':45s} classifier only")
    for name, s, c, _ in rows:
        print(f"{name:28s} {fmt(s):58s} F1={c.f1:.3f}")
    print(f"{'cross-validated (all folds)':28s} {fmt(cv):58s} F1={clf_cv.f1:.3f} "
          f"(±{clf_cv.f1_std:.3f})")
    print(f"{'in-sample, shipped weights':28s} {fmt(in_sample)}")
    print(f"optimism of the in-sample figure: {in_sample.f1 - cv.f1:+.3f} F1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
