"""An index built with a local model folder (``ingest --model-dir``) is loaded with the same
folder (``load(model_dir=…)``, ``COMMISSION_QA_MODEL_DIR``, ``--model-dir`` of serve/ask/eval),
and refused without it, with an error that says how to load it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from commission_qa.cli import app as cli
from core.errors import IndexMismatch
from encoders.embedding import packaged_model_dir
from index import store
from index.retriever import load
from qa_service.app import create_app
from qa_service.settings import Settings

QUESTION = "What did Pennine Lancashire ask of the panel about governance?"


@pytest.fixture()
def local_model(tmp_path: Path) -> Path:
    """The packaged model's files under another folder name: a "local:" model to ingest."""
    folder = tmp_path / "my-model"
    folder.mkdir()
    for item in packaged_model_dir().iterdir():
        (folder / item.name).symlink_to(item)
    return folder


@pytest.fixture()
def local_index(tmp_path: Path, built_index: Path, local_model: Path) -> Path:
    """The sample index as ``ingest --model-dir <local_model>`` records it in the manifest (same
    weights, so the vectors are the same; only the model's name says "local:")."""
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    index = tmp_path / "ix" / built_index.name
    manifest = store.resolve(index) / store.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["model"]["name"] = f"local:{local_model.name}"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    return index


def test_local_model_index_is_refused_without_its_folder_and_says_how(local_index):
    with pytest.raises(IndexMismatch, match="--model-dir"):
        load(local_index)


def test_local_model_index_loads_with_its_folder(local_index, local_model, retriever):
    r = load(local_index, model_dir=local_model)
    assert r.manifest.data["model"]["name"] == "local:my-model"
    got = [h.chunk.id for h in r.search(QUESTION, 3)]
    assert got == [h.chunk.id for h in retriever.search(QUESTION, 3)]


def test_packaged_index_is_refused_with_a_local_folder(built_index, local_model):
    with pytest.raises(IndexMismatch, match="name="):
        load(built_index, model_dir=local_model)


def test_local_folder_with_other_weights_is_refused(local_index, local_model):
    weights = local_model / "model.safetensors"
    data = weights.read_bytes()
    weights.unlink()  # a copy, not the packaged file behind a link
    weights.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(IndexMismatch, match="weights_sha256"):
        load(local_index, model_dir=local_model)


def test_service_serves_a_local_model_index_from_settings(local_index, local_model):
    with TestClient(create_app(Settings(index_dir=local_index, model_dir=local_model))) as c:
        assert c.get("/readyz").status_code == 200
        r = c.post("/v1/ask", json={"question": QUESTION, "k": 1})
        assert r.status_code == 200 and r.json()["passages"]
    with TestClient(create_app(Settings(index_dir=local_index))) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503 and "--model-dir" in ready.json()["error"]


def test_ask_command_takes_the_model_folder(local_index, local_model):
    runner = CliRunner()
    refused = runner.invoke(cli, ["ask", QUESTION, "--index-dir", str(local_index)])
    assert refused.exit_code == 3 and "--model-dir" in " ".join(refused.output.split())
    ok = runner.invoke(cli, ["ask", QUESTION, "--index-dir", str(local_index),
                             "--model-dir", str(local_model), "-k", "1"])
    assert ok.exit_code == 0, ok.output
    assert "answerable: True" in ok.output and "1. " in ok.output
