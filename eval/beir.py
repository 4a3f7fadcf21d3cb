"""``eval-beir``: the project's retriever on any BEIR folder (corpus.jsonl, queries.jsonl,
qrels/<split>.tsv), with the project's own index builder, so retrieval can be compared with
published figures on data nobody in this project wrote.

One ``Chunk`` per BEIR document, embedded and BM25-indexed as ``title + " " + text`` (the
BEIR/MTEB convention). The index is built once into a cache folder keyed by the corpus's and the
model's sha256; a second run loads it without embedding anything. ``model`` is a key of
:mod:`encoders.registry` (passages and questions are encoded as the service does: ONNX Runtime,
the question with the model's instruction; hybrid uses the model's retriever settings).
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.records import Chunk, Document, content_hash
from eval import metrics
from eval.systems import deep_search

if TYPE_CHECKING:
    from encoders.embedding import Encoder
    from index.retriever import Retriever

SYSTEMS = ("dense", "bm25", "hybrid")
DEPTH = 100

# Published nDCG@10 / Recall@100 on BEIR test splits (see the dataset's README for sources).
PUBLISHED: dict[str, dict[str, list[tuple[str, float, float | None]]]] = {
    "scifact": {
        "dense": [("all-MiniLM-L6-v2, MTEB", 0.6451, 0.925)],
        "bm25": [("Anserini BM25 multifield", 0.6647, 0.9076),
                 ("Anserini BM25 flat", 0.6789, 0.9253),
                 ("BEIR paper BM25", 0.665, None)],
    },
}


class BeirError(ValueError):
    """A BEIR folder that cannot be read (message says which file and why)."""


@dataclass(frozen=True)
class BeirDoc:
    id: str
    title: str
    text: str

    @property
    def embed_text(self) -> str:
        return f"{self.title} {self.text}".strip()


@dataclass(frozen=True)
class BeirData:
    name: str
    docs: tuple[BeirDoc, ...]
    queries: tuple[tuple[str, str], ...]  # (query id, text) of the judged queries, qrels order
    qrels: dict[str, dict[str, int]]
    corpus_sha256: str


@dataclass(frozen=True)
class BeirSystemResult:
    system: str
    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float
    queries: int
    seconds: float


@dataclass(frozen=True)
class BeirReport:
    dataset: str
    documents: int
    queries: int
    index_dir: str
    built: bool
    build_seconds: float
    depth: int
    results: tuple[BeirSystemResult, ...]
    published: dict[str, list[tuple[str, float, float | None]]]
    model: str = "minilm"  # the encoders.registry key

    def to_json(self) -> dict:
        return {"dataset": self.dataset, "model": self.model, "documents": self.documents,
                "queries": self.queries,
                "index_dir": self.index_dir, "built": self.built,
                "build_seconds": round(self.build_seconds, 1), "depth": self.depth,
                "results": [r.__dict__ for r in self.results],
                "published": {k: [list(p) for p in v] for k, v in self.published.items()}}


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise BeirError(f"{path} is missing (a BEIR folder has corpus.jsonl, queries.jsonl and "
                        "qrels/test.tsv)")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as exc:
                    raise BeirError(f"{path}:{n} is not JSON: {exc}") from exc
    return rows


def load_beir(folder: Path, split: str = "test", max_queries: int | None = None) -> BeirData:
    folder = Path(folder)
    corpus_path = folder / "corpus.jsonl"
    docs = tuple(BeirDoc(str(r["_id"]), r.get("title") or "", r.get("text") or "")
                 for r in _jsonl(corpus_path))
    texts = {str(r["_id"]): r.get("text", "") for r in _jsonl(folder / "queries.jsonl")}
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        raise BeirError(f"{qrels_path} is missing")
    qrels: dict[str, dict[str, int]] = {}
    with open(qrels_path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or (n == 1 and row[0] == "query-id"):
                continue
            if len(row) < 3:
                raise BeirError(f"{qrels_path}:{n} needs query-id, corpus-id and score")
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    missing = [q for q in qrels if q not in texts]
    if missing:
        raise BeirError(f"{len(missing)} judged queries are not in queries.jsonl, e.g. {missing[0]}")
    judged = [q for q, rel in qrels.items() if any(s > 0 for s in rel.values())]
    if max_queries is not None:
        judged = judged[:max_queries]
    digest = hashlib.sha256(corpus_path.read_bytes()).hexdigest()
    return BeirData(folder.resolve().name, docs, tuple((q, texts[q]) for q in judged),
                    {q: qrels[q] for q in judged}, digest)


def to_records(data: BeirData) -> tuple[list[Document], list[Chunk]]:
    """One Document and one Chunk per BEIR document; the chunk is the whole text."""
    docs: list[Document] = []
    chunks: list[Chunk] = []
    for d in data.docs:
        text = d.embed_text
        doc_id = "beir-" + d.id
        docs.append(Document(id=doc_id, source=d.id, title=d.title, date=None, text=text,
                             sections=(), content_hash=content_hash(text), format="beir"))
        chunks.append(Chunk(id=doc_id, document_id=doc_id, start=0, end=len(text), text=text,
                            section="", heading_path=(d.title,), speakers=(), date=None,
                            title=d.title, line_start=1, line_end=1 + text.count("\n"),
                            embed_text=text, units=((0, len(text)),)))
    return docs, chunks


def ensure_index(data: BeirData, cache_dir: Path, encoder: Encoder,
                 progress: Callable[[str, int, int], None] | None = None) -> tuple[Path, bool, float]:
    """The cached index of this corpus (built when absent). Returns (index dir, built, seconds)."""
    from index import store
    from index.builder import BuildSettings, build_index, previous_state
    from ingest.chunking import ChunkerSettings

    info = encoder.info
    suffix = "" if info.key == "minilm" else f"-{info.key}"  # the MiniLM cache keeps its name
    folder = Path(cache_dir) / f"{data.name}-{data.corpus_sha256[:12]}{suffix}"
    index_dir = folder / "index"
    marker = folder / "built.json"
    key = {"corpus_sha256": data.corpus_sha256, "model_sha256": info.weights_sha256}
    if marker.is_file() and index_dir.exists():
        try:
            if json.loads(marker.read_text()) == key:
                store.resolve(index_dir)
                return index_dir, False, 0.0
        except (ValueError, OSError):
            pass
    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    options = BuildSettings(onnx=False)  # queries are encoded by the encoder given
    chunker = ChunkerSettings().to_json()
    docs, chunks = to_records(data)
    prev = previous_state(index_dir, info, chunker)
    build_index(index_dir, docs, chunks, encoder, prev, options, {"chunker": chunker}, progress)
    marker.write_text(json.dumps(key) + "\n")
    return index_dir, True, time.perf_counter() - t0


def evaluate(retriever: Retriever, data: BeirData, systems: tuple[str, ...] = SYSTEMS,
             depth: int = DEPTH) -> list[BeirSystemResult]:
    """nDCG@10 (gains = qrels scores), Recall@100 and MRR@10 of each retriever mode."""
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        raise ValueError(f"unknown BEIR system {unknown[0]!r}; choose from {', '.join(SYSTEMS)}")
    out = []
    for system in systems:
        r = retriever.with_config(replace(retriever.config, mode=system))
        nd, rec, rr = [], [], []
        t0 = time.perf_counter()
        for qid, text in data.queries:
            judged = data.qrels[qid]
            hits = deep_search(r, text, depth)
            gains = [judged.get(h.chunk.document_id.removeprefix("beir-"), 0) for h in hits]
            positive = [g for g in judged.values() if g > 0]
            nd.append(metrics.ndcg_at_k(gains, positive, 10))
            rec.append(metrics.recall_at_k([g > 0 for g in gains], len(positive), depth))
            rr.append(metrics.reciprocal_rank([g > 0 for g in gains], 10))
        out.append(BeirSystemResult(system, metrics.mean(nd) or 0.0, metrics.mean(rec) or 0.0,
                                    metrics.mean(rr) or 0.0, len(data.queries),
                                    time.perf_counter() - t0))
    return out


def run(folder: Path, systems: tuple[str, ...], cache_dir: Path, max_queries: int | None = None,
        encoder=None, progress=None, model: str = "minilm") -> BeirReport:  # noqa: ANN001
    """``encoder``: one encoder for passages and questions (tests); else ``model``'s own."""
    from encoders import registry
    from index.retriever import load

    data = load_beir(folder, max_queries=max_queries)
    if not data.queries:
        raise BeirError(f"{folder} has no judged queries")
    info = encoder.info if encoder else registry.locate(model)
    documents = encoder or registry.document_encoder(info)
    index_dir, built, seconds = ensure_index(data, cache_dir, documents, progress)
    retriever = load(index_dir, encoder=encoder or registry.query_encoder(info))
    results = evaluate(retriever, data, systems)
    published = PUBLISHED.get(data.name.casefold(), {}) if info.key == "minilm" else \
        {k: v for k, v in PUBLISHED.get(data.name.casefold(), {}).items() if k != "dense"}
    return BeirReport(data.name, len(data.docs), len(data.queries), str(index_dir), built,
                      seconds, DEPTH, tuple(results), published, info.key)
