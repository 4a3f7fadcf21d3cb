"""Index backends: where a generation's vectors and BM25 index live and are searched.

``local`` (the default): FAISS, bm25s and units.npy in the generation folder, in-process.
``milvus``: collections in Milvus (Milvus Lite file or a server by URI; see ``milvus_conn``).
Chosen at ingest by ``--backend`` or ``COMMISSION_QA_BACKEND``; recorded in the manifest
(``backend``), from which :func:`open_backend` opens it whatever the environment says.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from core.errors import IndexMismatch, InvalidQuery
from index.backends.base import Backend, Vectors, Writer

ENV = "COMMISSION_QA_BACKEND"
NAMES = ("local", "milvus")


def chosen(name: str | None = None) -> str:
    """``name``, else ``$COMMISSION_QA_BACKEND``, else "local"; refused when unknown."""
    value = (name or os.environ.get(ENV) or "local").strip().lower()
    if value not in NAMES:
        raise InvalidQuery(f"unknown index backend {value!r}: use one of {', '.join(NAMES)}")
    return value


def record_of(manifest_data: dict[str, Any]) -> dict[str, Any]:
    """The manifest's backend record (an index built before backends existed is local)."""
    return manifest_data.get("backend") or {"name": "local"}


def writer(name: str, target: Path, hnsw_threshold: int) -> Writer:
    if chosen(name) == "milvus":
        from index.backends.milvus_writer import MilvusWriter

        return MilvusWriter(target, hnsw_threshold)
    from index.backends.local import LocalWriter

    return LocalWriter(hnsw_threshold)


def repair(target: Path, chosen_name: str) -> list[str]:
    """Before an ingest: if the published generation lives in Milvus, point its alias at it
    again (an ingest killed between the link swap and the alias switch) and drop collections no
    kept generation names. Unreachable Milvus stops an ingest onto Milvus only."""
    from core.errors import CommissionQAError
    from index import store

    try:
        gen = store.resolve(target)
        record = record_of(store.read_manifest(gen, verify_files=False).data)
    except CommissionQAError:
        return []
    if record.get("name") != "milvus":
        return []
    from index.backends.milvus_conn import MilvusSettings
    from index.backends.milvus_writer import MilvusWriter

    try:
        settings = MilvusSettings.from_env(target, recorded=record)
        return MilvusWriter(target, settings=settings).cleanup(target)
    except CommissionQAError:
        if chosen_name == "milvus":
            raise
        return []


def open_backend(gen: Path, manifest_data: dict[str, Any], n_chunks: int, n_units: int,
                 dim: int, expect: str | None = None) -> Backend:
    """The backend of generation ``gen`` (``expect``: refuse another one)."""
    record = record_of(manifest_data)
    if expect is not None and chosen(expect) != record.get("name"):
        raise IndexMismatch(f"index was built with backend {record.get('name')!r}, not "
                            f"{expect!r}; ingest it again with --backend {expect}")
    if record.get("name") == "milvus":
        from index.backends.milvus import open_milvus

        return open_milvus(record, n_chunks, n_units, dim)
    from index.backends.local import open_local

    return open_local(gen, n_chunks, n_units, dim)


def read_vectors(gen: Path, manifest_data: dict[str, Any], dim: int) -> Vectors:
    """A generation's vectors, for the next ingest's embedding cache."""
    record = record_of(manifest_data)
    if record.get("name") == "milvus":
        from index.backends.milvus import read_vectors as milvus_vectors

        counts = manifest_data.get("counts", {})
        return milvus_vectors(record, int(counts.get("chunks", 0)), int(counts.get("units", 0)), dim)
    from index.backends.local import read_vectors as local_vectors

    return local_vectors(gen)

