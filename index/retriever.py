"""The retriever: ``load(dir)`` an index, ``search(question, k, filters) -> list[Hit]``.

Hybrid retrieval over the same chunks: dense (inner product of normalised MiniLM vectors) and
BM25, their candidates and vectors from the index's backend (``index.backends``: FAISS and bm25s
in-process, or Milvus). The candidates of both are fused (convex combination of min-max
normalised scores by default; reciprocal rank fusion as an option), passages of sections or
speakers the question names are boosted, overlapping passages are removed, and each hit gets
highlights: the unit (sentence or bullet) of the passage closest to the question. Whether the
hits answer the question, or the answer is ``answerable=False`` with a reason, is decided by
the answer checks (``index.checks``).
"""

from __future__ import annotations

import copy
import re
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

import numpy as np

from core.errors import DocumentNotFound, IndexCorrupt, IndexMismatch, InvalidQuery
from core.records import Chunk, Document, Filters, Highlight, Hit
from index import abstention, backends, fusion, store
from index.backends.base import Backend, SparseScores
from index.boosts import BoostWeights, MetadataBoosts
from index.checks import CheckContext, CheckThresholds, run_checks
from index.codec import document_from_json
from index.columns import SEP, Column
from index.query import MentionDetector, Mentions, content_stems

if TYPE_CHECKING:
    from encoders.embedding import Encoder, ModelInfo

MAX_QUESTION_CHARS = 1000
MAX_K = 50


@dataclass(frozen=True)
class RetrieverConfig:
    mode: str = "hybrid"  # "hybrid" | "dense" | "bm25" (the last two are baselines)
    fusion: str = "convex"  # "convex" | "rrf"
    alpha: float = 0.6  # weight of dense in the convex fusion
    rrf_k: float = 60.0
    candidates: int = 100
    section_boost: float = 0.5  # added to the fused score (convex scale 0..1)
    speaker_boost: float = 0.1
    unit_weight: float = 0.5  # dense score = (1-w)·passage cosine + w·best sentence/bullet cosine
    heading_boost: float = 0.4  # passages under a sub-heading the question names
    document_boost: float = 0.2  # passages of a meeting the question names
    bm25_full: float = 5.0  # BM25's weight shrinks while its best score is under this (0 = off)
    intent_boost: float = 0.4  # speakers lines for "who spoke…", meeting details for "when…"
    structural_text_weight: float = 0.5  # text score factor when the question only names things
    bm25_cover: float = 0.34  # BM25 trusted less while its best passage holds under this share of
    # the question's content words (a paraphrase: BM25 matched incidental words; 0 = off)
    checks: CheckThresholds = CheckThresholds()  # thresholds of the answer checks (index.checks)
    abstention: str = "model"  # who decides "answerable": "model" | "rules" | "features" (index.abstention)
    abstention_model: str = ""  # the model's JSON file ("": the one shipped in index/abstention)
    query_cache: int = 4096  # LRU of query vectors (1.5 KiB each)
    max_k: int = MAX_K  # the most passages one question may ask for (evaluation asks for more)


@dataclass(frozen=True)
class Answer:
    question: str  # as searched: trimmed, control characters removed
    hits: list[Hit]
    answerable: bool
    reason: str | None
    timings: dict[str, float] = field(default_factory=dict)
    features: dict[str, float] = field(default_factory=dict)  # abstention "model" / "features"


def clean_question(question: object) -> str:
    if not isinstance(question, str):
        raise InvalidQuery("question must be a string")
    q = "".join(ch for ch in question if unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\t\n")
    q = " ".join(q.split())
    if not q:
        raise InvalidQuery("question is empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuery(f"question is longer than {MAX_QUESTION_CHARS} characters")
    return q


class Retriever:
    def __init__(self, gen: Path, manifest: store.Manifest, chunks: list[Chunk],
                 documents: list[Document], backend: Backend, encoder: Encoder,
                 config: RetrieverConfig) -> None:
        # the backend (index.backends) generates candidates and holds the vectors
        self.path, self.manifest, self.chunks, self.backend = gen, manifest, chunks, backend
        self.documents = {d.id: d for d in documents}
        self.encoder, self.config = encoder, config
        self.unit_offsets = np.cumsum([0] + [len(c.units) for c in chunks])
        # a heading line ("Asks of the panel:", "Main challenges?", a workshop prompt) introduces
        # answers: when its passage has other units it is never highlighted, nor is it the
        # passage's best unit in the dense score (the contextual header carries it already)
        self.intro_units = np.array([_is_heading_line(c, c.text[a - c.start:b - c.start])
                                     for c in chunks for a, b in c.units], dtype=bool)
        lens = np.diff(self.unit_offsets)
        all_intro = np.logical_and.reduceat(self.intro_units, self.unit_offsets[:-1]) \
            if len(self.intro_units) else np.zeros(0, dtype=bool)
        self._unit_mask = np.where(self.intro_units & ~np.repeat(all_intro, lens), -np.inf, 0.0) \
            .astype(np.float32)
        self.mentions = MentionDetector(chunks)
        self.metadata = MetadataBoosts(chunks)
        # columns for filters, as codes into their few distinct values: a filter is checked once
        # per distinct value and mapped to the passages with one gather (no loop over passages)
        self._documents = Column([c.document_id for c in chunks])
        self._sections = Column([c.section.casefold() for c in chunks])
        self._speakers = Column([SEP.join(s.casefold() for s in c.speakers) for c in chunks])
        self._dates = Column([c.date or "" for c in chunks])
        self._roles = Column([c.role for c in chunks])
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = Lock()
        self.abstainer = abstention.for_config(config.abstention, config.abstention_model,
                                               getattr(encoder.info, "key", ""), chunks)

    def with_config(self, config: RetrieverConfig) -> Retriever:
        """The same loaded index searched with other settings (baselines, tuning): what was
        derived from the passages (mentions, boosts, filter columns) is shared, not rebuilt."""
        other = copy.copy(self)
        other.config = config
        other._qcache, other._lock = OrderedDict(), Lock()
        if (config.abstention, config.abstention_model) != \
                (self.config.abstention, self.config.abstention_model):
            other.abstainer = abstention.for_config(config.abstention, config.abstention_model,
                                                    getattr(self.encoder.info, "key", ""),
                                                    self.chunks)
        return other

    # --- documents -------------------------------------------------------------------------
    def document(self, document_id: str) -> Document:
        try:
            return self.documents[document_id]
        except (KeyError, TypeError):
            raise DocumentNotFound(str(document_id)) from None

    # --- search ----------------------------------------------------------------------------
    def encode_query(self, question: str) -> np.ndarray:
        with self._lock:
            vec = self._qcache.get(question)
            if vec is not None:
                self._qcache.move_to_end(question)
                return vec
        vec = self.encoder.encode([question])[0].astype(np.float32)
        with self._lock:
            self._qcache[question] = vec
            while len(self._qcache) > self.config.query_cache:
                self._qcache.popitem(last=False)
        return vec

    def allowed(self, filters: Filters | None) -> np.ndarray | None:
        """Boolean mask of chunks passing ``filters`` (None when there is no filter)."""
        if filters is None or filters.is_empty():
            return None
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise InvalidQuery("date_from is after date_to")
        mask = np.ones(len(self.chunks), dtype=bool)
        if filters.document_id:
            mask &= self._documents.where(lambda d: d == filters.document_id)
        if filters.section:
            section = filters.section.strip().casefold()
            mask &= self._sections.where(lambda s: s == section)
        if filters.speaker:  # a substring of one speaker's name (never across two)
            who = filters.speaker.strip().casefold()
            mask &= self._speakers.where(lambda s: any(who in name for name in s.split(SEP))
                                         if s else False)
        if filters.date_from:
            mask &= self._dates.where(lambda d: d != "" and d >= filters.date_from)
        if filters.date_to:
            mask &= self._dates.where(lambda d: d != "" and d <= filters.date_to)
        if filters.role:
            mask &= self._roles.where(lambda r: r == filters.role)
        return mask

    def search(self, question: str, k: int = 5, filters: Filters | None = None,
               timings: dict[str, float] | None = None) -> list[Hit]:
        return self.answer(question, k, filters, timings).hits

    def answer(self, question: str, k: int = 5, filters: Filters | None = None,
               timings: dict[str, float] | None = None) -> Answer:
        q = clean_question(question)
        cap = self.config.max_k
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= cap:
            raise InvalidQuery(f"k must be an integer from 1 to {cap}")
        t = timings if timings is not None else {}
        mask = self.allowed(filters)
        n = len(self.chunks)
        if n == 0 or (mask is not None and not mask.any()):
            return Answer(q, [], False, "no passage matches the filters", t)
        t0 = time.perf_counter()
        found = self.mentions.find(q)
        q_content = found.search_text if self.config.mode == "hybrid" else q
        qv = self.encode_query(q_content)
        t1 = time.perf_counter()
        n_cand = min(n, max(self.config.candidates, 4 * k))
        dense_ids, dense_sc = self.backend.dense(qv, n_cand, mask, filters)
        t2 = time.perf_counter()
        sparse_all = self.backend.sparse(q_content, n_cand, mask, filters)
        top_sparse = sparse_all.top
        t3 = time.perf_counter()
        boost_rows, boost_vals, shaped = self._boosts(found, mask, sparse_all)
        cand = np.unique(np.concatenate([dense_ids, top_sparse, boost_rows])).astype(np.int64)
        dense_c = (self._dense_scores(qv, cand))
        sparse_c = sparse_all.of(cand)
        fused = self._fuse(dense_c, sparse_c, self._bm25_cover(q_content, cand, sparse_c))
        if len(boost_rows):
            if found.structural:  # the question only names things: let the names decide
                fused *= self.config.structural_text_weight
            fused[np.searchsorted(cand, boost_rows)] += boost_vals
        order = np.argsort(-fused, kind="stable")
        t4 = time.perf_counter()
        hits: list[Hit] = []
        top_row = -1
        taken: list[tuple[str, int, int]] = []
        for j in order:
            c = self.chunks[int(cand[j])]
            if any(d == c.document_id and c.start < e and s < c.end for d, s, e in taken):
                continue  # overlaps a better passage
            taken.append((c.document_id, c.start, c.end))
            top_row = int(cand[j]) if not hits else top_row
            hits.append(Hit(chunk=c, rank=len(hits) + 1, score=round(float(fused[j]), 6),
                            highlights=self._highlights(qv, int(cand[j])),
                            dense_score=round(float(dense_c[j]), 6),
                            bm25_score=round(float(sparse_c[j]), 6)))
            if len(hits) == k:
                break
        t5 = time.perf_counter()
        t.update(encode=t1 - t0, dense=t2 - t1, bm25=t3 - t2, fusion=t4 - t3, highlight=t5 - t4)
        ctx = CheckContext(
            q, tuple(hits), found, shaped=top_row in shaped, stems=self.mentions.stems,
            familiar=self.mentions.familiar, thresholds=self.config.checks)
        if self.abstainer is None:
            return Answer(q, hits, *run_checks(ctx), t)
        decided = self.abstainer.decide(ctx)
        return Answer(q, hits, decided.answerable, decided.reason, t, decided.features)

    def _dense_scores(self, qv: np.ndarray, cand: np.ndarray) -> np.ndarray:
        if not len(cand):
            return np.zeros(0, dtype=np.float32)
        scores = self.backend.vectors(cand) @ qv
        w = self.config.unit_weight
        if w:  # best sentence/bullet of each candidate, in one gather and one reduceat
            starts, ends = self.unit_offsets[cand], self.unit_offsets[cand + 1]
            lens = ends - starts
            firsts = np.cumsum(lens) - lens
            rows = np.arange(int(lens.sum())) - np.repeat(firsts, lens) + np.repeat(starts, lens)
            best = np.maximum.reduceat(self.backend.unit_vectors(rows) @ qv + self._unit_mask[rows],
                                       firsts)
            scores = (1 - w) * scores + w * best
        return scores.astype(np.float32)

    def _bm25_cover(self, question: str, cand: np.ndarray, sparse: np.ndarray) -> float:
        """Share of the question's content words in BM25's best passage (1 when off, or when
        the fusion does not use it: dense or BM25 alone, reciprocal rank fusion)."""
        cfg = self.config
        if not cfg.bm25_cover or cfg.mode != "hybrid" or cfg.fusion == "rrf" or not len(sparse):
            return 1.0
        asked = content_stems(question)
        if not asked:
            return 1.0
        best = self.chunks[int(cand[int(np.argmax(sparse))])]
        held = set(content_stems(" ".join((*best.heading_path, best.text))))
        return sum(1 for s in asked if s in held) / len(asked)

    def _fuse(self, dense: np.ndarray, sparse: np.ndarray, cover: float = 1.0) -> np.ndarray:
        cfg = self.config
        if cfg.mode == "dense":
            return dense.astype(np.float32)
        if cfg.mode == "bm25":
            return sparse.astype(np.float32)
        if cfg.fusion == "rrf":
            return fusion.rrf(dense, sparse, k=cfg.rrf_k) * (cfg.rrf_k + 1) / 2
        if cfg.bm25_full > 0 and len(sparse):
            trust = min(1.0, float(np.max(sparse)) / cfg.bm25_full)
            if cfg.bm25_cover:
                trust *= min(1.0, cover / cfg.bm25_cover)
            return fusion.convex(dense, sparse, 1 - (1 - cfg.alpha) * trust)
        return fusion.convex(dense, sparse, cfg.alpha)

    def _boosts(self, found: Mentions, mask: np.ndarray | None,
                sparse: SparseScores) -> tuple[np.ndarray, np.ndarray, set[int]]:
        """Rows and bonuses of the passages the question names or asks for (hybrid mode);
        in a large corpus, only the best (by bonus, then BM25) ``2 × candidates`` of them; and
        the rows that match the question's shape (``MetadataBoosts.compute``)."""
        cfg = self.config
        if cfg.mode != "hybrid" or not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), set()
        bonus, shaped = self.metadata.compute(found, BoostWeights(
            cfg.section_boost, cfg.heading_boost, cfg.document_boost, cfg.speaker_boost,
            cfg.intent_boost))
        rows, vals = MetadataBoosts.as_arrays(bonus)
        if mask is not None and len(rows):
            keep = mask[rows]
            rows, vals = rows[keep], vals[keep]
        cap = 2 * cfg.candidates
        if len(rows) > cap:
            best = np.lexsort((-sparse.of(rows), -vals))[:cap]
            rows, vals = rows[best], vals[best]
        order = np.argsort(rows)
        return rows[order], vals[order], shaped

    def _highlights(self, qv: np.ndarray, row: int) -> tuple[Highlight, ...]:
        c = self.chunks[row]
        units = c.units
        if len(units) == 1:
            return (Highlight(*units[0]),)
        vecs = self.backend.unit_vectors(np.arange(self.unit_offsets[row], self.unit_offsets[row + 1]))
        sims = vecs @ qv
        intro = self.intro_units[self.unit_offsets[row]:self.unit_offsets[row + 1]]
        if not intro.all():
            sims = np.where(intro, -np.inf, sims)
        best = int(np.argmax(sims))
        return (Highlight(*units[best]),)


def _is_heading_line(chunk: Chunk, unit: str) -> bool:
    """A unit that is one of its passage's headings, or ends in a colon (introduces a list)."""
    text = unit.strip()
    if text.endswith(":"):
        return True
    bare = _MARKER.sub("", text).rstrip(":").strip()
    return any(bare == h.strip() for h in chunk.heading_path[1:])


_MARKER = re.compile(r"^[·•▪◦‣∙*–-]\s*")



def load(index_dir: str | Path, encoder: Encoder | None = None, config: RetrieverConfig | None = None,
         verify: bool = True, model_dir: str | Path | None = None,
         model: str | None = None, expect_backend: str | None = None) -> Retriever:
    """Load and validate an index; refuse a corrupt one or one built with another model.
    The model is the one the manifest records (``encoders.registry``), or ``model`` (a registry
    key: refused unless the index was built with it), or ``model_dir``: the local model folder
    an index was built with (``ingest --model-dir``). ``config=None``: the default settings with
    the model's own overrides (``ModelSpec.retriever``); an explicit config is used as given.
    The vectors and BM25 index are the backend's the manifest records (``index.backends``);
    ``expect_backend`` refuses another one."""
    from encoders.registry import apply_overrides

    gen = store.resolve(Path(index_dir))
    if encoder is None:
        encoder = default_query_encoder(gen, model_for_index(gen, model_dir, model))
    if config is None:
        config = apply_overrides(RetrieverConfig(), encoder.info)
    manifest = store.read_manifest(gen, expect_model=encoder.info.manifest(), verify_files=verify)
    _same_use(manifest.model, encoder.info)
    try:
        chunks = [Chunk.from_json(r) for r in store.read_jsonl(gen / store.CHUNKS_FILE)]
        documents = [document_from_json(r) for r in store.read_jsonl(gen / store.DOCUMENTS_FILE)]
    except (RuntimeError, OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"index at {index_dir} cannot be read: {exc}") from exc
    backend = backends.open_backend(gen, manifest.data, len(chunks),
                                    sum(len(c.units) for c in chunks), encoder.info.dim, expect_backend)
    return Retriever(gen, manifest, chunks, documents, backend, encoder, config)


def model_for_index(gen: Path, model_dir: str | Path | None = None,
                    model: str | None = None) -> ModelInfo:
    """The located, verified model to load generation ``gen`` with (see :func:`load`)."""
    from encoders.registry import for_manifest

    recorded = {} if model or model_dir else store.read_manifest(gen, verify_files=False).model
    return for_manifest(recorded, model_dir, model)


def _same_use(built: dict, info: ModelInfo) -> None:
    """Same weights but used otherwise (pooling, instructions) would give other vectors."""
    for key in ("pooling", "query_instruction", "document_instruction"):
        if key in built and built[key] != getattr(info, key):
            raise IndexMismatch(f"index was built with model {key}={built[key]!r} but this "
                                f"service uses {getattr(info, key)!r}; rebuild the index")


def default_query_encoder(gen: Path, info: ModelInfo, choice: str = "auto",
                          threads: int = 1) -> Encoder:
    """The query encoder for index generation ``gen``: a model shipped as ONNX runs on ONNX
    Runtime (``threads`` threads) only; another model runs on ONNX Runtime when ``choice`` is
    "onnx", or "auto" and the index carries an exported model; else on sentence-transformers."""
    from core.errors import ModelError
    from encoders.embedding import OnnxEncoder, TorchEncoder

    if info.onnx_file is not None:
        if choice == "torch":
            raise ModelError(f"{info.name} is an ONNX model: encode with ONNX Runtime "
                             "(encoder auto or onnx), not torch")
        return OnnxEncoder(info, info.onnx_file, threads=threads, role="query")
    onnx_path = gen / "model.onnx"
    if choice == "onnx" or (choice == "auto" and onnx_path.is_file()):
        return OnnxEncoder(info, onnx_path, threads=threads)
    return TorchEncoder(info)
