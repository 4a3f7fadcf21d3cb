"""Several gold sets against one loaded index, in one process: one row per set and system.

Used to compare corpora ("does adding records degrade answers about the old ones?": the same
sets on two indexes) and to report many held-out sets at once. The systems are built once and
reused for every set; the metrics are those of :mod:`eval.runner`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.gold import GoldSet
from eval.runner import SystemMetrics, evaluate_system
from eval.systems import make_systems

COLUMNS = ("recall_at_1", "recall_at_5", "mrr_at_10", "median_chars_to_evidence",
           "abstention_recall", "answerable_rate")


@dataclass(frozen=True)
class SuiteRow:
    gold: str  # the set's file stem
    system: str
    questions: int
    metrics: SystemMetrics


def run_suite(sets: Sequence[GoldSet], names: Sequence[str], retriever) -> list[SuiteRow]:  # noqa: ANN001
    systems = make_systems(tuple(names), retriever)
    rows: list[SuiteRow] = []
    for gold in sets:
        for system in systems:
            result = evaluate_system(system, gold.items)
            rows.append(SuiteRow(Path(gold.path).stem, system.name, len(gold.items), result.metrics))
    return rows


def pooled(rows: Sequence[SuiteRow], system: str, metric: str) -> float | None:
    """A metric's mean over the sets, weighted by their questions (None where no set has it)."""
    pairs = [(r.metrics.get(metric), r.questions) for r in rows if r.system == system]
    pairs = [(v, n) for v, n in pairs if v is not None]
    total = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / total if total else None


def to_json(rows: Sequence[SuiteRow]) -> list[dict]:
    return [asdict(r) for r in rows]


def write(rows: Sequence[SuiteRow], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(rows), indent=1) + "\n", encoding="utf-8")
    return path
