"""Publishing a new index while a real server is under load: no request fails, and every answer
comes entirely from one index generation — the old one until the reload, the new one after."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from index import store
from ingest.pipeline import ingest
from tests.records import ISLAND

QUESTIONS = ["What did Pennine Lancashire ask about governance?", "budgets for prevention",
             "Which sectors should be involved in a health equity system?",
             "dental waiting lists in the community", "ferry timetables and island clinics"]
KEY = "hot-reload-test-key"  # admin reload over HTTP needs the API key
AUTH = {"X-API-Key": KEY}
ADDED = ISLAND


@dataclass(frozen=True)
class Result:
    started: float
    ended: float
    status: int
    generation: str | None
    documents: frozenset[str]


def documents_of(index: Path, generation: str) -> frozenset[str]:
    gen = store.generations_dir(index) / generation
    return frozenset(d["id"] for d in store.read_manifest(gen, verify_files=False).documents)


def generation(url: str) -> str:
    return httpx.get(f"{url}/readyz", timeout=10).json()["index"]["generation"]


class Load:
    """Threads sending /v1/ask continuously; every result recorded."""

    def __init__(self, url: str, threads: int = 4) -> None:
        self.url, self.results, self._stop = url, [], threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                         for i in range(threads)]

    def _run(self, i: int) -> None:
        with httpx.Client(timeout=60, headers=AUTH) as client:
            n = i
            while not self._stop.is_set():
                q = QUESTIONS[n % len(QUESTIONS)] + f" {n}"  # distinct: no query-cache hits
                n += len(self._threads)
                t0 = time.monotonic()
                try:
                    r = client.post(f"{self.url}/v1/ask", json={"question": q, "k": 5})
                    status = r.status_code
                    gen = r.headers.get("x-index-generation")
                    docs = frozenset(p["document_id"] for p in r.json().get("passages", []))
                except (httpx.HTTPError, ValueError):
                    status, gen, docs = 0, None, frozenset()
                with self._lock:
                    self.results.append(Result(t0, time.monotonic(), status, gen, docs))

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)


@pytest.mark.slow
def test_reload_under_load(tmp_path, built_index, corpus_dir, encoder, server_starter):
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    index = tmp_path / "ix" / built_index.name
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    # load shedding off: this test is about answers across reloads, and a reload's CPU can hold
    # requests longer than the default queue limit on a busy machine (then 503, by design)
    env = {"COMMISSION_QA_API_KEY": KEY, "COMMISSION_QA_MAX_QUEUE_MS": "600000"}
    with server_starter(index, timeout=90, env=env) as server:
        url = server.url
        g0 = generation(url)
        docs = {g0: documents_of(index, g0)}  # read now: old generations are cleaned up
        with Load(url) as load:
            time.sleep(2)
            # 1. a changed corpus published into the same index folder, then POST reload
            with open(corpus / "2021-03-01_script-test.txt", "a", encoding="utf-8") as fh:
                fh.write("· A third bullet about dental waiting lists in the community\n")
            assert ingest([corpus], index, encoder=encoder).published
            g1 = store.resolve(index).name
            docs[g1] = documents_of(index, g1)
            assert g1 != g0 and generation(url) == g0  # published, not yet loaded
            r = httpx.post(f"{url}/v1/admin/reload", timeout=120, headers=AUTH)
            reload1_done = time.monotonic()
            assert r.status_code == 200 and r.json()["index"]["generation"] == g1
            time.sleep(2)
            # 2. another one, loaded on SIGHUP
            (corpus / "2021-03-03_island.txt").write_text(ADDED, encoding="utf-8")
            assert ingest([corpus], index, encoder=encoder).published
            g2 = store.resolve(index).name
            docs[g2] = documents_of(index, g2)
            sighup_sent = time.monotonic()
            os.kill(server.pid, signal.SIGHUP)
            deadline = time.monotonic() + 120
            while generation(url) != g2:
                assert time.monotonic() < deadline, "SIGHUP did not reload the index"
                time.sleep(0.1)
            reload2_done = time.monotonic()
            time.sleep(2)
        results = load.results

    assert len(results) > 20
    assert [r for r in results if r.status != 200] == []
    for r in results:
        assert r.generation in docs
        assert r.documents and r.documents <= docs[r.generation]  # one whole generation
    between = [r for r in results if reload1_done < r.started and r.ended < sighup_sent]
    assert between and {r.generation for r in between} == {g1}
    assert [r for r in results if r.started > reload1_done and r.generation == g0] == []
    assert [r for r in results if r.started > reload2_done and r.generation != g2] == []
    seen = [r.generation for r in sorted(results, key=lambda r: r.started)]
    assert seen[0] == g0 and g1 in seen and seen[-1] == g2
    # answers from the new record only exist after the reload that published it
    island = docs[g2] - docs[g1]
    assert any(r.documents & island for r in results if r.generation == g2)
