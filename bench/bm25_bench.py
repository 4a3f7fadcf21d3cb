"""BM25 (bm25s, the index's settings) over synthetic commission-like passages: index time,
memory, and the retriever's per-query work (scores of every passage + top-100 selection)."""

from __future__ import annotations

import gc
import random
import time

import numpy as np

from bench.common import Report, Row, console, percentiles, rss_mb, show
from bench.synth import GROUPS, PLACES, TOPICS, _sentence


def passages(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(_sentence(rng, rng.choice(PLACES)) for _ in range(rng.randint(1, 3)))
            for _ in range(n)]


def run(sizes: list[int], n_queries: int = 200) -> Report:
    from index import bm25

    rng = random.Random(99)
    qs = [f"What was said about {rng.choice(TOPICS)} for {rng.choice(GROUPS)} in "
          f"{rng.choice(PLACES)}?" for _ in range(n_queries)]
    rows: list[Row] = []
    first = None
    for n in sizes:
        texts = passages(n, seed=n)
        gc.collect()
        rss0 = rss_mb()
        t = time.perf_counter()
        model = bm25.build(texts)
        build = time.perf_counter() - t
        mem = rss_mb() - rss0
        del texts
        gc.collect()
        times = []
        for q in qs:
            t = time.perf_counter()
            s = bm25.scores(model, q, n)
            np.argpartition(-s, min(100, n) - 1)[:100]
            times.append(time.perf_counter() - t)
        p = percentiles(times)
        console.print(f"bm25 {n:,}: build {build:.1f}s, +{mem:.0f} MiB, p50 {p['p50']:.1f} ms, "
                      f"p95 {p['p95']:.1f} ms")
        b = first
        rows += [Row(f"bm25 {n:,} passages: index build", build, "s", b and b[0], "smallest size"),
                 Row(f"bm25 {n:,} passages: memory (RSS growth)", mem, "MiB", b and b[1],
                     "smallest size"),
                 Row(f"bm25 {n:,} passages: query p50", p["p50"], "ms", b and b[2], "smallest size"),
                 Row(f"bm25 {n:,} passages: query p95", p["p95"], "ms", b and b[3], "smallest size")]
        first = first or (build, mem, p["p50"], p["p95"])
        del model
        gc.collect()
    return Report(f"bm25-{sizes[-1]}", rows, {"sizes": sizes, "queries": n_queries})


def main(size: int, n_queries: int, json_out: bool) -> None:
    sizes = sorted({min(size, 100_000), size})
    show(run(sizes, n_queries), json_out)
