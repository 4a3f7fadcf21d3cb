"""The sample corpus indexed on the Milvus backend (Milvus Lite, a .db folder beside the index),
built once per session like ``built_index`` is on the local backend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def milvus_index(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, built_index: Path,
                 encoder) -> Path:
    """A copy of the local index re-ingested onto Milvus: another backend rebuilds the index,
    from the local generation's vectors (nothing is embedded again)."""
    from ingest.pipeline import IngestOptions, ingest

    folder = tmp_path_factory.mktemp("milvus") / "ix"
    shutil.copytree(built_index.parent, folder, symlinks=True)
    target = folder / built_index.name
    report = ingest([corpus_dir], target, IngestOptions(backend="milvus"), encoder=encoder)
    assert report.exit_code == 0 and report.published, report
    assert report.embedded == 0 and report.reused > 0
    return target


@pytest.fixture(scope="session")
def milvus_retriever(milvus_index: Path, encoder):
    from index.retriever import load

    return load(milvus_index, encoder=encoder)
