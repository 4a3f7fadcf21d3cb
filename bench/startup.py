"""Start-up and memory: process start → /readyz 200, and the service's RSS (after start and
after answering questions), with the ONNX query encoder against torch (sentence-transformers)."""

from __future__ import annotations

from pathlib import Path

import httpx

from bench.common import Report, Row, console, percentiles, show, tree_rss_mb
from bench.server import questions, sample_index, serve


def loads_torch(pid: int) -> bool:
    """Whether the process mapped libtorch (i.e. imported torch)."""
    try:
        return "libtorch" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def run(runs: int = 3, index_dir: Path | None = None) -> Report:
    index = sample_index(index_dir)
    qs, _ = questions(index, 100)
    rows: list[Row] = []
    results: dict[str, dict] = {}
    for encoder in ("onnx", "torch"):
        ready, rss_start, rss_after, torch_mapped = [], [], [], False
        for _ in range(runs if encoder == "onnx" else 1):  # torch: the baseline, once
            with serve(index, encoder=encoder) as srv:
                ready.append(srv.ready_seconds)
                rss_start.append(tree_rss_mb(srv.pid))
                with httpx.Client(base_url=srv.url, timeout=60) as c:
                    for q in (qs if encoder == "onnx" else qs[:20]):
                        c.post("/v1/ask", json={"question": q, "k": 5})
                rss_after.append(tree_rss_mb(srv.pid))
                torch_mapped = torch_mapped or loads_torch(srv.pid)
        results[encoder] = {"ready_p50": percentiles(ready)["p50"] / 1000, "ready_max": max(ready),
                            "rss_start": max(rss_start), "rss_after": max(rss_after),
                            "torch": torch_mapped}
        console.print(f"{encoder}: ready {[round(r, 2) for r in ready]} s, RSS {rss_after} MiB, "
                      f"torch loaded: {torch_mapped}")
    o, t = results["onnx"], results.get("torch")
    rows += [Row("start → readyz (median), ONNX", o["ready_p50"], "s", t["ready_p50"],
                 "torch", "≤ 3 s", o["ready_max"] <= 3.0),
             Row("start → readyz (slowest), ONNX", o["ready_max"], "s", t["ready_max"], "torch"),
             Row("service RSS after start, ONNX", o["rss_start"], "MiB", t["rss_start"], "torch"),
             Row("service RSS after questions (ONNX 100, torch 20)", o["rss_after"], "MiB",
                 t["rss_after"], "torch", "≤ 400 MiB", o["rss_after"] <= 400),
             Row("torch mapped in the ONNX service (0 = no)", float(o["torch"]), "",
                 float(t["torch"]), "torch service", "0", not o["torch"])]
    return Report("startup", rows, {"runs": runs, "index": str(index)})


def main(runs: int, index_dir: Path | None, json_out: bool) -> None:
    show(run(runs, index_dir), json_out)
