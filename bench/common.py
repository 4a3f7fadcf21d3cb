"""Shared pieces of the benchmarks: percentiles, memory, result rows, tables and JSON output."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench" / "out"
SAMPLE_CORPUS = ROOT / "data" / "transcripts"
GOLD = ROOT / "eval" / "gold" / "commission.jsonl"
console = Console(width=150)


@dataclass(frozen=True)
class Row:
    """One figure, the baseline measured in the same run beside it, and the target."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0) or self.value is None:
            return None
        return self.value / self.baseline


@dataclass(frozen=True)
class Report:
    bench: str
    rows: list[Row]
    params: dict = field(default_factory=dict)


def percentiles(samples: Sequence[float], qs: Sequence[float] = (50, 95, 99)) -> dict[str, float]:
    """Percentiles in milliseconds of samples in seconds."""
    arr = np.asarray(samples, dtype=np.float64) * 1000.0
    if not len(arr):
        return {f"p{int(q)}": float("nan") for q in qs} | {"mean": float("nan")}
    return {f"p{int(q)}": float(np.percentile(arr, q)) for q in qs} | {"mean": float(arr.mean())}


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process (this one by default) in MiB, from /proc."""
    path = f"/proc/{pid or 'self'}/status"
    with open(path) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (uvicorn workers), in MiB."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += rss_mb(p)
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def dir_bytes(path: Path) -> int:
    path = Path(path).resolve()
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "loadavg_at_start": [round(x, 2) for x in load],
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def fmt(x: float | None, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    if abs(x) >= 100:
        s = f"{x:,.0f}"
    elif abs(x) >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.2f}"
    return f"{s} {unit}".strip()


def show(report: Report, json_out: bool = True) -> Path | None:
    """Print the report as a table and (by default) write it to bench/out/<bench>.json."""
    table = Table(title=f"bench {report.bench}  ({os.cpu_count()} cores, load "
                        f"{os.getloadavg()[0]:.2f})")
    for col in ("figure", "value", "baseline", "ratio", "target", "met"):
        table.add_column(col, overflow="fold")
    for r in report.rows:
        met = "" if r.met is None else ("[green]yes[/]" if r.met else "[red]no[/]")
        base = f"{fmt(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline is not None else ""
        table.add_row(r.name, fmt(r.value, r.unit), base,
                      f"{r.ratio:.2f}×" if r.ratio is not None else "", r.target, met)
    console.print(table)
    if not json_out:
        return None
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{report.bench}.json"
    data = {"bench": report.bench, "machine": machine(), "params": report.params,
            "rows": [asdict(r) | {"ratio": r.ratio} for r in report.rows]}
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    console.print(f"[dim]written {path.relative_to(ROOT)}[/dim]")
    return path


def unit_vectors(n: int, dim: int, seed: int = 0, block: int = 100_000) -> np.ndarray:
    """``n`` random unit vectors (float32), generated in blocks to bound temporary memory."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for i in range(0, n, block):
        x = rng.standard_normal((min(block, n - i), dim), dtype=np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[i:i + len(x)] = x
    return out
