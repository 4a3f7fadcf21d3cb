"""The LangChain-style baseline: chunks are exact slices of the text; search ranks by cosine."""

from __future__ import annotations

import itertools

import pytest

from core.records import Document
from eval.baselines import CHUNK_OVERLAP, CHUNK_SIZE, LangchainBaseline, RrfBaseline, split_documents
from eval.systems import RetrieverSystem, deep_search


def doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", title=doc_id, date=None, text=text,
                    sections=(), content_hash=doc_id)


def test_split_keeps_offsets_and_sizes(sample_paths):
    docs = [doc(p.stem, p.read_text(encoding="utf-8")) for p in sample_paths]
    passages = split_documents(docs)
    texts = {d.id: d.text for d in docs}
    assert len(passages) > len(docs)
    for p in passages:
        assert texts[p.document_id][p.start:p.end] == p.text
        assert 0 < len(p.text) <= CHUNK_SIZE
    # consecutive chunks of one document advance, and overlap by at most the configured overlap
    same = [(a, b) for a, b in itertools.pairwise(passages) if a.document_id == b.document_id]
    assert same and all(a.start < b.start and a.end - b.start <= CHUNK_OVERLAP for a, b in same)
    assert any(b.start < a.end for a, b in same)


def test_baseline_search_ranks_the_matching_chunk_first(encoder):
    docs = [doc("a", "Bananas are yellow fruit rich in potassium. " * 3),
            doc("b", "Steam locomotives pulled passenger trains across the country. " * 3)]
    baseline = LangchainBaseline.build(docs, encoder)
    got = baseline.retrieve("which trains did steam locomotives pull", 5)
    assert got.answerable is None and len(got.passages) == len(baseline.collection()) == 2
    assert got.passages[0].document_id == "b"


def test_deep_search_goes_beyond_the_service_cap(retriever):
    from core.errors import InvalidQuery

    n, cap = len(retriever.chunks), retriever.config.max_k
    depth = min(n, cap + 10)
    hits = deep_search(retriever, "health equity", depth)
    assert len(hits) > cap or len(hits) == n
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert retriever.config.max_k == cap  # the shared retriever keeps the service's cap
    with pytest.raises(InvalidQuery):
        retriever.answer("health equity", cap + 1)


def test_retriever_system_modes_have_flags_only_for_the_project(retriever):
    project = RetrieverSystem("project", retriever)
    dense = RetrieverSystem("dense", retriever, "dense")
    assert project.retrieve("health equity", 3).answerable is not None
    assert dense.retrieve("health equity", 3).answerable is None
    assert dense.retriever.config.mode == "dense" and dense.retriever is not retriever
    assert len(project.collection()) == len(retriever.chunks)


def test_rrf_baseline_fuses_bm25_and_dense_ranks(encoder):
    # "zxq-417" is a code only BM25 can match; the locomotive text is what dense finds
    docs = [doc("a", "Bananas are yellow fruit rich in potassium. " * 3),
            doc("b", "Steam locomotives pulled passenger trains across the country. " * 3),
            doc("c", "The form zxq-417 is filed by the clerk every quarter. " * 3)]
    base = LangchainBaseline.build(docs, encoder)
    rrf = RrfBaseline(base.passages, base.index, base.encoder)
    assert rrf.name == "rrf" and base.name == "langchain" and rrf.has_flag is False
    got = rrf.retrieve("which trains did steam locomotives pull", 3)
    assert got.passages[0].document_id == "b" and got.answerable is None
    # a passage found by both lists scores 2/(60+1); one found by dense alone at best 1/(60+1)
    coded = rrf.retrieve("zxq-417", 3)
    assert coded.passages[0].document_id == "c"
    assert len(rrf.retrieve("potassium", 1).passages) == 1
    assert RrfBaseline([], base.index, base.encoder).retrieve("anything", 3).passages == ()
