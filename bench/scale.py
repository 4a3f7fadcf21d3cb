"""Scale: synthetic corpora through the real ingest and the real service.

Sizes up to ``embed_max`` passages are embedded with the real model (ingest passages/s). Larger
sizes would take hours to embed on 2 cores (~18–40 passages/s), so their text goes through the
real pipeline (read → structure → chunk → index builder → BM25 → publish) with random unit
vectors in place of embeddings: index size on disk, service RSS and query latency are real;
dense relevance is not (and is not measured here).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.common import OUT_DIR, Report, Row, console, dir_bytes, percentiles, show, tree_rss_mb
from bench.server import questions, serve, timed_asks
from bench.synth import PASSAGES_PER_SECTION, write_corpus


class RandomEncoder:
    """The real model's identity with random unit vectors (for sizes too big to embed here)."""

    def __init__(self, seed: int = 0) -> None:
        from encoders.embedding import locate_model

        self.info = locate_model(None)
        self.rng = np.random.default_rng(seed)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        x = self.rng.standard_normal((len(texts), self.info.dim), dtype=np.float32)
        return x / np.linalg.norm(x, axis=1, keepdims=True)


def build(size: int, embed: bool, work: Path) -> tuple[Path, float, int]:
    from ingest.pipeline import ingest

    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        write_corpus(corpus, max(1, round(size / PASSAGES_PER_SECTION)), seed=size)
    index = work / f"index-{size}-{'model' if embed else 'random'}"
    shutil.rmtree(index, ignore_errors=True)
    shutil.rmtree(index.parent / f".{index.name}.generations", ignore_errors=True)
    encoder = None if embed else RandomEncoder(size)
    t = time.perf_counter()
    report = ingest([corpus], index, encoder=encoder)
    seconds = time.perf_counter() - t
    if report.exit_code != 0:
        raise RuntimeError(f"ingest failed: {report.failed[:3]}")
    return index, seconds, sum(f.chunks for f in report.files)


def http_latency(url: str, qs: list[str]) -> tuple[dict, int]:
    times, errors = timed_asks(url, qs, [q + " (warm-up)" for q in qs[:10]])
    return percentiles(times), errors


def run(sizes: list[int], embed_max: int = 2000, n_questions: int = 200) -> Report:
    work = OUT_DIR / "scale"
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    first: dict[str, float] = {}
    for size in sizes:
        embed = size <= embed_max
        index, seconds, n = build(size, embed, work)
        gen = index.resolve()
        onnx = gen / "model.onnx"
        onnx_mb = onnx.stat().st_size / 2**20 if onnx.exists() else 0.0
        disk = dir_bytes(gen) / 2**20 - onnx_mb
        qs, _ = questions(index, n_questions)
        with serve(index) as srv:
            rss0 = tree_rss_mb(srv.pid)
            p, errors = http_latency(srv.url, qs)
            rss = tree_rss_mb(srv.pid)
            ready = srv.ready_seconds
        how = "embedded" if embed else "random vectors"
        console.print(f"{n} passages ({how}): ingest {seconds:.1f}s ({n / seconds:.1f}/s), "
                      f"disk {disk:.0f} MiB, ready {ready:.1f}s, RSS {rss:.0f} MiB, "
                      f"p50 {p['p50']:.1f} ms, p95 {p['p95']:.1f} ms, errors {errors}")
        figures = {"ingest": n / seconds, "disk": disk, "rss": rss, "p50": p["p50"],
                   "p95": p["p95"]}
        base = first or None
        label = f"{n:,} passages ({how})"
        rows += [Row(f"{label}: ingest rate", figures["ingest"], "passages/s",
                     base and base["ingest"], "smallest size"),
                 Row(f"{label}: index on disk (without model.onnx {onnx_mb:.0f} MiB)", disk,
                     "MiB", base and base["disk"], "smallest size"),
                 Row(f"{label}: start → readyz", ready, "s"),
                 Row(f"{label}: service RSS (after start {rss0:.0f})", rss, "MiB",
                     base and base["rss"], "smallest size"),
                 Row(f"{label}: HTTP /v1/ask p50", p["p50"], "ms", base and base["p50"],
                     "smallest size"),
                 Row(f"{label}: HTTP /v1/ask p95", p["p95"], "ms", base and base["p95"],
                     "smallest size")]
        if errors:
            rows.append(Row(f"{label}: errors", errors, ""))
        first = first or figures
    return Report("scale", rows, {"sizes": sizes, "embed_max": embed_max,
                                  "questions": n_questions})


def main(sizes: list[int], embed_max: int, n_questions: int, json_out: bool) -> None:
    show(run(sizes, embed_max, n_questions), json_out)
