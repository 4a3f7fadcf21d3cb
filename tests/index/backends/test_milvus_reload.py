"""Several processes on one Milvus index: Milvus Lite's own server (``milvus-lite server``)
shared by two service replicas and the ingest that updates the index while they serve, and
ingests killed at random moments. A ``.db`` URI is Milvus Lite inside one process: a second
process is refused, which is why sharing goes through a server."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.milvus_server import lite_server
from index import store
from index.backends.milvus_conn import ENV_URI, MilvusSettings, client
from index.retriever import load
from ingest.pipeline import IngestOptions, ingest
from tests.records import ISLAND

ROOT = Path(__file__).resolve().parents[3]
MILVUS = IngestOptions(backend="milvus")
QUESTIONS = ["What did Pennine Lancashire ask about governance?", "budgets for prevention",
             "dental waiting lists in the community", "ferry timetables and island clinics"]
KEY = "milvus-reload-test-key"  # admin reload over HTTP needs the API key
AUTH = {"X-API-Key": KEY}
ADDED = ISLAND


def documents_of(index: Path, generation: str) -> frozenset[str]:
    gen = store.generations_dir(index) / generation
    return frozenset(d["id"] for d in store.read_manifest(gen, verify_files=False).documents)


def test_a_db_file_is_one_process_only(tmp_path) -> None:
    """What Milvus Lite allows: a second process cannot open the same .db."""
    db = tmp_path / "lite.db"
    client(MilvusSettings(str(db)))  # this process holds it
    code = ("import sys; from pymilvus import MilvusClient\n"
            "try:\n    MilvusClient(sys.argv[1])\nexcept Exception as e:\n"
            "    print(type(e).__name__, e); sys.exit(3)\n")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 3 and "Open local milvus failed" in out.stdout


@pytest.mark.slow
def test_two_replicas_and_an_ingest_share_one_milvus(tmp_path, corpus_dir, encoder, monkeypatch,
                                                     server_starter) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "ix" / "index"
    with lite_server(tmp_path / "milvus.db") as uri:
        monkeypatch.setenv(ENV_URI, uri)
        assert ingest([corpus], index, MILVUS, encoder=encoder).published
        g0 = store.resolve(index).name
        docs = {g0: documents_of(index, g0)}
        env = {ENV_URI: uri, "COMMISSION_QA_API_KEY": KEY}
        with server_starter(index, timeout=120, env=env) as a, \
                server_starter(index, timeout=120, env=env) as b:
            urls = [a.url, b.url]
            for url in urls:
                ready = httpx.get(f"{url}/readyz", timeout=10).json()["index"]
                assert ready["backend"]["name"] == "milvus" and ready["generation"] == g0
                assert ready["backend"]["uri"] == uri
            results: list[tuple[float, int, str | None, frozenset[str]]] = []
            stop = threading.Event()

            def run(i: int) -> None:
                with httpx.Client(timeout=60, headers=AUTH) as c:
                    n = i
                    while not stop.is_set():
                        t0 = time.monotonic()
                        try:
                            r = c.post(f"{urls[n % 2]}/v1/ask",
                                       json={"question": f"{QUESTIONS[n % 4]} {n}", "k": 5})
                            got = (t0, r.status_code, r.headers.get("x-index-generation"),
                                   frozenset(p["document_id"] for p in r.json().get("passages", [])))
                        except (httpx.HTTPError, ValueError):
                            got = (t0, 0, None, frozenset())
                        results.append(got)
                        n += 3

            threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(3)]
            for t in threads:
                t.start()
            time.sleep(2)
            (corpus / "2021-03-03_island.txt").write_text(ADDED, encoding="utf-8")
            assert ingest([corpus], index, MILVUS, encoder=encoder).published  # while serving
            g1 = store.resolve(index).name
            docs[g1] = documents_of(index, g1)
            for url in urls:
                r = httpx.post(f"{url}/v1/admin/reload", timeout=120, headers=AUTH)
                assert r.status_code == 200 and r.json()["index"]["generation"] == g1
            reloaded = time.monotonic()
            time.sleep(3)
            stop.set()
            for t in threads:
                t.join(60)
    assert len(results) > 20 and [r for r in results if r[1] != 200] == []
    for _, _, gen, found in results:
        assert gen in docs and found and found <= docs[gen]  # one whole generation each
    assert {r[2] for r in results if r[0] > reloaded} == {g1}
    island = docs[g1] - docs[g0]
    assert any(r[3] & island for r in results if r[2] == g1)


def _cli_ingest(corpus: Path, target: Path, uri: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "commission_qa", "ingest", str(corpus), "--index-dir", str(target),
         "--backend", "milvus", "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", ENV_URI: uri})


@pytest.mark.slow
def test_sigkill_at_random_moments_on_milvus(tmp_path, corpus_dir, encoder, monkeypatch) -> None:
    """``commission-qa ingest --backend milvus`` killed at seeded random moments, alternating
    between two corpora: the link always names a whole generation whose collections answer as
    that corpus did, the alias never names another; the next ingest leaves no orphan."""
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        for p in sorted(corpus_dir.glob("*.txt")):
            if "panel-meeting" not in p.name:
                shutil.copy(p, folder / p.name)
    (b / "2021-03-03_island.txt").write_text(ADDED, encoding="utf-8")
    target = tmp_path / "ix" / "index"

    def answers() -> tuple[frozenset[str], list[list[str]]]:
        r = load(target, encoder=encoder)
        sources = frozenset(d.source for d in r.documents.values())
        return sources, [[h.chunk.id for h in r.search(q, k=3)] for q in QUESTIONS]

    with lite_server(tmp_path / "milvus.db") as uri:
        monkeypatch.setenv(ENV_URI, uri)
        ingest([b], target, MILVUS, encoder=encoder)
        reference = {"b": answers()}
        t0 = time.monotonic()
        assert _cli_ingest(a, target, uri).wait(300) == 0
        duration = time.monotonic() - t0
        reference["a"] = answers()
        assert reference["a"] != reference["b"]
        rng = random.Random(20261205)
        killed = 0
        for i in range(6):
            proc = _cli_ingest(b if i % 2 == 0 else a, target, uri)
            time.sleep(rng.uniform(0.3, duration * 1.05))
            os.killpg(proc.pid, signal.SIGKILL)
            killed += proc.wait(60) == -signal.SIGKILL
            got = answers()
            assert got in reference.values()
            r = load(target, encoder=encoder)
            record = r.manifest.data["backend"]
            alias = r.backend.client.describe_alias(record["alias"])["collection_name"]
            gens = [p for p in store.generations_dir(target).iterdir() if not p.name.startswith(".")]
            named = {store.read_manifest(g, verify_files=False).data["backend"]["collection"]
                     for g in gens if (g / store.MANIFEST).is_file()}
            assert alias in named  # the alias names a published (or kept) generation
        assert killed >= 3
        assert _cli_ingest(b, target, uri).wait(300) == 0
        assert answers() == reference["b"]
        r = load(target, encoder=encoder)
        record = r.manifest.data["backend"]
        names = [n for n in r.backend.client.list_collections() if n.startswith(record["alias"] + "_g")]
        assert len(names) <= 2 * store.KEEP_GENERATIONS
        assert r.backend.client.describe_alias(record["alias"])["collection_name"] == record["collection"]
