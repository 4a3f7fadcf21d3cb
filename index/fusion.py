"""Fusion of dense and BM25 scores over a candidate set (pure functions over numpy arrays)."""

from __future__ import annotations

import numpy as np


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each entry (ties broken by position)."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def rrf(dense: np.ndarray, sparse: np.ndarray, k: float = 60.0, w_dense: float = 1.0,
        w_sparse: float = 1.0) -> np.ndarray:
    """Weighted reciprocal rank fusion: sum_i w_i / (k + rank_i)."""
    return w_dense / (k + ranks(dense)) + w_sparse / (k + ranks(sparse))


def minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min(initial=0.0)), float(x.max(initial=0.0))
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def convex(dense: np.ndarray, sparse: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """alpha * minmax(dense) + (1 - alpha) * minmax(sparse), over the candidates given."""
    return alpha * minmax(dense) + (1.0 - alpha) * minmax(sparse)
