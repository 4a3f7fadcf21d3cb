"""The Milvus backend against the local one at scale, through the backends themselves.

Synthetic passages (sentences of bench/synth.py's vocabulary, with sections, speakers, dates
and roles) and synthetic vectors (bench/vectors.py: random or clustered unit vectors, 384
dimensions; one unit per passage) are written by each backend's writer — the step an ingest
takes after embedding — then searched as the retriever searches: dense top-10 (recall@10
against exact inner product), dense top-100 (the service's candidates), dense under a section
filter, BM25 top-100, and the fetch of 200 candidates' vectors for re-scoring. One query at a
time, as a request does. Milvus is Milvus Lite in this process by default (a ``.db`` folder
under var/), or the server at ``--uri``.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.common import ROOT, Report, Row, percentiles, show
from bench.synth import GROUPS, PLACES, SENTENCES, TOPICS, VERBS
from bench.vectors import DIM, make_data
from core.records import Chunk, Filters

K = 10
WORK = ROOT / "var" / "bench-milvus"


def passages(n: int, seed: int = 0) -> list[Chunk]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        text = ". ".join(rng.choice(SENTENCES).format(
            place=place, topic=rng.choice(TOPICS), topic2=rng.choice(TOPICS), verb=rng.choice(VERBS),
            group=rng.choice(GROUPS), n=rng.randint(2, 40), m=rng.randint(2, 40))
            for _ in range(rng.randint(1, 3))) + "."
        out.append(Chunk(id=f"p{i}", document_id=f"d{i // 200}", start=0, end=len(text), text=text,
                         section=place, heading_path=("Meeting", place), speakers=(f"Speaker {i % 97}",),
                         date=f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", title="Meeting",
                         line_start=1, line_end=1, embed_text=f"{place}\n{text}",
                         units=((0, len(text)),), role="bullet" if i % 3 else "body"))
    return out


def _timed(fn: Callable[[int], object], count: int, warm: int = 10) -> tuple[list[float], list[object]]:
    for i in range(min(warm, count)):  # caches, lazily built segment indexes, connections
        fn(i)
    times, out = [], []
    for i in range(count):
        t = time.perf_counter()
        out.append(fn(i))
        times.append(time.perf_counter() - t)
    return times, out


def _settle(backend, xq: np.ndarray, batch: int = 10, limit: float = 900.0) -> float:
    """Seconds until dense search stops getting faster: Milvus Lite compacts segments and builds
    their indexes in the background after a flush (a server does the same on its nodes)."""
    t0, previous = time.perf_counter(), float("inf")
    while time.perf_counter() - t0 < limit:
        times, _ = _timed(lambda i: backend.dense(xq[i % len(xq)], K, None, None), batch, warm=0)
        now = float(np.median(times))
        if now > 0.8 * previous:
            break
        previous = now
        time.sleep(1.0)
    return time.perf_counter() - t0


def _recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:K].tolist()) & set(t[:K].tolist())) / K
                          for f, t in zip(found, truth, strict=True)]))


def measure(name: str, backend, chunks, xq, truth, questions, log) -> tuple[dict, list[Row]]:
    n = len(chunks)
    rows: list[Row] = []
    section = chunks[0].section
    mask = np.array([c.section == section for c in chunks])
    f = Filters(section=section)
    t10, found = _timed(lambda i: backend.dense(xq[i], K, None, None)[0], len(xq))
    t100, _ = _timed(lambda i: backend.dense(xq[i], 100, None, None), len(xq))
    tf, ffound = _timed(lambda i: backend.dense(xq[i], K, mask, f)[0], len(xq))
    tb, _ = _timed(lambda i: backend.sparse(questions[i % len(questions)], 100, None, None), len(xq))
    rng = np.random.default_rng(1)
    tv, _ = _timed(lambda i: backend.vectors(rng.choice(n, 200, replace=False)), len(xq))
    figures = {"recall@10": _recall(found, truth), "filtered_ok": all(mask[r].all() for r in ffound)}
    for label, times in (("dense k=10", t10), ("dense k=100", t100), ("dense k=10 + section filter", tf),
                         ("bm25 k=100", tb), ("vectors of 200 rows", tv)):
        p = percentiles(times)
        figures[label] = p
        rows += [Row(f"{name} {label} p50", p["p50"], "ms"), Row(f"{name} {label} p95", p["p95"], "ms")]
        log(f"{name} {label}: p50 {p['p50']:.2f} ms, p95 {p['p95']:.2f} ms")
    rows.append(Row(f"{name} recall@10 (vs exact)", figures["recall@10"], ""))
    log(f"{name} recall@10 {figures['recall@10']:.4f}; filter kept: {figures['filtered_ok']}")
    return figures, rows


def run(sizes: list[int], kind: str = "clustered", queries: int = 200, uri: str | None = None,
        log=print, local_too: bool = True) -> Report:
    import faiss

    from index.backends.local import LocalWriter, open_local
    from index.backends.milvus import MilvusBackend
    from index.backends.milvus_conn import MilvusSettings
    from index.backends.milvus_writer import MilvusWriter

    faiss.omp_set_num_threads(1)  # one query on one thread, as the service searches (see vectors.py)
    rows: list[Row] = []
    params: dict = {"sizes": sizes, "data": kind, "dim": DIM, "queries": queries,
                    "milvus": uri or "Milvus Lite (in process)", "per_size": {}}
    questions = [f"{t} for {g} in {p}" for t, g, p in zip(TOPICS, GROUPS * 4, PLACES, strict=False)]
    for n in sizes:
        log(f"--- {n} passages ({kind} vectors)")
        xb, xq = make_data(kind, n, queries, seed=n)
        chunks = passages(n)
        flat = faiss.IndexFlatIP(DIM)
        flat.add(xb)
        _, truth = flat.search(xq, K)
        del flat
        work = WORK / f"n{n}"
        shutil.rmtree(work, ignore_errors=True)
        (work / "tmp-local").mkdir(parents=True)
        per: dict = {}

        local_s = float("nan")
        if local_too:  # (the local backend alone at 1M: bench vectors and bench bm25)
            t = time.perf_counter()
            record = LocalWriter().write(work / "tmp-local", chunks, xb, xb)
            local_s = time.perf_counter() - t
            local = open_local(work / "tmp-local", n, n, DIM)
            log(f"local write {local_s:.1f}s ({n / local_s:,.0f} passages/s), index {record['index']}")
            per["local"], r = measure("local", local, chunks, xq, truth, questions, log)
            per["local"]["write_s"] = local_s
            rows += [Row("local write (faiss + bm25s + units)", local_s, "s"),
                     Row("local passages/s", n / local_s, "/s")] + r
            del local

        settings = MilvusSettings(uri or str(work / "milvus.db"), alias=f"bench_n{n}")
        writer = MilvusWriter(work / "index", settings=settings)
        (work / "tmp-milvus").mkdir()
        t = time.perf_counter()
        record = writer.write(work / "tmp-milvus", chunks, xb, xb)
        milvus_s = time.perf_counter() - t
        log(f"milvus write {milvus_s:.1f}s ({n / milvus_s:,.0f} passages/s), index {record['index']}")
        remote = MilvusBackend(settings, record, DIM)
        settle = _settle(remote, xq)
        log(f"milvus settled in {settle:.1f}s (background compaction and index builds)")
        per["milvus"], r = measure("milvus", remote, chunks, xq, truth, questions, log)
        per["milvus"]["write_s"], per["milvus"]["settle_s"] = milvus_s, settle
        rows += [Row("milvus write (insert + flush + index + load)", milvus_s, "s", local_s, "local"),
                 Row("milvus passages/s", n / milvus_s, "/s", n / local_s, "local"),
                 Row("milvus settle (until dense search stops speeding up)", settle, "s")] + r
        for name in (record["collection"], record["units_collection"]):
            remote.client.drop_collection(name)
        params["per_size"][n] = per
    return Report(f"milvus-{kind}-{'-'.join(str(s) for s in sizes)}", rows, params)


def main(sizes: list[int], kind: str, queries: int, uri: str | None, json_out: bool = True,
         local_too: bool = True) -> Path | None:
    return show(run(sizes, kind, queries, uri, local_too=local_too), json_out)
