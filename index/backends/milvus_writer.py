"""Writing a generation into Milvus, publishing it by alias, dropping what no one uses.

Each generation gets two new collections named after it (``<alias>_g<generation>``: the
passages — citation fields, filter fields, the dense vector, the BM25 terms and their sparse
vector made by Milvus's BM25 function — and ``…_units``: one vector per sentence/bullet). They
are complete (flushed, indexed — vectors, BM25 and ``INVERTED`` indexes on the filter fields — and loaded)
before the generation's folder is published. Then the
alias ``<alias>`` (and ``<alias>_units``) is switched to them, after the index link: an ingest
interrupted at any point leaves the alias on the generation that was being served. Collections
no kept generation folder names are dropped by the next ingest (:meth:`MilvusWriter.cleanup`),
which also points a stale alias back at the published generation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import IndexCorrupt
from core.records import Chunk
from index import bm25, store
from index.backends.milvus import NAME, analysed
from index.backends.milvus_conn import MilvusSettings, client, collection_names, milvus_error
from index.columns import SEP

BATCH = 1000
MAX_VARCHAR = 65_535
HNSW_THRESHOLD = 50_000  # as the local backend: exact search below, HNSW above
HNSW = {"M": 32, "efConstruction": 80}
EF = 128
FILTERED = ("document_id", "section", "date", "role")  # speakers: a LIKE pattern, no index


def _schema(dim: int) -> Any:
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("row", DataType.INT64, is_primary=True)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("bm25_text", DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True,
                analyzer_params={"tokenizer": "standard", "filter": ["lowercase"]})
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    for name in ("document_id", "section", "speakers", "date", "role"):
        s.add_field(name, DataType.VARCHAR, max_length=4096 if name != "speakers" else MAX_VARCHAR)
    s.add_field("chunk", DataType.VARCHAR, max_length=MAX_VARCHAR)  # every citation field (JSON)
    s.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                            input_field_names=["bm25_text"], output_field_names=["sparse"]))
    return s


def _units_schema(dim: int) -> Any:
    from pymilvus import DataType, MilvusClient

    s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("unit", DataType.INT64, is_primary=True)
    s.add_field("row", DataType.INT64)  # the passage it belongs to
    s.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
    return s


def passage_row(i: int, c: Chunk, vec: np.ndarray) -> dict[str, Any]:
    chunk = json.dumps(c.to_json(), ensure_ascii=False)
    if len(chunk.encode("utf-8")) > MAX_VARCHAR:
        raise IndexCorrupt(f"passage {i} of {c.document_id} is longer than Milvus allows "
                           f"({MAX_VARCHAR} bytes); use smaller chunks")
    return {"row": i, "dense": vec.tolist(), "bm25_text": analysed(c.embed_text),
            "document_id": c.document_id, "section": c.section.casefold(),
            "speakers": SEP.join(s.casefold() for s in c.speakers), "date": c.date or "",
            "role": c.role, "chunk": chunk}


class MilvusWriter:
    name = NAME

    def __init__(self, target: Path, hnsw_threshold: int = HNSW_THRESHOLD,
                 settings: MilvusSettings | None = None) -> None:
        self.target, self.hnsw_threshold = target, hnsw_threshold
        self.settings = settings or MilvusSettings.from_env(target)
        self.client = client(self.settings)

    def write(self, build: Path, chunks: Sequence[Chunk], vectors: np.ndarray,
              units: np.ndarray) -> dict[str, Any]:
        generation = build.name.removeprefix("tmp-")
        passages, unit_coll = collection_names(self.settings.alias, generation)
        dim = int(vectors.shape[1])
        kind = "hnsw" if len(chunks) >= self.hnsw_threshold else "flat"
        c = self.client
        try:
            ip = c.prepare_index_params()
            if kind == "hnsw":
                ip.add_index("dense", index_type="HNSW", metric_type="IP", params={"params": HNSW})
            else:
                ip.add_index("dense", index_type="FLAT", metric_type="IP")
            # build parameters nested under "params" (the wire form both Milvus servers and
            # Milvus Lite read; Lite ignores the flattened keys pymilvus 3 sends otherwise)
            ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"params": {"bm25_k1": bm25.K1, "bm25_b": bm25.B}})
            for name in FILTERED:  # scalar indexes for the filter expressions
                ip.add_index(name, index_type="INVERTED")
            # created without waiting for each index (pymilvus polls every 0.5 s otherwise):
            # loading after the flush waits for what the searches need
            c.create_collection(passages, schema=_schema(dim))
            c.create_index(passages, ip, sync=False)
            for i in range(0, len(chunks), BATCH):
                c.insert(passages, [passage_row(j, chunks[j], vectors[j])
                                    for j in range(i, min(i + BATCH, len(chunks)))])
            owner = np.repeat(np.arange(len(chunks)), [len(ch.units) for ch in chunks])
            ui = c.prepare_index_params()
            ui.add_index("vec", index_type="FLAT", metric_type="IP")
            c.create_collection(unit_coll, schema=_units_schema(dim))
            c.create_index(unit_coll, ui, sync=False)
            for i in range(0, len(units), BATCH):
                c.insert(unit_coll, [{"unit": j, "row": int(owner[j]), "vec": units[j].tolist()}
                                     for j in range(i, min(i + BATCH, len(units)))])
            for name in (passages, unit_coll):
                c.flush(name)
                c.load_collection(name)
        except IndexCorrupt:
            raise
        except Exception as exc:
            raise milvus_error(exc, f"writing {passages}") from exc
        return {"name": NAME, "uri": self.settings.public_uri(), "alias": self.settings.alias,
                "collection": passages, "units_collection": unit_coll, "index": kind,
                "ef": EF, "metric": "IP", "bm25": "milvus BM25 function over bm25_text "
                "(the local analyser's terms)", "count": len(chunks), "units": len(units)}

    def published(self, record: dict[str, Any]) -> None:
        """Point the aliases at ``record``'s collections (after the link swap)."""
        alias = record["alias"]
        try:
            for name, target in ((alias, record["collection"]),
                                 (f"{alias}_units", record["units_collection"])):
                _point(self.client, name, target)
        except Exception as exc:
            raise milvus_error(exc, f"alias switch of {alias}") from exc

    def cleanup(self, target: Path) -> list[str]:
        """Drop this alias's generation collections that no generation folder of ``target``
        records (crashed or superseded builds); repoint the alias at the published one."""
        kept: set[str] = set()
        current: dict[str, Any] | None = None
        gens = store.generations_dir(target)
        live = target.resolve() if target.is_symlink() else None
        for gen in (gens.iterdir() if gens.is_dir() else []):
            try:
                record = store.read_manifest(gen, verify_files=False).data.get("backend", {})
            except Exception:  # noqa: BLE001 - a build being written has no manifest yet
                continue
            if record.get("name") == NAME and record.get("alias") == self.settings.alias:
                kept |= {record["collection"], record["units_collection"]}
                if gen == live:
                    current = record
        prefix = f"{self.settings.alias}_g"
        dropped = []
        try:
            if current is not None:
                self.published(current)
            for name in self.client.list_collections():
                if name.startswith(prefix) and name not in kept:
                    self.client.drop_collection(name)
                    dropped.append(name)
        except Exception as exc:
            raise milvus_error(exc, f"cleanup of {prefix}*") from exc
        return dropped


def _point(c: Any, alias: str, collection: str) -> None:
    existing = c.list_aliases().get("aliases", []) if hasattr(c, "list_aliases") else []
    if alias in existing:
        if c.describe_alias(alias).get("collection_name") != collection:
            c.alter_alias(collection, alias)
    else:
        c.create_alias(collection, alias)
