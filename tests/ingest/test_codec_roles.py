"""documents.jsonl and chunks.jsonl keep every new field (layout, section kinds, block roles,
attendee status, chunk kind and role); records written before these fields load with defaults."""

from __future__ import annotations

import json

from core.records import Chunk
from index.codec import document_from_json, document_to_json
from ingest.chunking import chunk_document
from ingest.layouts.registry import parse
from tests.ingest.layout_records import MINUTES


def test_documents_and_chunks_round_trip_with_roles():
    doc = parse(MINUTES, "m.txt")
    again = document_from_json(json.loads(json.dumps(document_to_json(doc))))
    assert again == doc
    assert again.layout == "minutes"
    assert again.sections[0].speakers[0].status == "chair"
    assert {b.role for b in again.sections[2].blocks} >= {"decision", "vote", "action"}
    chunks = chunk_document(doc)
    assert [Chunk.from_json(json.loads(json.dumps(c.to_json()))) for c in chunks] == chunks
    assert {c.role for c in chunks} >= {"meeting-details", "attendance", "decision", "vote",
                                        "action", "table"}


def test_records_without_the_new_fields_load_with_defaults():
    doc = parse(MINUTES, "m.txt")
    old = document_to_json(doc)
    del old["layout"]
    for section in old["sections"]:
        for block in section["blocks"]:
            del block["role"]
        for person in section["speakers"]:
            del person["status"]
    loaded = document_from_json(old)
    assert loaded.layout == "generic"
    assert {b.role for s in loaded.sections for b in s.blocks} == {"body"}
    assert loaded.sections[0].speakers[0].status is None
    chunk = chunk_document(doc)[0].to_json()
    del chunk["role"], chunk["section_kind"]
    assert (Chunk.from_json(chunk).role, Chunk.from_json(chunk).section_kind) == ("body", "body")
