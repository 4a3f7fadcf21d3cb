"""Building one index generation from chunks, reusing the previous generation's vectors."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from core import __version__, glossary
from core.errors import CommissionQAError
from core.records import Chunk, Document
from encoders.embedding import Encoder, ModelInfo
from index import backends, bm25, store
from index.backends.local import index_type, make_faiss_index  # noqa: F401 - used by bench/
from index.codec import document_to_json

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildSettings:
    """How a generation is built (the chunker's settings are the caller's: see ``previous_state``)."""

    # exact search below this many passages, HNSW above: a flat search of 50k vectors takes ~9 ms
    # on one core here and grows linearly (1M: 178 ms); see bench/README.md §6
    hnsw_threshold: int = 50_000
    batch_size: int = 32
    onnx: bool = True  # put a verified ONNX query encoder (model.onnx) in the index
    backend: str = "local"  # where vectors and BM25 live: "local" | "milvus" (index.backends)


@dataclass(frozen=True)
class PreviousState:
    """What the published index holds, for statuses and the embedding cache."""

    generation: str | None = None
    compatible: bool = False
    sources: dict[str, str] = field(default_factory=dict)
    chunk_counts: dict[str, int] = field(default_factory=dict)
    path: Path | None = None


@dataclass(frozen=True)
class Built:
    generation: str
    embedded: int
    reused: int


def previous_state(index_dir: Path, info: ModelInfo, chunker: dict[str, Any],
                   backend: str = "local") -> PreviousState:
    """``chunker`` is the JSON form of the chunker's settings: a different one re-chunks all;
    another ``backend`` rebuilds (from the embedding cache)."""
    try:
        gen = store.resolve(index_dir)
        manifest = store.read_manifest(gen, verify_files=False)
    except CommissionQAError:
        return PreviousState()
    compatible = (manifest.model.get("weights_sha256") == info.weights_sha256
                  and manifest.model.get("name") == info.name
                  and manifest.data.get("chunker") == chunker
                  and backends.record_of(manifest.data).get("name") == backend)
    return PreviousState(
        generation=manifest.data.get("generation"), compatible=compatible,
        sources={d["source"]: d["content_hash"] for d in manifest.documents},
        chunk_counts={d["source"]: d["chunks"] for d in manifest.documents}, path=gen)


def _cache(prev: PreviousState, info: ModelInfo) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Vectors of the previous generation by embedding text (chunks) and by text (units)."""
    if prev.path is None:
        return {}, {}
    try:
        manifest = store.read_manifest(prev.path, verify_files=True)
        if manifest.model.get("weights_sha256") != info.weights_sha256:
            return {}, {}
        stored = backends.read_vectors(prev.path, manifest.data, info.dim)
        vectors, units = stored.passages, stored.units
        rows = store.read_jsonl(prev.path / store.CHUNKS_FILE)
        docs = {d["id"]: d["text"] for d in store.read_jsonl(prev.path / store.DOCUMENTS_FILE)}
    except (CommissionQAError, RuntimeError, OSError, ValueError):
        return {}, {}
    by_chunk = {row["embed_text"]: vectors[i] for i, row in enumerate(rows)}
    by_unit: dict[str, np.ndarray] = {}
    u = 0
    for row in rows:
        text = docs.get(row["document_id"], "")
        own = len(row["units"]) > 1  # a single unit's row is its chunk's vector (with the header)
        for a, b in row["units"]:
            if own:
                by_unit[glossary.expand_text(text[a:b])] = units[u]
            u += 1
    return by_chunk, by_unit


def build_index(index_dir: Path, docs: list[Document], chunks: list[Chunk], encoder: Encoder,
                prev: PreviousState, options: BuildSettings, manifest: dict[str, Any],
                progress: Progress | None = None) -> Built:
    """Embed what the previous generation does not hold, write a new generation and publish it.
    ``manifest`` holds the caller's fields of the manifest (chunker, versions); the index's own
    (model, index type, bm25, documents, counts) are added here."""
    info = encoder.info
    by_chunk, by_unit = _cache(prev, info)
    texts = {d.id: d.text for d in docs}

    todo = sorted({c.embed_text for c in chunks if c.embed_text not in by_chunk})
    reused = sum(1 for c in chunks if c.embed_text in by_chunk)
    fresh = _encode(encoder, todo, options.batch_size, progress, "embed")
    by_chunk.update(zip(todo, fresh, strict=True))
    vectors = np.stack([by_chunk[c.embed_text] for c in chunks]).astype(np.float32)

    # unit vectors: a chunk with one unit reuses its own vector; others are embedded (cached)
    def unit_text(c: Chunk, a: int, b: int) -> str:  # what the model sees of a sentence/bullet
        return glossary.expand_text(texts[c.document_id][a:b])

    unit_texts = [unit_text(c, a, b) for c in chunks if len(c.units) > 1 for a, b in c.units]
    todo_u = sorted({t for t in unit_texts if t not in by_unit})
    by_unit.update(zip(todo_u, _encode(encoder, todo_u, options.batch_size, progress, "units"), strict=True))
    unit_rows = []
    for c, v in zip(chunks, vectors, strict=True):
        if len(c.units) > 1:
            unit_rows += [by_unit[unit_text(c, a, b)] for a, b in c.units]
        else:
            unit_rows.append(v)
    unit_vectors = np.stack(unit_rows).astype(np.float32)

    writer = backends.writer(options.backend, index_dir, options.hnsw_threshold)
    writer.cleanup(index_dir)  # collections of crashed or superseded builds
    build = store.new_build_dir(index_dir)
    record = writer.write(build, chunks, vectors, unit_vectors)
    store.write_jsonl(build / store.CHUNKS_FILE, [c.to_json() for c in chunks])
    store.write_jsonl(build / store.DOCUMENTS_FILE, [document_to_json(d) for d in docs])
    if options.onnx:  # the query encoder of the service (verified export, cached by weights)
        from encoders.onnx_export import place_onnx  # onnx is imported only when needed

        place_onnx(info, build)
    counts = {d.id: 0 for d in docs}
    for c in chunks:
        counts[c.document_id] += 1
    data = manifest | {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "package_version": __version__,
        "model": info.manifest(),
        "versions": {"faiss": faiss.__version__, "numpy": np.__version__},
        "index": {"type": index_type(len(chunks), options.hnsw_threshold), "metric": "inner_product",
                  "count": len(vectors)},
        "backend": record,
        "bm25": bm25.params(),
        "documents": [{"id": d.id, "source": d.source, "title": d.title, "date": d.date,
                       "content_hash": d.content_hash, "format": d.format, "layout": d.layout,
                       "chunks": counts[d.id]} for d in docs],
        "counts": {"documents": len(docs), "chunks": len(chunks), "units": len(unit_vectors)},
    }
    store.write_manifest(build, data)
    final = store.publish(build, index_dir)
    writer.published(record)  # after the link: an interrupted ingest leaves the old alias
    store.cleanup(index_dir)
    writer.cleanup(index_dir)
    return Built(final.name, len(todo) + len(todo_u), reused)


def _encode(encoder: Encoder, texts: list[str], batch: int, progress: Progress | None,
            stage: str) -> np.ndarray:
    out = []
    for i in range(0, len(texts), batch):
        if progress:
            progress(stage, i, len(texts))
        out.append(encoder.encode(texts[i:i + batch], batch_size=batch))
    if progress:
        progress(stage, len(texts), len(texts))
    return np.concatenate(out) if out else np.zeros((0, encoder.info.dim), dtype=np.float32)

