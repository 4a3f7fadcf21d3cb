"""A damaged or foreign index is refused with a clear error, and the service then says it is not
ready (503) instead of answering from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.errors import IndexCorrupt, IndexMismatch, IndexNotFound
from index import store
from index.retriever import load
from qa_service.app import create_app
from qa_service.settings import Settings


@pytest.fixture()
def index_copy(tmp_path: Path, built_index: Path) -> Path:
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    return tmp_path / "ix" / built_index.name


def gen_of(index: Path) -> Path:
    return store.resolve(index)


def truncate_faiss(index: Path) -> None:
    f = gen_of(index) / store.FAISS_FILE
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def flip_byte_in_chunks(index: Path) -> None:
    """Same size, different content: only the sha256 tells."""
    f = gen_of(index) / store.CHUNKS_FILE
    data = bytearray(f.read_bytes())
    i = data.index(b'"text": "') + 9
    data[i] = ord("X") if data[i] != ord("X") else ord("Y")
    f.write_bytes(bytes(data))


def edit_manifest(index: Path, **model) -> None:
    f = gen_of(index) / store.MANIFEST
    data = json.loads(f.read_text(encoding="utf-8"))
    data["model"].update(model)
    f.write_text(json.dumps(data), encoding="utf-8")


def test_truncated_faiss_is_corrupt(index_copy, encoder):
    truncate_faiss(index_copy)
    with pytest.raises(IndexCorrupt, match="index.faiss"):
        load(index_copy, encoder=encoder)
    with pytest.raises(IndexCorrupt, match="cannot be read"):  # even without hash checks
        load(index_copy, encoder=encoder, verify=False)


def test_hash_mismatch_is_corrupt(index_copy, encoder):
    flip_byte_in_chunks(index_copy)
    with pytest.raises(IndexCorrupt, match="does not match the manifest"):
        load(index_copy, encoder=encoder)


def test_missing_file_is_corrupt(index_copy, encoder):
    (gen_of(index_copy) / store.UNITS_FILE).unlink()
    with pytest.raises(IndexCorrupt, match="missing"):
        load(index_copy, encoder=encoder)


def test_unreadable_manifest_is_corrupt(index_copy, encoder):
    (gen_of(index_copy) / store.MANIFEST).write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="unreadable"):
        load(index_copy, encoder=encoder)


@pytest.mark.parametrize("model", [{"name": "sentence-transformers/all-mpnet-base-v2"},
                                   {"dim": 768}, {"weights_sha256": "0" * 64}])
def test_other_model_is_mismatch(index_copy, encoder, model):
    edit_manifest(index_copy, **model)
    key = next(iter(model))
    with pytest.raises(IndexMismatch, match=key):
        load(index_copy, encoder=encoder)


def test_other_format_version_is_mismatch(index_copy, encoder):
    f = gen_of(index_copy) / store.MANIFEST
    data = json.loads(f.read_text(encoding="utf-8"))
    data["format_version"] = store.FORMAT_VERSION + 1
    f.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="format"):
        load(index_copy, encoder=encoder)


def test_link_to_unfinished_build_is_refused(index_copy, encoder):
    tmp = store.generations_dir(index_copy) / "tmp-unfinished"
    shutil.copytree(gen_of(index_copy), tmp)
    index_copy.unlink()
    index_copy.symlink_to(tmp.relative_to(index_copy.parent))
    with pytest.raises(IndexCorrupt, match="unfinished"):
        load(index_copy, encoder=encoder)


def test_missing_index_is_not_found(tmp_path, encoder):
    with pytest.raises(IndexNotFound, match="commission-qa ingest"):
        load(tmp_path / "nothing", encoder=encoder)


@pytest.mark.parametrize("damage", ["truncate", "hash", "model"])
def test_service_not_ready_on_bad_index(index_copy, encoder, damage):
    {"truncate": truncate_faiss, "hash": flip_byte_in_chunks,
     "model": lambda ix: edit_manifest(ix, dim=768)}[damage](index_copy)
    app = create_app(Settings(index_dir=index_copy), encoder=encoder)
    with TestClient(app) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["ready"] is False
        assert ready.json()["error"]
        r = c.post("/v1/ask", json={"question": "governance"})
        assert r.status_code == 503
        assert r.json()["error"]["code"] == "not_ready"
        assert set(r.json()["error"]) == {"code", "message", "details"}
        assert c.get("/v1/documents").status_code == 503


def test_reload_onto_bad_index_keeps_serving_the_good_one(index_copy, encoder):
    app = create_app(Settings(index_dir=index_copy, api_key="k"), encoder=encoder)
    with TestClient(app, headers={"X-API-Key": "k"}) as c:  # admin reload needs the key
        good = c.post("/v1/ask", json={"question": "governance asks"}).json()
        gen = gen_of(index_copy)
        # a new generation that is damaged, published by swapping the link
        bad = store.generations_dir(index_copy) / "20990101T000000-damaged"
        shutil.copytree(gen, bad)
        (bad / store.FAISS_FILE).write_bytes(b"\x00" * 16)
        index_copy.unlink()
        index_copy.symlink_to(bad.relative_to(index_copy.parent))
        r = c.post("/v1/admin/reload")
        assert r.status_code == 200
        assert r.json()["index"]["generation"] == gen.name  # still the good one
        assert c.post("/v1/ask", json={"question": "governance asks"}).json() == good
        ready = c.get("/readyz")  # ready on the good index, and saying why the new one is not
        assert ready.status_code == 200 and ready.json()["ready"] is True
        assert ready.json()["index"]["generation"] == gen.name
        assert ready.json()["error"] and r.json()["error"] == ready.json()["error"]
        # once the link points at a good generation again, the reload succeeds and clears it
        index_copy.unlink()
        index_copy.symlink_to(gen.relative_to(index_copy.parent))
        bad_name = bad.name
        shutil.rmtree(bad)
        assert c.post("/v1/admin/reload").json()["error"] is None
        assert c.get("/readyz").json()["error"] is None
        assert bad_name not in c.get("/readyz").text
