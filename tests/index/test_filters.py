"""Filters (Retriever.allowed): the vectorised mask against a plain reference, and in search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.errors import InvalidQuery
from core.records import Filters


def _reference(chunks, f: Filters) -> np.ndarray:
    """The documented meaning of each filter, one passage at a time."""
    out = []
    for c in chunks:
        ok = True
        if f.document_id and c.document_id != f.document_id:
            ok = False
        if f.section and c.section.casefold() != f.section.strip().casefold():
            ok = False
        if f.speaker and not any(f.speaker.strip().casefold() in s.casefold() for s in c.speakers):
            ok = False
        if f.date_from and (c.date is None or c.date < f.date_from):
            ok = False
        if f.date_to and (c.date is None or c.date > f.date_to):
            ok = False
        out.append(ok)
    return np.array(out, dtype=bool)


def test_the_mask_equals_the_reference_for_many_combinations(retriever) -> None:
    chunks = retriever.chunks
    docs = sorted({c.document_id for c in chunks})
    dates = sorted({c.date for c in chunks if c.date})
    values = {
        "document_id": [None, docs[0], "no-such-document"],
        "section": [None, "fylde coast", "  Pennine Lancashire ", "Nowhere"],
        "speaker": [None, "hodgson", "Steve Fogg", "  ", "e", "nobody at all", "\x1f"],
        "date_from": [None, dates[0], "2021-11-05", "2030-01-01"],
        "date_to": [None, dates[-1], "2021-11-30"],
    }
    checked = 0
    for combo in itertools.product(*values.values()):
        f = Filters(**dict(zip(values, combo, strict=True)))
        if f.is_empty() or (f.date_from and f.date_to and f.date_from > f.date_to):
            continue
        np.testing.assert_array_equal(retriever.allowed(f), _reference(chunks, f), err_msg=str(f))
        checked += 1
    assert checked > 300
    some = retriever.allowed(Filters(section="Fylde Coast"))
    assert 0 < some.sum() < len(chunks)  # the combinations above are not all trivial


def test_no_filter_is_no_mask_and_reversed_dates_are_refused(retriever) -> None:
    assert retriever.allowed(None) is None
    assert retriever.allowed(Filters()) is None
    with pytest.raises(InvalidQuery):
        retriever.allowed(Filters(date_from="2021-12-31", date_to="2021-01-01"))


def test_search_keeps_to_the_filter(retriever) -> None:
    hits = retriever.search("what are the challenges?", 10, Filters(speaker="Fogg"))
    assert hits and all(any("Fogg" in s for s in h.chunk.speakers) for h in hits)
