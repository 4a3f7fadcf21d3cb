"""The ONNX query encoder: export matches torch, the export cache is reused, the index carries
model.onnx, and the ONNX path never imports torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from encoders import onnx_export
from encoders.embedding import ModelInfo, OnnxEncoder, locate_model
from encoders.onnx_export import CHECK_TEXTS, MIN_COSINE, export_onnx, place_onnx

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "What did Fylde Coast ask of the panel?", "housing and transport", "x",
    "Speakers: Peter Rooney, Chief Operating Officer for NHS North Cumbria CCG",
    "· Data sharing to inform plans; investment in prevention (e.g. mental health standard)",
    "A much longer passage about health equity. " * 40,  # truncated at max_seq_length
] + [f"question number {i} about the commission's work on topic {i * 7}" for i in range(30)]


@pytest.fixture(scope="module")
def exported():
    return export_onnx(locate_model(None))


@pytest.fixture(scope="module")
def onnx_encoder(exported):
    return OnnxEncoder(locate_model(None), exported.path, threads=1)


def test_onnx_matches_torch(encoder, onnx_encoder) -> None:
    ref = encoder.encode(TEXTS)
    got = onnx_encoder.encode(TEXTS)
    assert got.shape == ref.shape == (len(TEXTS), 384)
    assert got.dtype == np.float32
    cos = np.sum(got * ref, axis=1)
    assert cos.min() >= MIN_COSINE, cos.min()
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_single_and_batched_encodings_agree(onnx_encoder) -> None:
    batched = onnx_encoder.encode(TEXTS, batch_size=7)  # padding to the longest in a batch
    single = np.stack([onnx_encoder.encode([t])[0] for t in TEXTS])
    assert np.sum(batched * single, axis=1).min() >= 0.99999


def test_export_records_its_verification(exported) -> None:
    meta = json.loads((exported.path.parent / onnx_export.META_FILE).read_text())
    assert meta["weights_sha256"] == locate_model(None).weights_sha256
    assert meta["min_cosine"] >= MIN_COSINE
    assert meta["texts_checked"] == len(CHECK_TEXTS) >= 24
    assert meta["onnx_bytes"] == exported.path.stat().st_size


def test_cache_is_reused_without_exporting(exported, monkeypatch, tmp_path) -> None:
    def no_export(*args, **kwargs):
        raise AssertionError("exported again although the cache holds this model")

    monkeypatch.setattr(onnx_export, "_export_graph", no_export)
    mtime = exported.path.stat().st_mtime_ns
    again = export_onnx(locate_model(None))
    assert again.cached and again.path == exported.path
    assert again.path.stat().st_mtime_ns == mtime
    placed = place_onnx(locate_model(None), tmp_path)
    assert placed == tmp_path / "model.onnx"
    assert placed.stat().st_size == exported.path.stat().st_size


def test_cache_of_other_weights_is_not_used(exported, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(onnx_export.CACHE_ENV, str(tmp_path))
    info = locate_model(None)
    folder = onnx_export.cache_dir(info)
    shutil.copytree(exported.path.parent, folder)
    assert onnx_export._cached(info) is not None
    meta_path = folder / onnx_export.META_FILE
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps(meta | {"weights_sha256": "0" * 64}))
    assert onnx_export._cached(info) is None
    meta_path.write_text(json.dumps(meta | {"onnx_bytes": meta["onnx_bytes"] - 1}))
    assert onnx_export._cached(info) is None  # truncated file


def test_verification_detects_a_different_model(exported) -> None:
    info = locate_model(None)
    wrong = np.random.default_rng(0).standard_normal((len(CHECK_TEXTS), info.dim))
    wrong /= np.linalg.norm(wrong, axis=1, keepdims=True)
    assert onnx_export.verify(info, exported.path, wrong.astype(np.float32)) < MIN_COSINE


def test_failed_export_warns_and_leaves_torch(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(onnx_export.CACHE_ENV, str(tmp_path / "cache"))
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    info = replace(locate_model(None), path=empty, weights_sha256="f" * 64)
    with pytest.warns(RuntimeWarning, match="queries will use torch"):
        assert place_onnx(info, tmp_path) is None
    assert not (tmp_path / "model.onnx").exists()


def test_encoder_rejects_bad_arguments(tmp_path) -> None:
    from core.errors import ModelError

    with pytest.raises(ModelError, match="no ONNX model"):
        OnnxEncoder(locate_model(None), tmp_path / "missing.onnx")


def test_index_carries_the_onnx_model(built_index) -> None:
    from index import store

    gen = store.resolve(built_index)
    manifest = store.read_manifest(gen)  # model.onnx is hashed like every index file
    assert (gen / "model.onnx").is_file()
    assert "model.onnx" in manifest.data["files"]


def test_onnx_query_path_does_not_import_torch(built_index) -> None:
    code = f"""
import sys, json
from index.retriever import load
from qa_service.app import create_app
r = load({str(built_index)!r})
hits = r.search("What did Fylde Coast ask of the panel?", k=3)
print(json.dumps({{"encoder": type(r.encoder).__name__, "hits": len(hits),
                  "torch": "torch" in sys.modules,
                  "st": "sentence_transformers" in sys.modules,
                  "transformers": "transformers" in sys.modules}}))
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"encoder": "OnnxEncoder", "hits": 3, "torch": False, "st": False,
                      "transformers": False}


def test_onnx_and_torch_retrieve_the_same_passages(built_index, encoder) -> None:
    from index.retriever import load

    with_onnx = load(built_index)
    with_torch = load(built_index, encoder=encoder)
    assert isinstance(with_onnx.encoder, OnnxEncoder)
    for q in TEXTS[:5]:
        a = [h.chunk.id for h in with_onnx.search(q, k=5)]
        b = [h.chunk.id for h in with_torch.search(q, k=5)]
        assert a == b, q


def test_model_info_is_what_the_encoder_reports(onnx_encoder) -> None:
    assert isinstance(onnx_encoder.info, ModelInfo)
    assert onnx_encoder.info.dim == onnx_encoder.encode(["dim"]).shape[1]
