"""Reports of an evaluation run: rich tables, report.json, report.md and metrics.png."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eval.gate import Baseline, GateOutcome, rank_changes
from eval.runner import LABELS, METRIC_NAMES, EvalResult, SystemMetrics

RETRIEVAL = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10")


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if name == "median_chars_to_evidence" else f"{value:.3f}"


def _rows(result: EvalResult) -> list[tuple[str, SystemMetrics]]:
    return [(s.name, s.metrics) for s in result.systems]


def print_tables(result: EvalResult, console: Console) -> None:
    table = Table(title=f"retrieval on {result.gold} ({result.questions} questions)")
    table.add_column("system")
    for name in METRIC_NAMES:
        table.add_column(LABELS[name], justify="right")
    for name, m in _rows(result):
        table.add_row(name, *(fmt(k, m.get(k)) for k in METRIC_NAMES))
    console.print(table)
    project = result.system("project")
    if project is not None:
        by_kind = Table(title="project, by question kind")
        by_kind.add_column("kind")
        by_kind.add_column("n", justify="right")
        for name in METRIC_NAMES:
            by_kind.add_column(LABELS[name], justify="right")
        for kind, m in project.by_kind.items():
            n = m.answerable_questions + m.unanswerable_questions
            by_kind.add_row(kind, str(n), *(fmt(k, m.get(k)) for k in METRIC_NAMES))
        console.print(by_kind)
    for s in result.systems:
        if s.metrics.unreachable:
            console.print(f"[yellow]note:[/yellow] {s.name}: {s.metrics.unreachable} answerable "
                          "question(s) have no passage that contains a whole gold quote")


def print_gate(outcome: GateOutcome, console: Console, enforced: bool = True) -> None:
    for c in outcome.checks:
        mark = "[green]pass[/green]" if c.passed else "[red]FAIL[/red]"
        console.print(f"gate {mark} {c.name}: {c.detail}")
    if not outcome.checks:
        console.print("[yellow]gate: nothing checked (no thresholds file, no baseline)[/yellow]")
    elif outcome.passed:
        console.print("[green]gate passed[/green]")
    else:
        names = ", ".join(c.name for c in outcome.failed)
        console.print(f"[red]gate failed[/red] ({names})" +
                      ("" if enforced else " — not enforced (--no-gate)"))


def markdown(result: EvalResult, baseline: Baseline | None, outcome: GateOutcome | None) -> str:
    lines = ["# Evaluation report", "", f"Gold set: `{result.gold}` ({result.questions} "
             f"questions). Index: `{result.index.get('path', '')}` generation "
             f"`{result.index.get('generation')}`.", "",
             "| system | " + " | ".join(LABELS[k] for k in METRIC_NAMES) + " |",
             "|---" * (len(METRIC_NAMES) + 1) + "|"]
    for name, m in _rows(result):
        lines.append(f"| {name} | " + " | ".join(fmt(k, m.get(k)) for k in METRIC_NAMES) + " |")
    project = result.system("project")
    if project is not None:
        lines += ["", "## Project, by question kind", "",
                  "| kind | n | " + " | ".join(LABELS[k] for k in METRIC_NAMES) + " |",
                  "|---" * (len(METRIC_NAMES) + 2) + "|"]
        for kind, m in project.by_kind.items():
            n = m.answerable_questions + m.unanswerable_questions
            lines.append(f"| {kind} | {n} | " + " | ".join(fmt(k, m.get(k)) for k in METRIC_NAMES)
                         + " |")
    lines += ["", "## Rank changes since the baseline", ""]
    if baseline is None:
        lines.append("No baseline (eval/baseline.json): run `commission-qa eval --update-baseline`.")
    else:
        changes = rank_changes(result, baseline)
        if not changes:
            lines.append(f"No question's first relevant rank changed (baseline {baseline.created}).")
        else:
            lines += [f"Baseline {baseline.created}; rank of the first relevant passage of the "
                      "project system (>10: not in the top 10).", "",
                      "| question | old rank | new rank |", "|---|---|---|"]
            lines += [f"| {q} | {_r(a)} | {_r(b)} |" for q, a, b in changes]
    if outcome is not None:
        lines += ["", "## Gate", ""]
        lines += [f"- {'pass' if c.passed else '**FAIL**'} {c.name}: {c.detail}"
                  for c in outcome.checks] or ["- nothing checked: no thresholds and no baseline"]
        lines.append(f"\nGate {'passed' if outcome.passed else 'failed'}.")
    return "\n".join(lines) + "\n"


def _r(rank: int | None) -> str:
    return ">10" if rank is None else str(rank)


def plot(result: EvalResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), gridspec_kw={"width_ratios": [3, 3, 1.4]})
    systems = [s.name for s in result.systems]
    x = np.arange(len(RETRIEVAL))
    width = 0.8 / max(len(systems), 1)
    for i, s in enumerate(result.systems):
        vals = [s.metrics.get(k) or 0.0 for k in RETRIEVAL]
        axes[0].bar(x + i * width - 0.4 + width / 2, vals, width, label=s.name)
    axes[0].set_xticks(x, [LABELS[k] for k in RETRIEVAL])
    axes[0].set_ylim(0, 1)
    axes[0].set_title("retrieval by system")
    axes[0].legend(fontsize=8)
    project = result.system("project")
    if project is not None:
        kinds = [k for k, m in project.by_kind.items() if m.answerable_questions]
        kx = np.arange(len(kinds))
        shown = ("recall_at_1", "recall_at_5", "mrr_at_10")
        w = 0.8 / len(shown)
        for i, metric in enumerate(shown):
            vals = [project.by_kind[k].get(metric) or 0.0 for k in kinds]
            axes[1].bar(kx + i * w - 0.4 + w / 2, vals, w, label=LABELS[metric])
        axes[1].set_xticks(kx, kinds, rotation=20, fontsize=8)
        axes[1].set_ylim(0, 1)
        axes[1].legend(fontsize=8)
    axes[1].set_title("project by question kind")
    chars = [s.metrics.median_chars_to_evidence or 0.0 for s in result.systems]
    axes[2].bar(systems, chars, color="grey")
    axes[2].set_title("median chars to evidence")
    axes[2].tick_params(axis="x", rotation=30, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(result: EvalResult, baseline: Baseline | None, outcome: GateOutcome | None,
              out: Path) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = result.to_json()
    data["rank_changes"] = [{"id": q, "old": a, "new": b}
                            for q, a, b in rank_changes(result, baseline)]
    if outcome is not None:
        data["gate"] = {"passed": outcome.passed,
                        "checks": [c.__dict__ for c in outcome.checks]}
    paths = [out / "report.json", out / "report.md", out / "metrics.png"]
    paths[0].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(result, baseline, outcome), encoding="utf-8")
    plot(result, paths[2])
    return paths
