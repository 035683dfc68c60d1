"""Train the boilerplate classifier's weights from a benchmark's plain-text dumps.

    python scripts/train_classifier.py [BENCH_DIR] [--folds 5] [--out cleaner/data/classifier.json]

The shipped `cleaner/data/classifier.json` is `python scripts/train_classifier.py` with
the defaults (the dev benchmark, `--model hybrid --decoding expected_f1`) and the
shipped rules.

BENCH_DIR holds `raw/<id>.txt` (whole-page text dumps, one paragraph per line) and
`truth/<id>.txt` (the article body). Steps:

1. Label: a line is body when most of its 4-token shingles occur in the truth (a line
   too short for one shingle: when its tokens occur in the truth as a contiguous run).
2. Paragraphs and features: the dump goes through the pipeline's own steps up to the
   classifier (`cleaner.pipeline.prepare`: read, normalize, split, the shipped rules), so
   list items, block ids and the paragraphs the rules leave are what the classifier gets
   in use, then `cleaner.classify.features`, exactly what the pipeline computes.
3. Model (`--model hybrid`, shipped): gradient-boosted trees (numpy only, seeded) on the
   line features; then an L2-regularised logistic regression (Newton's method) over the
   features plus the trees' out-of-fold scores along the page. Pages weigh equally.
   `--model logistic` reproduces the first version's model type for comparison.
4. Decoding: by default (`--decoding expected_f1`) each page's region is the one of best
   expected F1 under the model's own probabilities, nothing tuned; with `--decoding
   fixed` one threshold is chosen by the benchmark metric on the training documents.
5. K-fold cross-validation by document prints P/R/F1 per held-out fold and over all
   folds with `cleaner.bench.metric`; then the model is refitted on all documents and
   written as a small JSON file that `cleaner.classify` loads with numpy alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import regex

from cleaner import classify
from cleaner.bench.metric import score_corpus, shingles
from cleaner.pipeline import prepare
from cleaner.read import read_text
from cleaner.rules import RuleSet, load_rules

DEFAULT_BENCH = Path("/work/shared/bench/scrapinghub-text-dev")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "cleaner" / "data" / "classifier.json"
L2 = 10.0
# Lines count in training by words ** WEIGHT_POWER: the metric counts words, so a long
# body paragraph matters more than a one-word menu item, but not linearly more (the
# short lines inside an article must still be learnt).
WEIGHT_POWER = 1.0
DOC_BALANCED = True
_TOKEN = regex.compile(r"\w+")
THRESHOLDS = tuple(np.round(np.arange(0.20, 0.71, 0.05), 2))
# Fixed rather than tuned: on 70-odd training pages a tuned power flips between folds
# with no gain in held-out F1.
LENGTH_POWERS = (1.0,)
# Region decoding: "expected_f1" (each page's bar is half its best expected F1, see
# classify.expected_f1_threshold) or "fixed" (one threshold tuned by the metric).
DECODINGS = ("expected_f1", "fixed")
DECODING = "expected_f1"


@dataclass
class Doc:
    id: str
    lines: list[str]
    truth: str
    language: str | None
    labels: np.ndarray  # 1 body, 0 not
    x: np.ndarray
    words: np.ndarray
    kinds: list[str]


def detect_language(text: str) -> str | None:
    """The pipeline's detector when it exists; py3langid (training-only) otherwise."""
    try:
        from cleaner.language import detect_language as detect
    except ImportError:
        import py3langid

        return py3langid.classify(text)[0]
    return detect(text)


def label_lines(lines: list[str], truth: str) -> np.ndarray:
    """1 for body lines. A line of 4+ tokens is body when most of its shingles are in the
    truth. A shorter line (heading, one-word menu item) is body when it is a whole truth
    paragraph, or when its words occur in the truth and it lies between body lines: a
    one-word menu item ("World") is otherwise "in the truth" by accident."""
    gold = shingles(truth)
    truth_tokens = " " + " ".join(tokens_of(truth)) + " "
    truth_lines = {" ".join(tokens_of(t)) for t in truth.splitlines() if t.strip()}
    labels = np.zeros(len(lines))
    short: list[int] = []
    for i, line in enumerate(lines):
        tokens = tokens_of(line)
        if len(tokens) >= 4:
            sh = shingles(line)
            hit = sum(min(c, gold[s]) for s, c in sh.items())
            labels[i] = 1.0 if hit / sum(sh.values()) >= 0.5 else 0.0
        elif tokens:
            short.append(i)
    body = np.flatnonzero(labels)
    first, last = (body.min(), body.max()) if len(body) else (len(lines), -1)
    for i in short:
        joined = " ".join(tokens_of(lines[i]))
        if joined in truth_lines or (first < i < last and f" {joined} " in truth_tokens):
            labels[i] = 1.0
    return labels


def tokens_of(text: str) -> list[str]:
    return _TOKEN.findall(text)


def load(bench: Path, rules: RuleSet | None = None) -> list[Doc]:
    """Every dump as the pipeline hands it to the classifier: read, normalized, split
    (list markers become kind "li", blank lines give block ids) and with the paragraphs
    the shipped rules drop already gone (`pipeline.prepare`). Learning from the raw split
    instead would teach the model neighbourhoods and blocks it never sees in use."""
    rules = load_rules() if rules is None else rules
    docs = []
    for raw in sorted((bench / "raw").glob("*.txt")):
        text, _ = read_text(raw.read_bytes())
        doc = prepare(text, raw.name, rules, input_format="text")
        paragraphs = doc.kept()
        lines = [p.text for p in paragraphs]
        kinds = [p.kind for p in paragraphs]
        blocks = [p.block for p in paragraphs]
        truth = (bench / "truth" / raw.name).read_text(encoding="utf-8")
        language = doc.language or detect_language("\n".join(lines))
        x, words = classify.features(lines, language, blocks)
        docs.append(
            Doc(raw.stem, lines, truth, language, label_lines(lines, truth), x, words, kinds)
        )
    return docs


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, l2: float = L2
) -> classify.Stage:
    """Standardise, then Newton-Raphson on the L2-penalised, weighted log-likelihood."""
    weight = np.ones(len(y)) if weight is None else weight
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    # The penalty scales with the mean sample weight, so it means the same whatever
    # WEIGHT_POWER is.
    penalty = np.full(z.shape[1], l2 * float(weight.mean()))
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (weight * (p - y)) + penalty * w
        hess = (z * (weight * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return classify.Stage(mean=mean, scale=scale, coef=w[:-1], intercept=float(w[-1]))


@dataclass(frozen=True)
class TreeParams:
    """Small, heavily regularised boosted trees: ~15k lines from 92 pages is little data,
    so shallow trees, shrinkage, row subsampling and a floor on the (Hessian) weight of a
    leaf keep each split backed by many lines from many pages."""

    n_trees: int = 150
    depth: int = 3
    learning_rate: float = 0.1
    l2: float = 2.0  # shrinkage of leaf values, in units of the mean line weight
    min_leaf_hessian: float = 3.0
    subsample: float = 0.7
    bins: int = 32
    seed: int = 0


TREES = TreeParams()


def _candidate_edges(x: np.ndarray, bins: int) -> list[np.ndarray]:
    """Split points per feature: quantiles of the training values, rounded as the JSON
    stores them so that training and the shipped model route every line the same way."""
    qs = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return [np.unique(np.round(np.quantile(x[:, f], qs), 6)) for f in range(x.shape[1])]


def fit_trees(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, p: TreeParams = TREES
) -> classify.Trees:
    """Newton boosting of the weighted log-loss with level-wise, fixed-depth trees over
    quantile-binned features (histogram splits, as LightGBM/XGBoost do), numpy only."""
    n, n_feat = x.shape
    rng = np.random.default_rng(p.seed)
    w = np.ones(n) if weight is None else weight / weight.mean()
    edges = _candidate_edges(x, p.bins)
    binned = np.stack(
        [np.searchsorted(edges[f], x[:, f], side="left") for f in range(n_feat)], axis=1
    )  # bin b <=> b edges lie below x; split k sends bins <= k left (x <= edges[k])
    n_edges = np.array([len(e) for e in edges])
    n_inner, n_leaves = 2**p.depth - 1, 2**p.depth
    base = float(np.log(np.average(y, weights=w) / (1 - np.average(y, weights=w))))
    raw = np.full(n, base)
    feat_off = np.arange(n_feat) * p.bins
    features_, thresholds, values = [], [], []
    for _ in range(p.n_trees):
        prob = 1.0 / (1.0 + np.exp(-raw))
        g, h = w * (prob - y), w * prob * (1 - prob)
        sample = rng.random(n) < p.subsample
        node = np.zeros(n, dtype=np.intp)
        t_feat = np.zeros(n_inner, dtype=np.intp)
        t_thr = np.full(n_inner, np.inf)
        split_bin = np.full(n_inner, p.bins)  # an unsplit node sends every bin left
        for level in range(p.depth):
            first, count = 2**level - 1, 2**level
            rows = np.flatnonzero(sample)
            flat = ((node[rows] - first)[:, None] * n_feat * p.bins + feat_off + binned[rows])
            size = count * n_feat * p.bins
            gh = np.bincount(flat.ravel(), np.repeat(g[rows], n_feat), size)
            hh = np.bincount(flat.ravel(), np.repeat(h[rows], n_feat), size)
            gh = gh.reshape(count, n_feat, p.bins)
            hh = hh.reshape(count, n_feat, p.bins)
            gl, hl = np.cumsum(gh, axis=2), np.cumsum(hh, axis=2)
            gt, ht = gl[:, :, -1:], hl[:, :, -1:]
            gain = (
                gl**2 / (hl + p.l2)
                + (gt - gl) ** 2 / (ht - hl + p.l2)
                - gt**2 / (ht + p.l2)
            )
            ok = (hl >= p.min_leaf_hessian) & (ht - hl >= p.min_leaf_hessian)
            ok &= np.arange(p.bins)[None, None, :] < n_edges[None, :, None]
            gain = np.where(ok, gain, 0.0)
            for j in range(count):
                f, k = np.unravel_index(int(np.argmax(gain[j])), gain[j].shape)
                if gain[j, f, k] > 1e-6:
                    t_feat[first + j], t_thr[first + j] = f, edges[f][k]
                    split_bin[first + j] = k
            right = binned[np.arange(n), t_feat[node]] > split_bin[node]
            node = 2 * node + 1 + right
        leaf = node - n_inner
        gs = np.bincount(leaf[sample], g[sample], n_leaves)
        hs = np.bincount(leaf[sample], h[sample], n_leaves)
        value = -p.learning_rate * gs / (hs + p.l2)
        raw += value[leaf]
        features_.append(t_feat)
        thresholds.append(t_thr)
        values.append(value)
    return classify.Trees(
        base=base,
        feature=np.array(features_, dtype=np.intp).reshape(-1, n_inner),
        threshold=np.array(thresholds, dtype=float).reshape(-1, n_inner),
        value=np.array(values, dtype=float).reshape(-1, n_leaves),
    )


def _line_weights(d: Doc) -> np.ndarray:
    w = np.maximum(d.words, 1.0) ** WEIGHT_POWER
    # The metric averages over pages, so every page weighs the same in training: a
    # 500-line page must not teach the model more than a 50-line one.
    return w / w.sum() if DOC_BALANCED else w


def _stacked(docs: list[Doc]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.vstack([d.x for d in docs]),
        np.concatenate([d.labels for d in docs]),
        np.concatenate([_line_weights(d) for d in docs]),
    )


Fitter = Callable[[np.ndarray, np.ndarray, np.ndarray], "classify.Stage | classify.Trees"]
# (first stage, second stage) per --model choice.
FITTERS: dict[str, tuple[Fitter, Fitter]] = {
    "trees": (fit_trees, fit_trees),
    "hybrid": (fit_trees, fit_logistic),
    "logistic": (fit_logistic, fit_logistic),
}


def fit_stages(
    docs: list[Doc], fit: tuple[Fitter, Fitter], inner_folds: int = 5
) -> tuple[classify.Stage | classify.Trees, classify.Stage | classify.Trees]:
    """First stage on all `docs`; second stage on first-stage scores that are out-of-fold
    (inner folds by document), so it learns how much to trust scores on unseen pages."""
    first = fit[0](*_stacked(docs))
    oof: dict[str, np.ndarray] = {}
    for k in range(inner_folds):
        inner = [d for d in docs if fold_of(d.id, inner_folds, salt="inner") != k]
        held = [d for d in docs if fold_of(d.id, inner_folds, salt="inner") == k]
        if not inner or not held:
            continue
        stage = fit[0](*_stacked(inner))
        for d in held:
            oof[d.id] = stage.predict(d.x)
    x2 = np.vstack(
        [np.concatenate([d.x, classify.stack_features(oof[d.id], d.words)], axis=1) for d in docs]
    )
    _, y, weight = _stacked(docs)
    second = fit[1](x2, y, weight)
    return first, second


Stages = tuple["classify.Stage | classify.Trees", "classify.Stage | classify.Trees"]


def make_model(
    stages: Stages, threshold: float, power: float, decoding: str = DECODING
) -> classify.Model:
    return classify.Model(
        first=stages[0],
        second=stages[1],
        threshold=threshold,
        length_power=power,
        decoding=decoding,
    )


def predict_docs(docs: list[Doc], model: classify.Model) -> dict[str, str]:
    out = {}
    for d in docs:
        probs = model.predict(d.x, d.words)
        threshold = model.threshold_for(probs, d.words, d.x)
        decisions = classify.decode(
            d.lines, probs, d.words, d.x, threshold, model.length_power, d.kinds
        )
        out[d.id] = "\n\n".join(t for t, dec in zip(d.lines, decisions, strict=True) if dec.keep)
    return out


def tune(docs: list[Doc], params: Stages) -> tuple[float, float, float]:
    """Threshold and length power with the best benchmark F1 on these documents (for
    `--decoding fixed`)."""
    truths = {d.id: d.truth for d in docs}
    best = (-1.0, 0.5, 1.0)
    for power in LENGTH_POWERS:
        for t in THRESHOLDS:
            preds = predict_docs(docs, make_model(params, float(t), power, "fixed"))
            f1 = score_corpus(preds, truths, bootstrap=0).f1
            if f1 > best[0]:
                best = (f1, float(t), power)
    return best


def fold_of(doc_id: str, folds: int, salt: str = "") -> int:
    # Stable across runs and machines, independent of file order.
    return int(hashlib.sha256((salt + doc_id).encode()).hexdigest(), 16) % folds


def train(
    docs: list[Doc], fit: tuple[Fitter, Fitter], decoding: str = DECODING
) -> tuple[Stages, float, float]:
    """The stages and the decoding's (threshold, length power). Expected-F1 decoding
    takes the page's own bar unscaled: nothing is tuned to the training pages."""
    params = fit_stages(docs, fit)
    if decoding == "expected_f1":
        return params, 1.0, LENGTH_POWERS[0]
    _, t, power = tune(docs, params)
    return params, t, power


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-write", action="store_true", help="cross-validate only")
    ap.add_argument(
        "--model",
        choices=sorted(FITTERS),
        default="hybrid",
        help="hybrid (shipped: trees, then a regression over their scores along the page), "
        "trees, or logistic (the first version's model, for comparison)",
    )
    ap.add_argument(
        "--decoding",
        choices=DECODINGS,
        default=DECODING,
        help="expected_f1 (shipped: each page's bar from its own scores) or fixed (one "
        "threshold tuned on the training pages, the previous version)",
    )
    args = ap.parse_args(argv)
    fit = FITTERS[args.model]

    t0 = time.perf_counter()
    docs = load(args.bench)
    print(
        f"{len(docs)} documents, {sum(len(d.lines) for d in docs)} lines, "
        f"features in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    truths = {d.id: d.truth for d in docs}

    oracle = {
        d.id: "\n\n".join(t for t, y in zip(d.lines, d.labels, strict=True) if y) for d in docs
    }
    s = score_corpus(oracle, truths, bootstrap=0)
    print(f"oracle labels        P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}")

    all_preds: dict[str, str] = {}
    fold_thresholds: list[float] = []
    for k in range(args.folds):
        test = [d for d in docs if fold_of(d.id, args.folds) == k]
        train_docs = [d for d in docs if fold_of(d.id, args.folds) != k]
        params, t, power = train(train_docs, fit, args.decoding)
        fold_thresholds.append(t)
        preds = predict_docs(test, make_model(params, t, power, args.decoding))
        all_preds.update(preds)
        s = score_corpus(preds, {d.id: d.truth for d in test}, bootstrap=0)
        print(
            f"fold {k} ({len(test):2d} docs)   P={s.precision:.3f} R={s.recall:.3f} "
            f"F1={s.f1:.3f}  (threshold {t:.2f}, length power {power})"
        )
    s = score_corpus(all_preds, truths)
    print(
        f"cross-validated      P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
        f"(±{s.f1_std:.3f}), empty {s.empty}"
    )

    if args.no_write:
        return 0
    params, t_in_sample, power = train(docs, fit, args.decoding)
    # A threshold tuned on the very pages the trees were fitted to swings widely (its
    # F1 curve is flat in-sample); the median of the folds' choices is steadier.
    t = float(np.median(fold_thresholds))
    model = make_model(params, t, power, args.decoding)
    s = score_corpus(predict_docs(docs, model), truths, bootstrap=0)
    print(
        f"final model (train)  P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
        f"({args.decoding} decoding, threshold {t:.2f} = median of folds; "
        f"in-sample best {t_in_sample:.2f})"
    )
    data = {"trained_on": f"{args.bench.name}: {len(docs)} documents", **model.as_json()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Atomically: the test suite may be loading the weights while we write them.
    tmp = args.out.with_name(f".{args.out.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    names = classify.FEATURES + classify.STACK_FEATURES
    if isinstance(params[1], classify.Trees):
        used = Counter(names[f] for f in params[1].feature[np.isfinite(params[1].threshold)])
        for name, c in used.most_common(25):
            print(f"  {name:22s} {c:4d} splits", file=sys.stderr)
    else:
        ranked = sorted(zip(names, params[1].coef, strict=True), key=lambda nc: -abs(nc[1]))
        for name, c in ranked:
            print(f"  {name:22s} {c:+.3f}", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
