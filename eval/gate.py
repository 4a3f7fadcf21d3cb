"""The quality gate: thresholds on the project's metrics (eval/thresholds.toml) and no question
that was in the top 5 in the baseline (eval/baseline.json) may leave the top 5.

The baseline is written only by ``commission-qa eval --update-baseline``, never automatically.
"""

from __future__ import annotations

import json
import time
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.runner import METRIC_NAMES, EvalResult

SYSTEM = "project"
TOP = 5


class GateConfigError(ValueError):
    """Unreadable or invalid thresholds / baseline file."""


@dataclass(frozen=True)
class Thresholds:
    minimum: dict[str, float]  # metric → lowest acceptable value
    maximum: dict[str, float]  # metric → highest acceptable value ("max_" keys in the TOML)


@dataclass(frozen=True)
class Baseline:
    ranks: dict[str, int | None]  # question id → first relevant rank (None: not in the top 10)
    metrics: dict[str, float | None]
    created: str = ""


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class GateOutcome:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


def parse_thresholds(data: dict, source: str = "thresholds") -> Thresholds:
    table = data.get(SYSTEM, {})
    if not isinstance(table, dict):
        raise GateConfigError(f"{source}: [{SYSTEM}] must be a table")
    lo: dict[str, float] = {}
    hi: dict[str, float] = {}
    for key, value in table.items():
        metric = key.removeprefix("max_")
        if metric not in METRIC_NAMES:
            raise GateConfigError(f"{source}: unknown metric {key!r}; known: "
                                  f"{', '.join(METRIC_NAMES)} (prefix max_ for an upper bound)")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise GateConfigError(f"{source}: {key} must be a number")
        (hi if key.startswith("max_") else lo)[metric] = float(value)
    return Thresholds(lo, hi)


def read_thresholds(path: Path) -> Thresholds:
    path = Path(path)
    if not path.is_file():
        return Thresholds({}, {})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GateConfigError(f"{path}: {exc}") from exc
    return parse_thresholds(data, str(path))


def read_baseline(path: Path) -> Baseline | None:
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Baseline({str(k): v for k, v in data["ranks"].items()}, data.get("metrics", {}),
                         data.get("created", ""))
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise GateConfigError(f"{path} is not a baseline written by --update-baseline: {exc}") \
            from exc


def baseline_of(result: EvalResult) -> Baseline:
    project = result.system(SYSTEM)
    if project is None:
        raise GateConfigError("the baseline records the project system: include it in --systems")
    return Baseline({q.id: q.rank for q in project.questions if q.answerable},
                    {k: v for k, v in asdict(project.metrics).items() if k in METRIC_NAMES},
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))


def write_baseline(result: EvalResult, path: Path) -> Baseline:
    base = baseline_of(result)
    data = {"created": base.created, "gold": result.gold, "system": SYSTEM,
            "index": result.index, "metrics": base.metrics, "ranks": base.ranks}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return base


def check(result: EvalResult, thresholds: Thresholds, baseline: Baseline | None) -> GateOutcome:
    project = result.system(SYSTEM)
    if project is None:
        raise GateConfigError("the gate measures the project system: include it in --systems")
    checks: list[Check] = []
    for metric, bound in sorted(thresholds.minimum.items()):
        value = project.metrics.get(metric)
        ok = value is not None and value >= bound
        checks.append(Check(metric, ok, f"{_fmt(value)} ≥ {bound:g}" if ok else
                            f"{_fmt(value)} is below the threshold {bound:g}"))
    for metric, bound in sorted(thresholds.maximum.items()):
        value = project.metrics.get(metric)
        ok = value is not None and value <= bound
        checks.append(Check(f"max_{metric}", ok, f"{_fmt(value)} ≤ {bound:g}" if ok else
                            f"{_fmt(value)} is above the maximum {bound:g}"))
    if baseline is not None:
        now = {q.id: q.rank for q in project.questions}
        left = sorted(qid for qid, old in baseline.ranks.items()
                      if old is not None and old <= TOP and qid in now
                      and (now[qid] is None or now[qid] > TOP))
        detail = (f"{len(left)} question(s) left the top {TOP}: " +
                  ", ".join(f"{q} (rank {baseline.ranks[q]} → {_rank(now[q])})" for q in left)
                  if left else f"every baseline top-{TOP} question is still in the top {TOP}")
        checks.append(Check(f"top-{TOP} regressions", not left, detail))
    return GateOutcome(tuple(checks))


def rank_changes(result: EvalResult, baseline: Baseline | None) -> list[tuple[str, int | None, int | None]]:
    """(question id, old rank, new rank) of project questions whose first relevant rank moved."""
    project = result.system(SYSTEM)
    if project is None or baseline is None:
        return []
    return [(q.id, baseline.ranks[q.id], q.rank) for q in project.questions
            if q.id in baseline.ranks and baseline.ranks[q.id] != q.rank]


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.4g}"


def _rank(r: int | None) -> str:
    return ">10" if r is None else str(r)
