"""The Milvus backend: one generation's passages and units collections, searched through
``pymilvus`` (Milvus Lite in this process, or a Milvus server by URI).

The service keeps its own fusion, boosts, checks and citations: Milvus only generates
candidates (dense top-n by inner product, BM25 top-n with Milvus's BM25 function) under a
filter expression, and returns stored vectors for re-scoring and highlights. A generation
is searched through its own collections (named after it), never through the alias, so one
request always sees one whole generation, as with the local backend.

BM25 sees the same terms as the local backend's bm25s: the passage's embedding text
analysed once (English stop words removed, Snowball stems) and stored as ``bm25_text``, which
Milvus's standard analyzer (lowercase, word characters) splits back into exactly those terms;
the question is analysed the same way; k1 and b are the local ones, and scores are divided by
``k1 + 1`` (Milvus's formula has it, bm25s's Lucene variant not): the same BM25 scores as the
local backend while the collection is one segment (Milvus Lite computes BM25 statistics per
segment; a Milvus server over the whole collection).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.errors import IndexCorrupt
from core.records import Filters
from index import bm25
from index.backends.base import SparseScores, Vectors
from index.backends.milvus_conn import MilvusSettings, client, milvus_error
from index.backends.milvus_filters import expression

NAME = "milvus"
MAX_LIMIT = 16_384  # Milvus's largest topk
IN_LIMIT = 16_384  # rows written out as ``row in [...]`` at most
BM25_SCALE = bm25.K1 + 1
CACHE_VECTORS = 65_536
READ_BATCH = 4096  # passage and unit vectors kept after a fetch (highlights reuse them)


def analysed(text: str) -> str:
    """The BM25 terms of ``text`` as the local index sees them, space separated."""
    return " ".join(bm25.tokenize([text])[0])


class _VectorCache:
    def __init__(self, size: int) -> None:
        self.size, self._data, self._lock = size, OrderedDict[int, np.ndarray](), threading.Lock()

    def get_many(self, keys: Sequence[int]) -> dict[int, np.ndarray]:
        with self._lock:
            return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, found: dict[int, np.ndarray]) -> None:
        with self._lock:
            self._data.update(found)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


class MilvusBackend:
    name = NAME

    def __init__(self, settings: MilvusSettings, record: dict[str, Any], dim: int) -> None:
        self.settings, self.record, self.dim = settings, record, dim
        self.passages, self.units = record["collection"], record["units_collection"]
        self.client = client(settings)
        self.search_params: dict[str, Any] = {"metric_type": "IP"}
        if record.get("index") == "hnsw":
            self.search_params["params"] = {"ef": int(record.get("ef", 128))}
        self._vectors, self._units = _VectorCache(CACHE_VECTORS), _VectorCache(CACHE_VECTORS)

    # --- candidates ------------------------------------------------------------------------
    def dense(self, qv: np.ndarray, n: int, mask: np.ndarray | None,
              filters: Filters | None) -> tuple[np.ndarray, np.ndarray]:
        hits = self._search(qv.astype(np.float32).tolist(), "dense", self.search_params, n,
                            mask, filters)
        rows = np.array([r for r, _ in hits], dtype=np.int64)
        return rows, np.array([s for _, s in hits], dtype=np.float32)

    def sparse(self, question: str, n: int, mask: np.ndarray | None,
               filters: Filters | None) -> SparseScores:
        text = analysed(question)
        known: dict[int, float] = {}
        if text:
            for row, score in self._search(text, "sparse", {"metric_type": "BM25"}, n, mask,
                                           filters):
                if score > 0:
                    known[row] = score
        top = np.array(list(known), dtype=np.int64)

        def of(rows: np.ndarray) -> np.ndarray:
            missing = [int(r) for r in rows if int(r) not in known]
            if text and missing:
                for i in range(0, len(missing), IN_LIMIT):
                    part = missing[i:i + IN_LIMIT]
                    found = self._raw_search(text, "sparse", {"metric_type": "BM25"}, len(part),
                                             f"row in {part}")
                    for row in part:
                        known.setdefault(row, 0.0)
                    known.update((r, s) for r, s in found)
            return np.array([known.get(int(r), 0.0) for r in rows], dtype=np.float32)

        return SparseScores(top, of)

    def _search(self, data: Any, field: str, params: dict[str, Any], n: int,
                mask: np.ndarray | None, filters: Filters | None) -> list[tuple[int, float]]:
        """Top ``n`` rows passing ``mask``: the filters' expression when it is exact; else
        the allowed rows listed, or a wider search cut down to the mask."""
        if mask is None:
            return self._raw_search(data, field, params, n, None)
        allowed = int(mask.sum())
        n = min(n, allowed)
        if n == 0:
            return []
        expr, exact = expression(filters)
        if not exact or expr is None:
            if allowed <= IN_LIMIT:
                expr = f"row in {np.flatnonzero(mask).tolist()}"
            else:
                return self._widening(data, field, params, n, mask, expr)
        hits = self._raw_search(data, field, params, n, expr)
        return [(r, s) for r, s in hits if mask[r]]

    def _widening(self, data: Any, field: str, params: dict[str, Any], n: int,
                  mask: np.ndarray, expr: str | None) -> list[tuple[int, float]]:
        limit = n
        while True:
            limit = min(MAX_LIMIT, limit * 4)
            hits = [(r, s) for r, s in self._raw_search(data, field, params, limit, expr)
                    if mask[r]]
            if len(hits) >= n or limit == MAX_LIMIT:
                return hits[:n]

    def _raw_search(self, data: Any, field: str, params: dict[str, Any], limit: int,
                    expr: str | None) -> list[tuple[int, float]]:
        if limit <= 0:
            return []
        try:
            res = self.client.search(self.passages, data=[data], anns_field=field,
                                     limit=min(limit, MAX_LIMIT), filter=expr or "",
                                     output_fields=["row"], search_params=params)
        except Exception as exc:
            raise milvus_error(exc, f"search of {self.passages}") from exc
        if params.get("metric_type") != "BM25":
            return [(int(h["entity"]["row"]), float(h["distance"])) for h in res[0]]
        # BM25: Milvus servers return the score, Milvus Lite its negation; both with the
        # classic (k1 + 1) numerator, which bm25s's Lucene variant leaves out
        return [(int(h["entity"]["row"]), abs(float(h["distance"])) / BM25_SCALE) for h in res[0]]

    # --- vectors ---------------------------------------------------------------------------
    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self._fetch(self.passages, "dense", self._vectors, rows)

    def unit_vectors(self, unit_rows: np.ndarray) -> np.ndarray:
        return self._fetch(self.units, "vec", self._units, unit_rows, key="unit")

    def _fetch(self, collection: str, field: str, cache: _VectorCache, rows: np.ndarray,
               key: str = "row") -> np.ndarray:
        ids = [int(r) for r in rows]
        have = cache.get_many(ids)
        missing = sorted(set(ids) - set(have))
        for i in range(0, len(missing), IN_LIMIT):
            try:
                got = self.client.get(collection, ids=missing[i:i + IN_LIMIT],
                                      output_fields=[field])
            except Exception as exc:
                raise milvus_error(exc, f"read of {collection}") from exc
            found = {int(g[key]): np.asarray(g[field], dtype=np.float32) for g in got}
            have.update(found)
            cache.put_many(found)
        if len(have) < len(set(ids)):
            raise IndexCorrupt(f"Milvus collection {collection} lacks rows "
                               f"{sorted(set(ids) - set(have))[:5]}; rebuild the index")
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([have[i] for i in ids])

    def describe(self) -> dict[str, Any]:
        return {"name": NAME, "uri": self.settings.public_uri(), "collection": self.passages,
                "units_collection": self.units, "alias": self.record.get("alias")}


def open_milvus(record: dict[str, Any], n_chunks: int, n_units: int, dim: int) -> MilvusBackend:
    """The collections a generation's manifest records, loaded and checked against it."""
    settings = MilvusSettings.from_env(recorded=record)
    backend = MilvusBackend(settings, record, dim)
    c = backend.client
    try:
        for name, want in ((backend.passages, n_chunks), (backend.units, n_units)):
            if not c.has_collection(name):
                raise IndexCorrupt(f"Milvus at {settings.public_uri()} has no collection {name} "
                                   "(dropped, or another server); rebuild the index")
            c.load_collection(name)
            got = int(c.get_collection_stats(name).get("row_count", -1))
            if got != want:
                raise IndexCorrupt(f"Milvus collection {name} holds {got} rows, the manifest "
                                   f"{want}; rebuild the index")
    except IndexCorrupt:
        raise
    except Exception as exc:
        raise milvus_error(exc, f"opening {backend.passages}") from exc
    return backend


def read_vectors(record: dict[str, Any], n_chunks: int, n_units: int, dim: int) -> Vectors:
    """Every passage and unit vector of a generation (the next ingest's embedding cache)."""
    backend = open_milvus(record, n_chunks, n_units, dim)
    out = []
    for collection, field, key, n in ((backend.passages, "dense", "row", n_chunks),
                                      (backend.units, "vec", "unit", n_units)):
        vecs = np.zeros((n, dim), dtype=np.float32)
        for i in range(0, n, READ_BATCH):  # primary keys are 0..n-1: read them by ranges
            try:
                got = backend.client.query(collection, filter=f"{key} >= {i} and {key} < {i + READ_BATCH}",
                                           output_fields=[field], limit=READ_BATCH)
            except Exception as exc:
                raise milvus_error(exc, f"read of {collection}") from exc
            for g in got:
                vecs[int(g[key])] = g[field]
        out.append(vecs)
    return Vectors(out[0], out[1])
