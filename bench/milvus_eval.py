"""The gold and held-out sets on both backends in one run: the same corpus ingested on the
local backend and on Milvus (same model), every set evaluated on each, the metrics side by side
with their largest difference, and how many questions got the very same top-10 passages."""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import OUT_DIR, ROOT, console
from eval.suite import COLUMNS

DEFAULT_SETS = ["eval/gold/commission.jsonl"] + [f"eval/gold/heldout-{n}.jsonl" for n in range(1, 15)]


def _ingest(corpus: list[Path], target: Path, backend: str, encoder) -> None:
    from ingest.pipeline import IngestOptions, ingest

    report = ingest(corpus, target, IngestOptions(backend=backend), encoder=encoder)
    if report.exit_code == 2:
        raise SystemExit(f"nothing ingested into {target}")


def run(corpus: list[Path], sets: list[Path], systems: tuple[str, ...], work: Path) -> dict:
    from encoders import registry
    from eval.gold import load_gold
    from eval.suite import run_suite
    from index.retriever import load

    info = registry.locate(registry.chosen(None), None)
    encoder = registry.document_encoder(info)
    retrievers = {}
    for backend in ("local", "milvus"):
        target = work / f"index-{backend}"
        _ingest(corpus, target, backend, encoder)
        retrievers[backend] = load(target)
    local, milvus = retrievers["local"], retrievers["milvus"]
    texts = [d.text for d in local.documents.values()]
    golds = [load_gold(s, texts) for s in sets]
    rows = {b: run_suite(golds, systems, r) for b, r in retrievers.items()}
    out: dict = {"corpus": [str(p) for p in corpus], "sets": {}, "max_abs_delta": 0.0}
    for a, b in zip(rows["local"], rows["milvus"], strict=True):
        deltas = {}
        for m in COLUMNS:
            va, vb = a.metrics.get(m), b.metrics.get(m)
            if va is not None and vb is not None:
                deltas[m] = round(vb - va, 6)
                if m != "median_chars_to_evidence":  # characters, not a fraction
                    out["max_abs_delta"] = max(out["max_abs_delta"], abs(vb - va))
        out["sets"].setdefault(a.gold, {})[a.system] = {
            "local": {m: a.metrics.get(m) for m in COLUMNS},
            "milvus": {m: b.metrics.get(m) for m in COLUMNS}, "delta": deltas}
    same = total = 0
    for gold in golds:
        for item in gold.items:
            total += 1
            ha = [h.chunk.id for h in local.search(item.question, 10)]
            hb = [h.chunk.id for h in milvus.search(item.question, 10)]
            same += ha == hb
    out["same_top10"] = {"questions": total, "identical": same}
    out["backend"] = milvus.backend.describe()
    return out


def main(corpus: list[Path], sets: list[Path], systems: str, work: Path | None) -> Path:
    work = work or ROOT / "var" / "eval-milvus-compare"
    result = run(corpus, sets, tuple(s.strip() for s in systems.split(",") if s.strip()), work)
    from rich.table import Table

    table = Table(title="local vs milvus (same corpus, same model)")
    for col in ("set", "system", *COLUMNS):
        table.add_column(col, overflow="fold")
    for gold, by_system in result["sets"].items():
        for system, r in by_system.items():
            table.add_row(gold, system, *(
                f"{r['local'][m]:.3f} / {r['milvus'][m]:.3f}" if r["local"][m] is not None
                and r["milvus"][m] is not None else "—" for m in COLUMNS))
    console.print(table)
    console.print(f"largest difference of a fraction metric: {result['max_abs_delta']:.4f}; "
                  f"identical top-10: {result['same_top10']['identical']}/"
                  f"{result['same_top10']['questions']} questions")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "milvus-eval.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    console.print(f"[dim]written {path.relative_to(ROOT)}[/dim]")
    return path
