"""JSON (de)serialisation of documents for ``documents.jsonl`` (no pickle anywhere)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from core.records import Block, Document, Section, Speaker


def document_to_json(doc: Document) -> dict[str, Any]:
    return asdict(doc)


def _section(d: dict[str, Any]) -> Section:
    return Section(
        name=d["name"], kind=d["kind"], start=d["start"], end=d["end"],
        heading_start=d["heading_start"], heading_end=d["heading_end"],
        speakers=tuple(Speaker(**s) for s in d["speakers"]),
        speakers_span=tuple(d["speakers_span"]) if d["speakers_span"] else None,
        blocks=tuple(Block(**b) for b in d["blocks"]),
        children=tuple(_section(c) for c in d["children"]),
    )


def document_from_json(d: dict[str, Any]) -> Document:
    return Document(**{**d, "sections": tuple(_section(s) for s in d["sections"])})
