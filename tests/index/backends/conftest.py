"""The sample corpus indexed on the Milvus backend (Milvus Lite, a .db folder beside the index),
built once per session like ``built_index`` is on the local backend."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def milvus_index(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, encoder) -> Path:
    from ingest.pipeline import IngestOptions, ingest

    target = tmp_path_factory.mktemp("milvus") / "index"
    report = ingest([corpus_dir], target, IngestOptions(backend="milvus"), encoder=encoder)
    assert report.exit_code == 0 and report.published, report
    return target


@pytest.fixture(scope="session")
def milvus_retriever(milvus_index: Path, encoder):
    from index.retriever import load

    return load(milvus_index, encoder=encoder)
