"""Crash safety of publishing: a build that dies at any moment leaves the previous index loading
with the same answers; no unfinished build is ever loaded; the next ingest cleans up."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import IndexCorrupt
from index import store
from index.retriever import load
from ingest.pipeline import ingest
from tests.records import ISLAND

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["What should leaders be enabled to do about prevention?",
             "Which sectors should be involved in a health equity system?",
             "How should the page render markup?",
             "ferry timetables and island clinics"]
EXTRA = ISLAND + "· Transport vouchers for patients travelling to the mainland hospital\n"


def answers(index: Path, encoder) -> list[list[tuple[str, int, int]]]:
    r = load(index, encoder=encoder)
    docs = {d.id: d.source for d in r.documents.values()}
    return [[(docs[h.chunk.document_id], h.chunk.start, h.chunk.end) for h in r.search(q, k=3)]
            for q in QUESTIONS]


def leftovers(target: Path) -> list[str]:
    gens = store.generations_dir(target)
    tmp = [p.name for p in gens.iterdir() if p.name.startswith("tmp-")] if gens.is_dir() else []
    return tmp + [p.name for p in target.parent.glob(f".{target.name}.link-*")]


@pytest.fixture()
def index_copy(tmp_path: Path, built_index: Path) -> Path:
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    return tmp_path / "ix" / built_index.name


@pytest.mark.parametrize("where", ["before_publish", "after_rename", "before_link_swap"])
def test_crash_during_publish_keeps_old_index(tmp_path, index_copy, corpus_dir, encoder,
                                              monkeypatch, where):
    before_gen, before = store.resolve(index_copy), answers(index_copy, encoder)
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "2021-03-03_extra.txt").write_text(EXTRA, encoding="utf-8")
    real_publish, real_replace = store.publish, os.replace

    class Crash(RuntimeError):
        pass

    def crashing_publish(build: Path, target: Path) -> Path:
        if where == "before_publish":
            raise Crash("killed before publish")
        if where == "after_rename":  # the folder is renamed, the link not yet swapped
            os.rename(build, build.with_name(build.name.removeprefix("tmp-")))
            raise Crash("killed after rename")

        def replace(src, dst, *a, **kw):
            if Path(dst) == target:
                raise Crash("killed before the link swap")
            return real_replace(src, dst, *a, **kw)

        monkeypatch.setattr(os, "replace", replace)
        try:
            return real_publish(build, target)
        finally:
            monkeypatch.setattr(os, "replace", real_replace)

    monkeypatch.setattr(store, "publish", crashing_publish)
    with pytest.raises(Crash):
        ingest([corpus], index_copy, encoder=encoder)
    monkeypatch.setattr(store, "publish", real_publish)

    assert store.resolve(index_copy) == before_gen
    assert answers(index_copy, encoder) == before
    if where == "before_publish":
        assert any(n.startswith("tmp-") for n in leftovers(index_copy))

    report = ingest([corpus], index_copy, encoder=encoder)  # a later ingest finishes the job
    assert report.published and report.exit_code == 0
    assert leftovers(index_copy) == []
    assert store.resolve(index_copy) != before_gen
    assert answers(index_copy, encoder)[-1][0][0] == "2021-03-03_extra.txt"


def _cli_ingest(corpus: Path, target: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "commission_qa", "ingest", str(corpus), "--index-dir",
         str(target), "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})


def _wait_for_build_dir(target: Path, proc: subprocess.Popen, old: set[str],
                        timeout: float = 300) -> None:
    """Wait until ``proc`` has created its build folder (not a leftover of an earlier kill)."""
    gens = store.generations_dir(target)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if gens.is_dir() and any(p.name.startswith("tmp-") and p.name not in old
                                 for p in gens.iterdir()):
            return
        time.sleep(0.005)


def _timed_build(corpus: Path, target: Path) -> float:
    t0 = time.monotonic()
    assert _cli_ingest(corpus, target).wait(300) == 0
    return time.monotonic() - t0


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path, corpus_dir, encoder):
    """20 ``commission-qa ingest`` processes killed with SIGKILL at seeded random moments spread
    over a whole build (model load, embedding, writing, publishing), alternating between two
    corpora so that every run has something to publish."""
    small = sorted(corpus_dir.glob("*.txt"))
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        for p in small:
            if "panel-meeting" not in p.name:  # the smaller record plus the script test
                shutil.copy(p, folder / p.name)
    (b / "2021-03-03_extra.txt").write_text(EXTRA, encoding="utf-8")
    target = tmp_path / "ix" / "index"
    ingest([a], target, encoder=encoder)  # A published (in-process: quick)
    reference = {"a": answers(target, encoder)}
    duration = {"b": _timed_build(b, target)}
    reference["b"] = answers(target, encoder)
    duration["a"] = _timed_build(a, target)
    assert answers(target, encoder) == reference["a"] != reference["b"]
    sources = {"a": {p.name for p in a.iterdir()}, "b": {p.name for p in b.iterdir()}}

    rng = random.Random(20261125)
    current, killed, swapped, left = "a", 0, 0, 0
    for i in range(20):
        nxt = "b" if current == "a" else "a"
        gen_before = store.resolve(target)
        gens = store.generations_dir(target)
        old = {p.name for p in gens.iterdir()}
        proc = _cli_ingest(a if nxt == "a" else b, target)
        if i % 2 == 0:  # anywhere in the run: imports, model load, embedding, writing
            time.sleep(rng.uniform(0.0, duration[nxt] * 1.05))
        else:  # inside the short write-and-publish window: once the build folder exists
            _wait_for_build_dir(target, proc, old)
            time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        killed += proc.wait(60) == -signal.SIGKILL
        left += bool(leftovers(target))
        try:
            gen = store.resolve(target)
        except IndexCorrupt as exc:  # the link never points at an unfinished build
            pytest.fail(f"resolve refused the index: {exc}")
        assert not gen.name.startswith("tmp-")
        published = {d["source"] for d in store.read_manifest(gen).documents}
        now = "a" if published == sources["a"] else "b"
        assert published == sources[now]
        assert gen == gen_before or now == nxt
        assert answers(target, encoder) == reference[now], (gen.name, now)
        swapped += gen != gen_before
        current = now
    print(f"\nkill: {killed} killed mid-run, {swapped} published before the kill, "
          f"{left} left leftovers (durations {duration})")
    assert killed >= 12  # most kills land inside the build, not after it finished
    assert left >= 1  # and some of them while a generation was being written

    assert _cli_ingest(b if current == "a" else a, target).wait(300) == 0
    assert leftovers(target) == []
    gens = [p for p in store.generations_dir(target).iterdir()]
    assert len(gens) <= store.KEEP_GENERATIONS and store.resolve(target) in gens
