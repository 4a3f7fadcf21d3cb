"""Shared fixtures: the sample corpus (plus a script-injection test document), one embedding
model loaded once, an index built from them, a retriever, a TestClient and a live server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from encoders.embedding import set_offline

set_offline()
ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "data" / "transcripts"
XSS_DOC = """Script Test Meeting
Monday 1st of March 2021
Script Test Place
Speakers: Test Person, Tester of pages
· Ask of the panel: <img src=x onerror=alert(1)> should be shown literally
· A second bullet about testing the page rendering with <b>bold</b> markup
"""


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(TRANSCRIPTS.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory, sample_paths: list[Path]) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for p in sample_paths:
        shutil.copy(p, d / p.name)
    (d / "2021-03-01_script-test.txt").write_text(XSS_DOC, encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def encoder():
    from encoders.embedding import TorchEncoder, locate_model

    return TorchEncoder(locate_model(None))


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, encoder) -> Path:
    from ingest.pipeline import ingest

    target = tmp_path_factory.mktemp("indexes") / "index"
    report = ingest([corpus_dir], target, encoder=encoder)
    assert report.exit_code == 0, report
    return target


@pytest.fixture(scope="session")
def retriever(built_index: Path, encoder):
    from index.retriever import load

    return load(built_index, encoder=encoder)


@pytest.fixture(scope="session")
def client(built_index: Path, encoder):
    from fastapi.testclient import TestClient

    from qa_service.app import create_app
    from qa_service.settings import Settings

    app = create_app(Settings(index_dir=built_index), encoder=encoder)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def server_starter():
    """``bench.server.serve``: runs ``commission-qa serve`` on a free loopback port until the
    ``with`` block ends (yields once /readyz is true) — one way to run the real service, shared
    by the benchmarks and the tests that need their own server."""
    from bench.server import serve

    return serve


@pytest.fixture(scope="session")
def live_server(built_index: Path, server_starter):
    with server_starter(built_index, timeout=90) as server:
        yield server.url
