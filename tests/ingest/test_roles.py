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
