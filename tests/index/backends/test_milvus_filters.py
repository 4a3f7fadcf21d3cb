"""Filters on Milvus: each filter's expression selects, in the Milvus collection, exactly the
passages the retriever's mask allows; searches under a filter never leave it."""

from __future__ import annotations

import itertools

import numpy as np

from core.records import Filters
from index.backends.milvus_filters import expression


def _rows(backend, expr: str) -> np.ndarray:
    got = backend.client.query(backend.passages, filter=expr, output_fields=["row"], limit=16384)
    return np.array(sorted(int(g["row"]) for g in got), dtype=np.int64)


def test_expressions_select_exactly_the_masked_passages(retriever, milvus_retriever) -> None:
    chunks = retriever.chunks
    docs = sorted({c.document_id for c in chunks})
    dates = sorted({c.date for c in chunks if c.date})
    values = {
        "document_id": [None, docs[0], 'no "such" document'],
        "section": [None, "fylde coast", "  Pennine Lancashire "],
        "speaker": [None, "hodgson", "Steve Fogg", "e", "50%", "a_b", "  ", "back\\slash"],
        "date_from": [None, dates[0], "2021-11-05"],
        "date_to": [None, dates[-1]],
        "role": [None, sorted({c.role for c in chunks})[0]],
    }
    checked = nonempty = 0
    backend = milvus_retriever.backend
    for combo in itertools.product(*values.values()):
        f = Filters(**dict(zip(values, combo, strict=True)))
        if f.is_empty() or (f.date_from and f.date_to and f.date_from > f.date_to):
            continue
        expr, exact = expression(f)
        assert exact and expr
        want = np.flatnonzero(retriever.allowed(f))
        np.testing.assert_array_equal(_rows(backend, expr), want, err_msg=f"{f} -> {expr}")
        checked += 1
        nonempty += len(want) > 0
    assert checked > 300 and nonempty > 50


def test_a_speaker_of_whitespace_only_keeps_to_the_mask(retriever, milvus_retriever) -> None:
    f = Filters(speaker="\x1f")  # stripped to nothing: every passage with speakers
    mask = retriever.allowed(f)
    assert mask.any() and not mask.all()
    qv = retriever.encode_query("who spoke at the panel?")
    rows, _ = milvus_retriever.backend.dense(qv, 30, mask, f)
    local_rows, _ = retriever.backend.dense(qv, 30, mask, f)
    assert rows.tolist() == local_rows.tolist() and mask[rows].all()


def test_search_under_a_filter_returns_only_allowed_passages(milvus_retriever) -> None:
    hits = milvus_retriever.search("what are the challenges?", 10, Filters(speaker="Fogg"))
    assert hits and all(any("Fogg" in s for s in h.chunk.speakers) for h in hits)
    assert milvus_retriever.search("budgets", 5, Filters(section="Nowhere at all")) == []
