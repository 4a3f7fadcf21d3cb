"""Section kinds and roles on every passage, read from the recovered structure."""

from __future__ import annotations

from pathlib import Path

from core.records import ROLES, SECTION_KINDS
from encoders.embedding import locate_model, token_counter
from ingest.chunking import PREAMBLE_SECTION, ChunkerSettings, chunk_document
from ingest.readers import read_text
from ingest.structure import parse

ROOT = Path(__file__).resolve().parents[2] / "data" / "transcripts"
PANEL = ROOT / "2021-12-06_panel-meeting_learning-from-integrated-care-partnerships.txt"
WORKSHOP = ROOT / "2021-11-04_execs-workshop.txt"
COUNT = token_counter(locate_model(None))


def chunks_of(path: Path):
    text, fmt = read_text(path)
    doc = parse(text, path.name, fmt)
    return doc, chunk_document(doc, ChunkerSettings(), COUNT)


def test_every_sample_passage_has_a_known_kind_and_role():
    for path in (PANEL, WORKSHOP):
        _, chunks = chunks_of(path)
        assert all(c.role in ROLES and c.section_kind in SECTION_KINDS for c in chunks)
        details = [c for c in chunks if c.section == PREAMBLE_SECTION]
        assert [(c.role, c.section_kind) for c in details] == [("meeting-details", "preamble")]


def test_panel_roles():
    doc, chunks = chunks_of(PANEL)
    header = next(c for c in chunks if c.text.startswith("Pennine Lancashire\nSpeakers:"))
    assert (header.role, header.section_kind) == ("speakers", "place")
    gov = next(c for c in chunks if "robust governance and delivery system" in c.text)
    assert (gov.role, gov.section_kind) == ("bullet", "place")


def test_workshop_roles():
    doc, chunks = chunks_of(WORKSHOP)
    prompts = [c for c in chunks if c.section_kind == "prompt"]
    assert prompts and all(c.role == "bullet" for c in prompts if "· " in c.text)
    key = [c for c in chunks if c.section == "Key points"]
    assert key and {c.section_kind for c in key} == {"topic"}


def test_minutes_passages_roles_and_attendance_speakers():
    from ingest.layouts.registry import parse as parse_layout
    from tests.ingest.layout_records import MINUTES

    doc = parse_layout(MINUTES, "m.txt")
    chunks = chunk_document(doc, ChunkerSettings(), COUNT)
    attendance = [c for c in chunks if c.section_kind == "attendance"]
    assert attendance and {c.role for c in attendance} == {"attendance"}
    for c in attendance:  # each names only the attendees in its own text, once
        assert c.speakers and all(name in c.text for name in c.speakers)
        assert len(set(c.speakers)) == len(c.speakers)
    named = {n for c in attendance for n in c.speakers}
    assert named == {p.name for p in doc.sections[0].speakers}
    by_role = {c.role: c.text for c in chunks if c.section == "2. Community grants"}
    assert by_role["decision"].startswith("2.2 Decision:")
    assert by_role["vote"] == "2.3 The vote was: For 6, against 1, abstentions 2."
    assert by_role["action"].startswith("Action: Publish the grants prospectus")
