"""The Milvus backend against the local one on the same records, model and questions: the same
passages in the same order, the same highlights and answer decisions, BM25 and dense scores
equal; the manifest records the backend and its collections, and load refuses a mismatch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.errors import IndexMismatch
from core.records import Filters
from index import store

QUESTIONS = [
    "What did Pennine Lancashire ask about governance?", "budgets for prevention",
    "Which sectors should be involved in a health equity system?", "who spoke at the panel?",
    "dental waiting lists in the community", "What should leaders be enabled to do about prevention?",
    "When was the panel meeting held?", "How should the page render markup?",
    "What are the main challenges?", "ferry timetables and island clinics",
]


def _filters(chunks) -> list[Filters | None]:
    docs = sorted({c.document_id for c in chunks})
    dates = sorted({c.date for c in chunks if c.date})
    roles = sorted({c.role for c in chunks})
    return [None, Filters(section="Fylde Coast"), Filters(speaker="fogg"),
            Filters(date_from="2021-11-05"), Filters(date_to=dates[0]), Filters(document_id=docs[0]),
            Filters(role=roles[0]), Filters(section="pennine lancashire", speaker="e"),
            Filters(document_id=docs[-1], date_from=dates[0], date_to=dates[-1])]


def _key(answer):
    return [(h.chunk.id, h.highlights, h.rank) for h in answer.hits], answer.answerable, answer.reason


def test_same_passages_for_the_same_questions_and_filters(retriever, milvus_retriever) -> None:
    assert milvus_retriever.backend.name == "milvus" and retriever.backend.name == "local"
    assert [c.id for c in milvus_retriever.chunks] == [c.id for c in retriever.chunks]
    compared = 0
    for q, f in itertools.product(QUESTIONS, _filters(retriever.chunks)):
        a, b = retriever.answer(q, 10, f), milvus_retriever.answer(q, 10, f)
        assert _key(b) == _key(a), (q, f)
        np.testing.assert_allclose([h.score for h in b.hits], [h.score for h in a.hits], atol=1e-4)
        np.testing.assert_allclose([h.bm25_score for h in b.hits], [h.bm25_score for h in a.hits],
                                   atol=1e-4)
        compared += len(a.hits)
    assert compared > 300  # most combinations find passages


def test_candidates_and_vectors_equal_the_local_ones(retriever, milvus_retriever) -> None:
    local, remote = retriever.backend, milvus_retriever.backend
    n = len(retriever.chunks)
    rows = np.arange(n)
    for q in QUESTIONS:
        a, b = local.sparse(q, 40, None, None), remote.sparse(q, 40, None, None)
        np.testing.assert_allclose(b.of(rows), a.of(rows), rtol=1e-5, atol=1e-5)
        assert set(b.top.tolist()) == set(a.top.tolist())
        qv = retriever.encode_query(q)
        (ia, sa), (ib, sb) = local.dense(qv, 25, None, None), remote.dense(qv, 25, None, None)
        assert ib.tolist() == ia.tolist()
        np.testing.assert_allclose(sb, sa, atol=1e-5)
    np.testing.assert_array_equal(remote.vectors(rows[::7]), local.vectors(rows[::7]))
    units = np.arange(0, int(retriever.unit_offsets[-1]), 5)
    np.testing.assert_array_equal(remote.unit_vectors(units), local.unit_vectors(units))


def test_a_query_without_known_terms_scores_zero(milvus_retriever) -> None:
    s = milvus_retriever.backend.sparse("the of and", 10, None, None)  # stop words only
    assert len(s.top) == 0 and not s.of(np.arange(5)).any()


def test_manifest_records_the_backend_and_the_alias_names_the_published_collections(
        milvus_index, milvus_retriever, encoder) -> None:
    gen = store.resolve(milvus_index)
    record = store.read_manifest(gen).data["backend"]
    assert record["name"] == "milvus" and record["collection"].startswith(record["alias"] + "_g")
    assert record["collection"].endswith(gen.name.replace(".", "_").replace("-", "_"))
    assert not (gen / store.FAISS_FILE).exists() and not (gen / store.UNITS_FILE).exists()
    client = milvus_retriever.backend.client
    assert client.describe_alias(record["alias"])["collection_name"] == record["collection"]
    assert milvus_retriever.backend.describe()["collection"] == record["collection"]
    from index.retriever import load

    with pytest.raises(IndexMismatch, match="backend"):
        load(milvus_index, encoder=encoder, expect_backend="local")
    assert load(milvus_index, encoder=encoder, expect_backend="milvus").backend.name == "milvus"


def test_eval_and_ask_commands_on_milvus(milvus_index, built_index, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from commission_qa.cli import app

    runs = {}
    for name, index in (("milvus", milvus_index), ("local", built_index)):
        out = tmp_path / name
        r = CliRunner().invoke(app, ["eval", "--backend", name, "--index-dir", str(index),
                                     "--no-gate", "--systems", "project", "--out", str(out)])
        assert r.exit_code == 0, r.output
        runs[name] = json.loads((out / "report.json").read_text())["systems"][0]["metrics"]
    assert runs["milvus"] == runs["local"] and runs["milvus"]["recall_at_5"] > 0.5
    refused = CliRunner().invoke(app, ["eval", "--backend", "local", "--index-dir",
                                       str(milvus_index), "--no-gate", "--out", str(tmp_path / "x")])
    assert refused.exit_code == 2 and "backend" in refused.output
    asked = CliRunner().invoke(app, ["ask", "Which sectors should be involved?", "--backend",
                                     "milvus", "--index-dir", str(milvus_index)])
    assert asked.exit_code == 0 and "answerable:" in asked.output
