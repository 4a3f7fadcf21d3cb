"""``commission-qa bench ...``: benchmarks that print figures and ratios against a baseline
measured in the same run (JSON copies under bench/out/, see bench/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="Benchmarks (figures go in bench/README.md).")

NoJson = Annotated[bool, typer.Option("--no-json", help="Do not write bench/out/<name>.json")]
IndexOpt = Annotated[Path | None, typer.Option(
    "--index-dir", help="Index to serve (default: build the sample corpus into bench/out/)")]


@app.command()
def latency(
    questions: int = typer.Option(500, help="Timed questions (after warm-up)"),
    index_dir: IndexOpt = None,
    no_json: NoJson = False,
) -> None:
    """Query latency: POST /v1/ask over loopback HTTP (k=5, one client) against the LangChain
    recipe's similarity_search(k=5) in process; encoders (torch/ONNX, 1 vs 2 threads) and the
    query cache."""
    from bench import latency as mod

    mod.main(questions, index_dir, not no_json)


@app.command()
def startup(
    runs: int = typer.Option(3, help="Starts of the service to time"),
    index_dir: IndexOpt = None,
    no_json: NoJson = False,
) -> None:
    """Process start to /readyz true, and service RSS, with ONNX and with torch."""
    from bench import startup as mod

    mod.main(runs, index_dir, not no_json)


@app.command()
def throughput(
    clients: int = typer.Option(16, help="Concurrent clients"),
    seconds: float = typer.Option(60.0, help="Duration of each run"),
    workers: str = typer.Option("1,2", help="uvicorn worker counts to compare, comma-separated"),
    index_dir: IndexOpt = None,
    no_json: NoJson = False,
) -> None:
    """Concurrent clients (httpx async) against `commission-qa serve --workers N`."""
    from bench import throughput as mod

    mod.main(clients, seconds, [int(w) for w in workers.split(",")], index_dir, not no_json)


@app.command()
def ingest(
    passages: int = typer.Option(0, help="Also ingest a synthetic corpus of about this many "
                                 "passages (0: sample corpus only)"),
    no_json: NoJson = False,
) -> None:
    """Ingest: cold end-to-end time, embedding throughput against raw model.encode on the same
    chunks, re-ingest of an unchanged corpus."""
    from bench import ingest_bench as mod

    mod.main(passages, not no_json)


@app.command()
def scale(
    sizes: str = typer.Option("10000,100000", help="Passage counts, comma-separated"),
    embed_max: int = typer.Option(2000, help="Largest size embedded with the real model; larger "
                                  "sizes use random unit vectors through the real builder"),
    questions: int = typer.Option(200, help="Timed HTTP questions per size"),
    no_json: NoJson = False,
) -> None:
    """Synthetic corpora: ingest passages/s, index size, service RSS, query p50/p95 per size."""
    from bench import scale as mod

    mod.main([int(s) for s in sizes.split(",")], embed_max, questions, not no_json)


@app.command()
def synth(
    out: Path = typer.Argument(..., help="Folder to write the .txt transcripts into"),
    passages: int = typer.Option(1000, help="About how many passages (sections) to generate"),
    seed: int = typer.Option(0),
) -> None:
    """Write synthetic commission-like transcripts that the real ingest parses."""
    from bench.synth import write_corpus

    made = write_corpus(out, passages, seed)
    typer.echo(f"{made.files} files, {made.sections} sections, {made.bytes:,} bytes in {out}")


@app.command()
def vectors(
    size: int = typer.Option(1_000_000, "--size", help="Number of vectors"),
    queries: int = typer.Option(500, help="Timed single queries"),
    data: str = typer.Option("uniform", help="uniform | clustered"),
    ivf: bool = typer.Option(False, help="Also IVF-Flat (nlist = 4·√n)"),
    ef_search: str = typer.Option("16,32,64,128,256,512,1024", help="efSearch values"),
    m: int = typer.Option(32, help="HNSW M"),
    ef_construction: int = typer.Option(80, help="HNSW efConstruction"),
    no_json: NoJson = False,
) -> None:
    """FAISS alone on random unit vectors: IndexFlatIP against HNSW (and IVF)."""
    from bench import vectors as mod

    if data not in ("uniform", "clustered"):
        raise typer.BadParameter("--data is uniform or clustered")
    mod.main(size, queries, data, ivf, ef_search, m, ef_construction, not no_json)


@app.command()
def bm25(
    size: int = typer.Option(1_000_000, "--size", help="Number of passages"),
    queries: int = typer.Option(200, help="Timed queries"),
    no_json: NoJson = False,
) -> None:
    """BM25 (bm25s) over synthetic passages: index time, memory, query p50/p95."""
    from bench import bm25_bench as mod

    mod.main(size, queries, not no_json)


@app.command()
def overload(
    clients: int = typer.Option(200, help="Concurrent clients (at most 1000)"),
    seconds: float = typer.Option(30.0, help="Duration of each run (at most 600)"),
    max_inflight: int | None = typer.Option(None, help="COMMISSION_QA_MAX_INFLIGHT of the "
                                            "shedding run (default: the service's default)"),
    retry_after: bool = typer.Option(True, "--retry-after/--no-retry-after",
                                     help="Clients wait Retry-After seconds after a 503"),
    index_dir: IndexOpt = None,
    no_json: NoJson = False,
) -> None:
    """Many concurrent clients (loopback): accepted latency with load shedding against the
    same service without it, shed 503s, other errors."""
    from bench import overload as mod

    mod.main(clients, seconds, max_inflight, retry_after, index_dir, not no_json)


@app.command()
def slowloris(
    connections: int = typer.Option(4000, help="Connections holding an unfinished request "
                                    "head (at most 10,000)"),
    seconds: float = typer.Option(30.0, help="Duration of the slow-head phase (at most 300)"),
    nofile: int = typer.Option(1024, help="Open-files limit of the service (ulimit -n)"),
    index_dir: IndexOpt = None,
    no_json: NoJson = False,
) -> None:
    """Slow and oversized request heads (loopback): ordinary requests still answered, slow
    connections closed, RSS bounded."""
    from bench import slowloris as mod

    mod.main(connections, seconds, nofile, index_dir, not no_json)


# The soak benchmark lives in its own module (reliability work); it registers itself here.
from bench import soak as _soak  # noqa: E402

_soak.register(app)


@app.command()
def milvus(
    sizes: str = typer.Option("10000", help="Passage counts, comma-separated"),
    data: str = typer.Option("clustered", help="clustered | uniform (bench/vectors.py)"),
    queries: int = typer.Option(200, help="Timed queries per figure"),
    uri: str | None = typer.Option(None, help="A Milvus server (http://host:19530); default: "
                                   "Milvus Lite in this process, under var/bench-milvus/"),
    milvus_only: bool = typer.Option(False, "--milvus-only", help="Skip the local backend"),
    no_json: NoJson = False,
) -> None:
    """The Milvus backend beside the local one on synthetic passages and vectors: write rate,
    dense/BM25/filtered search p50/p95, vector fetch, recall@10 against exact search."""
    from bench import milvus_bench as mod

    mod.main([int(s) for s in sizes.split(",")], data, queries, uri, not no_json, not milvus_only)


@app.command("milvus-eval")
def milvus_eval(
    corpus: Annotated[list[Path] | None, typer.Argument(help="Files or folders to ingest "
                                                        "(default data/transcripts)")] = None,
    gold: Annotated[list[Path] | None, typer.Option(
        "--gold", help="Gold sets (default: commission and heldout-1..14)")] = None,
    systems: str = typer.Option("project,bm25", help="Comma-separated systems"),
    work: Path | None = typer.Option(None, help="Folder for the two indexes "
                                     "(default var/eval-milvus-compare)"),
) -> None:
    """The gold and held-out sets on the local and the Milvus backend in one run: metrics side
    by side, the largest difference, questions with the very same top 10."""
    from bench import milvus_eval as mod

    mod.main(corpus or [Path("data/transcripts")], gold or [Path(p) for p in mod.DEFAULT_SETS],
             systems, work)
