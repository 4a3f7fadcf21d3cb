"""Run every system on every gold question and aggregate the metrics (overall and by kind)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eval import metrics
from eval.gold import GoldItem, GoldSet, normalise
from eval.systems import System, make_systems

DEPTH = 10
METRIC_NAMES = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10",
                "median_chars_to_evidence", "abstention_precision", "abstention_recall",
                "answerable_rate")
LABELS = {"recall_at_1": "R@1", "recall_at_5": "R@5", "recall_at_10": "R@10",
          "mrr_at_10": "MRR@10", "ndcg_at_10": "nDCG@10",
          "median_chars_to_evidence": "chars→evidence (median)",
          "abstention_precision": "abst. P", "abstention_recall": "abst. R",
          "answerable_rate": "answerable rate"}


@dataclass(frozen=True)
class QuestionResult:
    id: str
    kind: str
    answerable: bool  # gold
    rank: int | None  # first relevant passage within the top DEPTH (answerable questions)
    reciprocal_rank: float
    ndcg_at_10: float
    chars_to_evidence: int
    n_relevant: int  # relevant passages in the system's whole collection
    said_answerable: bool | None  # the system's flag (None: it has none)
    top: tuple[str, ...] = ()  # first 80 characters of the top 3 passages, for the report


@dataclass(frozen=True)
class SystemMetrics:
    recall_at_1: float | None
    recall_at_5: float | None
    recall_at_10: float | None
    mrr_at_10: float | None
    ndcg_at_10: float | None
    median_chars_to_evidence: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    answerable_rate: float | None
    answerable_questions: int
    unanswerable_questions: int
    unreachable: int  # answerable questions none of whose quotes lies inside one passage

    def get(self, name: str) -> float | None:
        return getattr(self, name)


@dataclass(frozen=True)
class SystemResult:
    name: str
    metrics: SystemMetrics
    by_kind: dict[str, SystemMetrics]
    questions: tuple[QuestionResult, ...]
    passages: int
    seconds: float


@dataclass(frozen=True)
class EvalResult:
    gold: str
    questions: int
    systems: tuple[SystemResult, ...]
    index: dict = field(default_factory=dict)

    def system(self, name: str) -> SystemResult | None:
        return next((s for s in self.systems if s.name == name), None)

    def to_json(self) -> dict:
        return asdict(self)


def aggregate(results: Sequence[QuestionResult]) -> SystemMetrics:
    """Retrieval metrics over the answerable questions; abstention over all of them."""
    ans = [r for r in results if r.answerable]
    rel = [[r.rank is not None and r.rank <= k for r in ans] for k in (1, 5, 10)]
    flags = [r for r in results if r.said_answerable is not None]
    ab = metrics.abstention([r.answerable for r in flags], [bool(r.said_answerable) for r in flags]) \
        if flags and len(flags) == len(results) else None
    return SystemMetrics(
        recall_at_1=metrics.mean([float(x) for x in rel[0]]),
        recall_at_5=metrics.mean([float(x) for x in rel[1]]),
        recall_at_10=metrics.mean([float(x) for x in rel[2]]),
        mrr_at_10=metrics.mean([r.reciprocal_rank for r in ans]),
        ndcg_at_10=metrics.mean([r.ndcg_at_10 for r in ans]),
        median_chars_to_evidence=metrics.median([r.chars_to_evidence for r in ans]),
        # precision is only reported where unanswerable questions exist (else it is 0 or n/a)
        abstention_precision=ab.precision if ab and ab.unanswerable else None,
        abstention_recall=ab.recall if ab else None,
        answerable_rate=ab.answerable_rate if ab else None,
        answerable_questions=len(ans), unanswerable_questions=len(results) - len(ans),
        unreachable=sum(1 for r in ans if r.n_relevant == 0))


def evaluate_system(system: System, items: Sequence[GoldItem], depth: int = DEPTH) -> SystemResult:
    t0 = time.perf_counter()
    collection = [normalise(p.text) for p in system.collection()]
    out: list[QuestionResult] = []
    for item in items:
        got = system.retrieve(item.question, depth)
        relevant = [item.relevant(p.text) for p in got.passages]
        n_rel = sum(1 for text in collection if item.relevant(text, normalised=True)) \
            if item.answerable else 0
        rank = metrics.first_relevant_rank(relevant)
        out.append(QuestionResult(
            id=item.id, kind=item.kind, answerable=item.answerable, rank=rank,
            reciprocal_rank=metrics.reciprocal_rank(relevant, depth),
            ndcg_at_10=metrics.binary_ndcg_at_k(relevant, n_rel, 10),
            chars_to_evidence=metrics.chars_to_evidence([len(p.text) for p in got.passages],
                                                        relevant, depth),
            n_relevant=n_rel, said_answerable=got.answerable,
            top=tuple(" ".join(p.text.split())[:80] for p in got.passages[:3])))
    kinds = sorted({r.kind for r in out})
    return SystemResult(system.name, aggregate(out),
                        {k: aggregate([r for r in out if r.kind == k]) for k in kinds},
                        tuple(out), len(collection), time.perf_counter() - t0)


def run_eval(gold: GoldSet, names: Sequence[str], retriever, encoder=None) -> EvalResult:  # noqa: ANN001
    systems = make_systems(tuple(names), retriever, encoder)
    results = tuple(evaluate_system(s, gold.items) for s in systems)
    manifest = getattr(retriever, "manifest", None)
    path = Path(getattr(retriever, "path", ""))
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # no machine-specific paths in the baseline
    info = {"path": str(path),
            "generation": manifest.data.get("generation") if manifest else None,
            "config": asdict(retriever.config)}
    return EvalResult(gold.path, len(gold.items), results, info)
