"""Two ingests of the same index at once: the second waits for the first (``wait``) or stops with
IndexBusy (CLI exit code 4); never a published generation missing files, never the last good
generation deleted, never a raw traceback."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commission_qa.cli import app
from core.errors import IndexBusy
from encoders.embedding import locate_model
from index import store
from index.retriever import load
from ingest.pipeline import IngestOptions, ingest
from tests.ingest.fake_encoder import FakeEncoder, write_corpus

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = IngestOptions(onnx=False)


@pytest.fixture(scope="module")
def info():
    return locate_model(None)


@pytest.fixture()
def corpora(tmp_path: Path) -> dict[str, Path]:
    return {"a": write_corpus(tmp_path / "a", ["Island Practice", "Harbour Clinic"]),
            "b": write_corpus(tmp_path / "b", ["Moor Surgery", "Valley Hospital", "Fell Team"])}


def sources(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def check_index(target: Path, info, expected: list[set[str]]) -> None:
    """The index loads whole (every file, hashes, counts) and holds exactly one corpus."""
    gen = store.resolve(target)
    manifest = store.read_manifest(gen, verify_files=True)
    assert {d["source"] for d in manifest.documents} in expected
    retriever = load(target, encoder=FakeEncoder(info))
    assert len(retriever.chunks) == manifest.data["counts"]["chunks"] > 0
    gens = store.generations_dir(target)
    assert not [p.name for p in gens.iterdir() if p.name.startswith("tmp-")]
    assert len([p for p in gens.iterdir() if p.is_dir()]) <= store.KEEP_GENERATIONS


def test_two_ingests_at_once_many_times(tmp_path, corpora, info):
    """50 rounds of two threads ingesting different corpora into one index at the same moment:
    both finish (the second waits for the lock), and after every round the index is whole."""
    target = tmp_path / "ix" / "index"
    expected = [sources(corpora["a"]), sources(corpora["b"])]

    def run(corpus: Path, start: threading.Barrier, reports: list, errors: list) -> None:
        start.wait(10)
        try:
            reports.append(ingest([corpus], target, OPTIONS, encoder=FakeEncoder(info), wait=60))
        except Exception as exc:  # noqa: BLE001 - recorded, asserted below
            errors.append(exc)

    for _ in range(50):
        start, errors, reports = threading.Barrier(2), [], []
        threads = [threading.Thread(target=run, args=(c, start, reports, errors))
                   for c in corpora.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == [] and [r.exit_code for r in reports] == [0, 0]
        check_index(target, info, expected)


def test_second_ingest_stops_at_once_without_wait(tmp_path, corpora, info):
    target = tmp_path / "ix" / "index"
    ingest([corpora["a"]], target, OPTIONS, encoder=FakeEncoder(info))
    good = store.resolve(target)
    gate = threading.Event()
    slow = FakeEncoder(info, gate=gate)
    first = threading.Thread(target=ingest, args=([corpora["b"]], target, OPTIONS, slow))
    first.start()
    try:
        assert slow.entered.wait(60)  # the first ingest is in its build, holding the lock
        with pytest.raises(IndexBusy, match="another ingest"):
            ingest([corpora["a"]], target, OPTIONS, encoder=FakeEncoder(info))
        assert store.resolve(target) == good
    finally:
        gate.set()
        first.join(120)
    check_index(target, info, [sources(corpora["b"])])


def test_cli_exit_code_4_when_another_ingest_runs(tmp_path, corpora):
    target = tmp_path / "ix" / "index"
    with store.ingest_lock(target):
        result = CliRunner().invoke(app, ["ingest", str(corpora["a"]), "--index-dir",
                                          str(target), "--quiet"])
    assert result.exit_code == 4, result.output
    assert "another ingest" in result.output and "--wait" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_two_ingest_processes_at_once(tmp_path, corpora, info):
    """Five rounds of two ``ingest`` processes started together (waiting for each other)."""
    target = tmp_path / "ix" / "index"
    expected = [sources(corpora["a"]), sources(corpora["b"])]
    for _ in range(5):
        procs = [subprocess.Popen([sys.executable, "-m", "tests.ingest.fake_encoder", str(c),
                                   str(target), "120"], cwd=ROOT, stderr=subprocess.PIPE,
                                  text=True) for c in corpora.values()]
        outcomes = [(p.wait(180), p.stderr.read()) for p in procs]
        assert [code for code, _ in outcomes] == [0, 0], outcomes
        check_index(target, info, expected)
