"""The scrapinghub article-extraction-benchmark metric, exactly as ../shared/bench/README.md
defines it, so our figures compare with its published table.

Tokens are `\\w+` matches (Unicode, case kept); a document is the multiset of its contiguous
4-token shingles (1-3 tokens give one shorter shingle, no tokens give none). Precision is
macro-averaged over documents with a non-empty prediction, recall over all documents (an
empty prediction has recall 0); F1 is the harmonic mean of the two means.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

_TOKEN = regex.compile(r"\w+")
SHINGLE_SIZE = 4


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True)
class DocScore:
    precision: float | None  # None when the prediction is empty
    recall: float | None  # None when the truth is empty (nothing to recall)


def score_document(prediction: str, truth: str) -> DocScore:
    pred, gold = shingles(prediction), shingles(truth)
    tp = sum((pred & gold).values())
    n_pred, n_gold = sum(pred.values()), sum(gold.values())
    return DocScore(
        precision=tp / n_pred if n_pred else None,
        recall=tp / n_gold if n_gold else None,
    )


@dataclass(frozen=True)
class CorpusScore:
    precision: float
    recall: float
    f1: float
    precision_std: float
    recall_std: float
    f1_std: float
    documents: int
    empty: int  # documents whose prediction is empty


def _aggregate(scores: Sequence[DocScore]) -> tuple[float, float, float]:
    ps = [s.precision for s in scores if s.precision is not None]
    rs = [s.recall for s in scores if s.recall is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _std(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)) ** 0.5


def score_corpus(
    predictions: Mapping[str, str],
    truths: Mapping[str, str],
    bootstrap: int = 1000,
    seed: int = 0,
) -> CorpusScore:
    """Score every id of `truths`; an id missing from `predictions` counts as empty."""
    ids = sorted(truths)
    scores = [score_document(predictions.get(i, ""), truths[i]) for i in ids]
    p, r, f = _aggregate(scores)
    rng = random.Random(seed)
    samples = [_aggregate([rng.choice(scores) for _ in scores]) for _ in range(bootstrap)]
    return CorpusScore(
        precision=p,
        recall=r,
        f1=f,
        precision_std=_std([s[0] for s in samples]) if samples else 0.0,
        recall_std=_std([s[1] for s in samples]) if samples else 0.0,
        f1_std=_std([s[2] for s in samples]) if samples else 0.0,
        documents=len(ids),
        empty=sum(1 for s in scores if s.precision is None),
    )
