"""The local backend (the default): FAISS, bm25s and units.npy in the generation folder,
searched inside the service process."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from core.errors import IndexCorrupt
from core.records import Chunk, Filters
from index import bm25, store
from index.backends.base import SparseScores, Vectors

NAME = "local"
# exact search below this many passages, HNSW above: a flat search of 50k vectors takes ~9 ms
# on one core here and grows linearly (1M: 178 ms); see bench/README.md §6
HNSW_THRESHOLD = 50_000


class LocalBackend:
    name = NAME

    def __init__(self, index: faiss.Index, bm25_model: Any, units: np.ndarray) -> None:
        self.index, self.bm25, self.units = index, bm25_model, units

    def dense(self, qv: np.ndarray, n: int, mask: np.ndarray | None,
              filters: Filters | None) -> tuple[np.ndarray, np.ndarray]:
        params = None
        if mask is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.flatnonzero(mask)))
            n = min(n, int(mask.sum()))
        scores, ids = self.index.search(qv[None, :], n, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def sparse(self, question: str, n: int, mask: np.ndarray | None,
               filters: Filters | None) -> SparseScores:
        scores = bm25.scores(self.bm25, question, self.index.ntotal)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        top = np.argpartition(-scores, min(n, len(scores)) - 1)[:n]
        top = top[np.isfinite(scores[top]) & (scores[top] > 0)]

        def of(rows: np.ndarray) -> np.ndarray:
            return np.maximum(scores[rows], 0).astype(np.float32)

        return SparseScores(top, of)

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self.index.reconstruct_batch(rows)

    def unit_vectors(self, unit_rows: np.ndarray) -> np.ndarray:
        return self.units[unit_rows]

    def describe(self) -> dict[str, Any]:
        return {"name": NAME, "vectors": int(self.index.ntotal)}


def open_local(gen: Path, n_chunks: int, n_units: int, dim: int) -> LocalBackend:
    try:
        index = faiss.read_index(str(gen / store.FAISS_FILE))
        units = np.load(gen / store.UNITS_FILE, allow_pickle=False)
        bm25_model = bm25.load(gen / store.BM25_DIR)
    except (RuntimeError, OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"index at {gen} cannot be read: {exc}") from exc
    if index.ntotal != n_chunks or index.d != dim or len(units) != n_units:
        raise IndexCorrupt(f"index at {gen} is inconsistent (vectors {index.ntotal}, "
                           f"chunks {n_chunks}, dim {index.d}); rebuild it")
    return LocalBackend(index, bm25_model, units)


def read_vectors(gen: Path) -> Vectors:
    index = faiss.read_index(str(gen / store.FAISS_FILE))
    return Vectors(index.reconstruct_n(0, index.ntotal),
                   np.load(gen / store.UNITS_FILE, allow_pickle=False))


class LocalWriter:
    name = NAME

    def __init__(self, hnsw_threshold: int = HNSW_THRESHOLD) -> None:
        self.hnsw_threshold = hnsw_threshold

    def write(self, build: Path, chunks: Sequence[Chunk], vectors: np.ndarray,
              units: np.ndarray) -> dict[str, Any]:
        index = make_faiss_index(vectors, self.hnsw_threshold)
        faiss.write_index(index, str(build / store.FAISS_FILE))
        np.save(build / store.UNITS_FILE, units, allow_pickle=False)
        bm25.save(bm25.build([c.embed_text for c in chunks]), build / store.BM25_DIR)
        return {"name": NAME, "index": index_type(len(vectors), self.hnsw_threshold)}

    def published(self, record: dict[str, Any]) -> None:
        return None  # the link swap published everything

    def cleanup(self, target: Path) -> list[str]:
        return []  # the generation folders hold everything: store.cleanup removes them


def index_type(n: int, hnsw_threshold: int) -> str:
    return "hnsw" if n >= hnsw_threshold else "flat"


def make_faiss_index(vectors: np.ndarray, hnsw_threshold: int) -> faiss.Index:
    """Exact inner product below ``hnsw_threshold`` vectors, HNSW (M=32) above it."""
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    if index_type(len(vectors), hnsw_threshold) == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128  # kept in the file; see bench/README.md (vectors)
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index
