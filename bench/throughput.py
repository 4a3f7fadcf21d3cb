"""Throughput: concurrent clients (httpx async) for a fixed time against `commission-qa serve
--workers N`: requests/s, errors, p50/p95/p99. Baseline: the LangChain recipe's
similarity_search called back to back in process (queries/s on one core, no HTTP)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from bench.common import Report, Row, console, percentiles, show, tree_rss_mb
from bench.server import questions, sample_index, serve


async def drive(url: str, qs: list[str], clients: int, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:
        start = time.perf_counter()
        deadline = start + seconds

        async def one(worker: int) -> None:
            nonlocal errors
            i = worker
            while time.perf_counter() < deadline:
                q = qs[i % len(qs)]
                i += clients
                t = time.perf_counter()
                try:
                    r = await client.post("/v1/ask", json={"question": q, "k": 5})
                    await r.aread()
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*(one(w) for w in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def recipe_qps(qs: list[str], seconds: float = 10.0) -> float:
    """Queries/s of the recipe back to back: the better of torch's default threads and 1."""
    import torch

    from bench.latency import LangChainRecipe

    recipe = LangChainRecipe()
    default = torch.get_num_threads()
    best = 0.0
    for threads in sorted({1, default}):
        torch.set_num_threads(threads)
        for q in qs[:10]:
            recipe.similarity_search(q)
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 2:
            recipe.similarity_search(qs[n % len(qs)])
            n += 1
        best = max(best, n / (time.perf_counter() - t0))
    torch.set_num_threads(default)
    return best


def run(clients: int = 16, seconds: float = 60.0, workers: list[int] = (1, 2),
        index_dir: Path | None = None) -> Report:
    index = sample_index(index_dir)
    qs, source = questions(index, 500)
    base = recipe_qps(qs)
    console.print(f"recipe in process: {base:.1f} queries/s")
    rows: list[Row] = [Row("recipe similarity_search, in process, sequential", base, "q/s")]
    for w in workers:
        with serve(index, workers=w) as srv:
            asyncio.run(drive(srv.url, qs[:20], clients, 3.0))  # warm-up
            lat, errors, elapsed = asyncio.run(drive(srv.url, qs, clients, seconds))
            rss = tree_rss_mb(srv.pid)
        p = percentiles(lat)
        rps = len(lat) / elapsed
        console.print(f"workers={w}: {rps:.1f} req/s, errors {errors}, p50 {p['p50']:.1f} ms, "
                      f"p99 {p['p99']:.1f} ms, RSS {rss:.0f} MiB")
        rows += [Row(f"workers={w}: requests/s ({clients} clients, {seconds:g}s)", rps, "req/s",
                     base, "recipe q/s", "≥ 150", rps >= 150),
                 Row(f"workers={w}: errors", errors, "", target="0", met=errors == 0),
                 Row(f"workers={w}: p50", p["p50"], "ms"),
                 Row(f"workers={w}: p95", p["p95"], "ms"),
                 Row(f"workers={w}: p99", p["p99"], "ms", target="≤ 100 ms", met=p["p99"] <= 100),
                 Row(f"workers={w}: service RSS (all processes)", rss, "MiB")]
    return Report("throughput", rows, {"clients": clients, "seconds": seconds,
                                       "workers": list(workers), "questions": source,
                                       "distinct_questions": len(qs)})


def main(clients: int, seconds: float, workers: list[int], index_dir: Path | None,
         json_out: bool) -> None:
    show(run(clients, seconds, workers, index_dir), json_out)
