"""Filters as Milvus boolean expressions over the passages collection's scalar fields.

Each field means what ``Retriever.allowed`` means: ``document_id`` and ``role`` exactly,
``section`` exactly after trimming and case folding (the field holds the folded section),
``speaker`` a substring of one speaker's folded name (the field holds the names joined by
``index.columns.SEP``: a pattern without that character never spans two names), dates as ISO
strings compared as strings (a passage without a date passes no date filter).

``expression`` says whether it is exact: a filter it cannot express (a field this module does
not know, a speaker with the separator in it) is left out, and the caller keeps to the
retriever's mask by itself.
"""

from __future__ import annotations

import dataclasses

from core.records import Filters
from index.columns import SEP

KNOWN = frozenset({"document_id", "section", "speaker", "date_from", "date_to", "role"})


def quote(value: str) -> str:
    """A Milvus string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expression(filters: Filters | None) -> tuple[str | None, bool]:
    """(expression or None, exact): None when nothing can be expressed."""
    if filters is None or filters.is_empty():
        return None, True
    terms: list[str] = []
    exact = True
    if filters.document_id:
        terms.append(f"document_id == {quote(filters.document_id)}")
    if filters.section:
        terms.append(f"section == {quote(filters.section.strip().casefold())}")
    if filters.speaker:
        who = filters.speaker.strip().casefold()
        if SEP in who:
            exact = False
        elif who:
            terms.append(_speaker_term(who))
        else:  # an empty name is in every name: any passage with speakers
            terms.append('speakers != ""')
    if filters.date_from:
        terms.append(f'date != "" and date >= {quote(filters.date_from)}')
    if filters.date_to:
        terms.append(f'date != "" and date <= {quote(filters.date_to)}')
    if filters.role:
        terms.append(f"role == {quote(filters.role)}")
    unknown = [f.name for f in dataclasses.fields(filters)
               if f.name not in KNOWN and getattr(filters, f.name)]
    if unknown:
        exact = False
    if not terms:
        return None, exact
    return " and ".join(f"({t})" for t in terms), exact


def _speaker_term(who: str) -> str:
    """``speakers`` containing ``who``: escaped for LIKE, then as a string literal."""
    pattern = "%" + who.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return f"speakers like {quote(pattern)}"
