"""BM25 over chunk texts with bm25s (English stop words, Snowball stemmer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

K1, B, METHOD = 1.2, 0.75, "lucene"
_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)


def build(texts: Sequence[str], k1: float = K1, b: float = B) -> bm25s.BM25:
    model = bm25s.BM25(k1=k1, b=b, method=METHOD)
    model.index(bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER,
                               show_progress=False), show_progress=False)
    return model


def save(model: bm25s.BM25, path: Path) -> None:
    model.save(str(path), allow_pickle=False)


def load(path: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(path), allow_pickle=False)


def params() -> dict:
    return {"k1": K1, "b": B, "method": METHOD, "stopwords": "en", "stemmer": "snowball-english"}


def scores(model: bm25s.BM25, question: str, n_docs: int) -> np.ndarray:
    """BM25 score of every chunk for a question (zeros when no query term is in the index)."""
    tokens = tokenize([question])[0]
    ids = model.get_tokens_ids(tokens)
    if not ids:
        return np.zeros(n_docs, dtype=np.float32)
    return np.asarray(model.get_scores_from_ids(ids), dtype=np.float32)
