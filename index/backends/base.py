"""What the retriever asks of an index backend: candidates and vectors, nothing else.

A backend holds the vectors and the BM25 index of one published generation, row ``i`` being
passage ``i`` of ``chunks.jsonl``. It generates candidates (dense top-n, BM25 top-n, with
their scores, under a filter) and returns stored vectors for re-scoring; fusion, boosts,
answer checks and citations stay in the retriever, whatever the backend.

Filters reach a backend twice: as the retriever's boolean mask over passages (the exact
meaning, computed from the retriever's own columns) and as the :class:`core.records.Filters`
they came from, which a remote engine turns into its own filter expression. A backend never
returns a row outside the mask.

A :class:`Writer` stores a generation's vectors at ingest and publishes or drops them with the
generation; it records what it wrote in the manifest (``manifest["backend"]``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from core.records import Chunk, Filters


@dataclass(frozen=True)
class SparseScores:
    """BM25 scores of one question: ``top`` (rows of the best n with a positive score,
    best first) and ``of(rows)``: the score of any rows (0 where no query term occurs)."""

    top: np.ndarray
    of: Callable[[np.ndarray], np.ndarray]


class Backend(Protocol):
    name: str  # "local" | "milvus"

    def dense(self, qv: np.ndarray, n: int, mask: np.ndarray | None,
              filters: Filters | None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and inner products of the ``n`` passages closest to ``qv`` (best first)."""
        ...

    def sparse(self, question: str, n: int, mask: np.ndarray | None,
               filters: Filters | None) -> SparseScores:
        """BM25 of ``question`` (the text the retriever searches with)."""
        ...

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """Passage vectors of ``rows`` (float32, one row each), for re-scoring."""
        ...

    def unit_vectors(self, unit_rows: np.ndarray) -> np.ndarray:
        """Vectors of units (sentences, bullets) by their global row: the units of passage ``i``
        are rows ``offsets[i]:offsets[i+1]`` in passage order."""
        ...

    def describe(self) -> dict[str, Any]:
        """What /readyz shows: the backend and where its data lives (no secrets)."""
        ...


@dataclass(frozen=True)
class Vectors:
    """A generation's vectors, as the embedding cache of the next ingest reads them."""

    passages: np.ndarray  # (n_chunks, dim)
    units: np.ndarray  # (n_units, dim)


class Writer(Protocol):
    name: str

    def write(self, build: Path, chunks: Sequence[Chunk], vectors: np.ndarray,
              units: np.ndarray) -> dict[str, Any]:
        """Store a new generation's vectors and BM25 index; return the manifest's ``backend``
        record (files written into ``build`` are listed by the manifest as usual)."""
        ...

    def published(self, record: dict[str, Any]) -> None:
        """The generation of ``record`` is now the published one (the link points at it)."""
        ...

    def cleanup(self, target: Path) -> list[str]:
        """Drop what no kept generation of ``target`` refers to; return what was dropped."""
        ...
