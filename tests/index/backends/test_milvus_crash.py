"""Publishing on Milvus: a re-ingest reuses the stored vectors and keeps two generations'
collections; an ingest interrupted before or after the link swap leaves the published
generation serving (and its alias) and the next ingest drops the orphans and repairs the alias."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import store
from index.backends import milvus_writer
from index.retriever import load
from ingest.pipeline import IngestOptions, ingest
from tests.records import ISLAND

MILVUS = IngestOptions(backend="milvus")
QUESTIONS = ["Which sectors should be involved in a health equity system?",
             "How should the page render markup?", "ferry timetables and island clinics"]
EXTRA = ISLAND


def answers(index: Path, encoder) -> list[list[tuple[str, int, int]]]:
    r = load(index, encoder=encoder)
    docs = {d.id: d.source for d in r.documents.values()}
    return [[(docs[h.chunk.document_id], h.chunk.start, h.chunk.end) for h in r.search(q, k=3)]
            for q in QUESTIONS]


def state(index: Path) -> tuple[dict, str, list[str]]:
    """(published record, the collection the alias names, the alias's generation collections)."""
    r = load(index, verify=False)  # the encoder is not needed to read what Milvus holds
    record = r.manifest.data["backend"]
    client = r.backend.client
    alias = client.describe_alias(record["alias"])["collection_name"]
    names = sorted(n for n in client.list_collections() if n.startswith(record["alias"] + "_g"))
    return record, alias, names


@pytest.fixture()
def small(tmp_path, corpus_dir) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(corpus_dir.glob("*.txt")):
        if "panel-meeting" not in p.name:  # the smaller record plus the script test
            shutil.copy(p, corpus / p.name)
    return corpus, tmp_path / "ix" / "index"


def test_reingest_reuses_vectors_and_keeps_two_generations(small, encoder) -> None:
    corpus, index = small
    assert ingest([corpus], index, MILVUS, encoder=encoder).published
    first, alias, names = state(index)
    assert alias == first["collection"] and names == sorted([first["collection"],
                                                            first["units_collection"]])
    (corpus / "2021-03-03_extra.txt").write_text(EXTRA, encoding="utf-8")
    report = ingest([corpus], index, MILVUS, encoder=encoder)
    assert report.published and report.reused > 0  # read back from the old collections
    second, alias, names = state(index)
    assert alias == second["collection"] and first["collection"] in names  # previous kept
    assert answers(index, encoder)[-1][0][0] == "2021-03-03_extra.txt"
    (corpus / "2021-03-03_extra.txt").unlink()
    assert ingest([corpus], index, MILVUS, encoder=encoder).published
    third, alias, names = state(index)
    assert alias == third["collection"] and len(names) == 4  # two generations, two collections
    assert first["collection"] not in names and second["collection"] in names


@pytest.mark.parametrize("where", ["before_publish", "before_alias_switch"])
def test_interrupted_ingest_leaves_the_published_generation(small, encoder, monkeypatch, where):
    corpus, index = small
    assert ingest([corpus], index, MILVUS, encoder=encoder).published
    before_gen, before = store.resolve(index), answers(index, encoder)
    record, _, _ = state(index)
    (corpus / "2021-03-03_extra.txt").write_text(EXTRA, encoding="utf-8")

    class Crash(RuntimeError):
        pass

    real_published = milvus_writer.MilvusWriter.published

    def crash(*args, **kwargs):
        raise Crash(where)

    def crash_on_the_new_one(self, rec):  # (the old one is re-pointed before each build)
        if rec["collection"] != record["collection"]:
            raise Crash(where)
        return real_published(self, rec)

    if where == "before_publish":  # collections written, the folder not published
        monkeypatch.setattr(store, "publish", crash)
    else:  # the link swapped, the alias not yet
        monkeypatch.setattr(milvus_writer.MilvusWriter, "published", crash_on_the_new_one)
    with pytest.raises(Crash):
        ingest([corpus], index, MILVUS, encoder=encoder)
    monkeypatch.undo()

    _, alias, names = state(index)
    assert alias == record["collection"]  # the alias never moved
    assert len(names) == 4  # the new collections exist, orphans until the next ingest
    if where == "before_publish":
        assert store.resolve(index) == before_gen and answers(index, encoder) == before
    else:  # the folder was published: it serves its own collections, whatever the alias says
        assert store.resolve(index) != before_gen
        assert answers(index, encoder)[-1][0][0] == "2021-03-03_extra.txt"

    report = ingest([corpus], index, MILVUS, encoder=encoder)  # finishes or repairs the job
    assert report.exit_code == 0
    now, alias, names = state(index)
    assert alias == now["collection"] and now["collection"] != record["collection"]
    kept = {record["collection"], record["units_collection"], now["collection"],
            now["units_collection"]}
    assert set(names) <= kept  # the orphaned build's collections are gone
    assert answers(index, encoder)[-1][0][0] == "2021-03-03_extra.txt"
