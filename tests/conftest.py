"""Shared fixtures: the sample corpus (plus a script-injection test document), one embedding
model loaded once, an index built from them, a retriever, a TestClient and a live server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ingest.embedding import set_offline

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
    from ingest.embedding import TorchEncoder, locate_model

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, env: dict[str, str] | None = None,
                 timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """Start ``commission-qa serve`` on a free loopback port; wait until /readyz is true."""
    port = free_port()
    log = open(index_dir.parent / f"serve-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "commission_qa", "serve", "--index-dir", str(index_dir),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: see {log.name}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server not ready after {timeout}s: see {log.name}")


@pytest.fixture(scope="session")
def server_starter():
    """``start_server`` for tests that need their own server (tests/ is not a package, and
    ``from conftest import …`` is ambiguous once a sub-folder has a conftest.py)."""
    return start_server


@pytest.fixture(scope="session")
def live_server(built_index: Path):
    proc, url = start_server(built_index)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
