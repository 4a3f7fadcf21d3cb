"""Retrieval and abstention metrics: small pure functions over one ranking at a time.

A ranking is given as the relevance of each retrieved passage in rank order (``relevant[0]`` is
rank 1): booleans for binary relevance, or gains (numbers, 0 = not relevant) for graded
relevance. ``n_relevant`` / ``ideal`` describe the whole collection (every passage the system
could have returned), not only what was retrieved. Definitions are in eval/README.md.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")


def first_relevant_rank(relevant: Sequence[float | bool]) -> int | None:
    """1-based rank of the first relevant passage, or None when none is relevant."""
    for i, r in enumerate(relevant):
        if r:
            return i + 1
    return None


def success_at_k(relevant: Sequence[float | bool], k: int) -> float:
    """1.0 when any of the top ``k`` passages is relevant, else 0.0 (what this project calls
    Recall@k for the commission set: a question needs one passage with one of its quotes)."""
    _check_k(k)
    return 1.0 if any(relevant[:k]) else 0.0


def recall_at_k(relevant: Sequence[float | bool], n_relevant: int, k: int) -> float:
    """Fraction of the collection's relevant passages found in the top ``k`` (the TREC/BEIR
    Recall@k). 0.0 when the collection holds no relevant passage."""
    _check_k(k)
    if n_relevant < 0:
        raise ValueError("n_relevant must be >= 0")
    if n_relevant == 0:
        return 0.0
    return sum(1 for r in relevant[:k] if r) / n_relevant


def reciprocal_rank(relevant: Sequence[float | bool], k: int = 10) -> float:
    """1 / rank of the first relevant passage within the top ``k``; 0.0 when there is none."""
    _check_k(k)
    rank = first_relevant_rank(relevant[:k])
    return 1.0 / rank if rank else 0.0


def dcg(gains: Sequence[float | bool], k: int) -> float:
    """Discounted cumulative gain: sum over ranks i <= k of gain_i / log2(i + 1)."""
    _check_k(k)
    return sum(float(g) / math.log2(i + 2) for i, g in enumerate(gains[:k]))


def ndcg_at_k(gains: Sequence[float | bool], ideal: Sequence[float | bool], k: int) -> float:
    """DCG@k of the ranking divided by the DCG@k of the best possible ranking, which orders the
    collection's relevant passages (``ideal``: the gain of each one) by gain. 0.0 when the
    collection holds no relevant passage."""
    best = dcg(sorted((float(g) for g in ideal if g), reverse=True), k)
    return dcg(gains, k) / best if best > 0 else 0.0


def binary_ndcg_at_k(relevant: Sequence[bool], n_relevant: int, k: int) -> float:
    """nDCG@k with binary relevance: the ideal ranking puts min(n_relevant, k) relevant first."""
    return ndcg_at_k([1.0 if r else 0.0 for r in relevant], [1.0] * n_relevant, k)


def chars_to_evidence(lengths: Sequence[int], relevant: Sequence[float | bool], k: int = 10) -> int:
    """Characters a reader reads going down the top ``k`` passages in rank order until, and
    including, the first relevant one; all ``k`` (or all returned, when fewer) passages' characters
    when none of them is relevant."""
    _check_k(k)
    if len(lengths) != len(relevant):
        raise ValueError("lengths and relevant must have the same length")
    total = 0
    for length, rel in zip(lengths[:k], relevant[:k], strict=True):
        total += int(length)
        if rel:
            return total
    return total


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class Abstention:
    """Abstention as a classifier whose positive class is "abstained" (answerable=False).

    precision: of the questions the system abstained on, the fraction the gold set marks
    unanswerable (None when it never abstained); recall: of the gold-unanswerable questions,
    the fraction it abstained on (None when the set has none); answerable_rate: of the
    gold-answerable questions, the fraction it called answerable (None when there are none)."""

    precision: float | None
    recall: float | None
    answerable_rate: float | None
    abstained: int
    unanswerable: int


def abstention(gold_answerable: Sequence[bool], said_answerable: Sequence[bool]) -> Abstention:
    if len(gold_answerable) != len(said_answerable):
        raise ValueError("gold and predicted flags must have the same length")
    pairs = list(zip(gold_answerable, said_answerable, strict=True))
    abstained = [g for g, s in pairs if not s]
    true_pos = sum(1 for g in abstained if not g)
    unanswerable = sum(1 for g, _ in pairs if not g)
    answerable = [s for g, s in pairs if g]
    return Abstention(
        precision=true_pos / len(abstained) if abstained else None,
        recall=true_pos / unanswerable if unanswerable else None,
        answerable_rate=sum(answerable) / len(answerable) if answerable else None,
        abstained=len(abstained), unanswerable=unanswerable)
