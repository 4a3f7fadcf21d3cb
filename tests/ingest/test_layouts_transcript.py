"""The transcript layout: speaker turns (``Name (role): …``), sections by agenda headings,
speakers per section and per passage."""

from __future__ import annotations

from ingest.chunking import chunk_document
from ingest.layouts.base import split_lines
from ingest.layouts.registry import detect, parse
from ingest.layouts.transcript import turn_of

TRANSCRIPT = """Riverside Health Equity Commission – Public Meeting
Thursday 8 February 2024, 18.30, Riverside Library
Chair: Ann Example, Chair of the Commission

Welcome
ANN EXAMPLE: Good evening and thank you all for coming out on such a cold night to talk with us.
Ann Example (Chair): We have two items tonight and we will take questions from the floor after each.

Cold homes
Bob Sample (Director of Public Health): Last winter we saw 212 more admissions for breathing problems.
Cat Demo, Tenant Representative: People in the tower blocks choose between heating and eating.
Bob Sample (Director of Public Health): We will write to every social landlord about damp by March.
Dan Person: Could the council not just fund the repairs itself rather than writing more letters to landlords?

Next steps
Ann Example (Chair): Thank you everyone, we will publish a note of this meeting within two weeks.
"""


def test_turns_and_what_is_not_a_turn():
    lines = {ln.text: turn_of(ln) for ln in split_lines(TRANSCRIPT) if ln.text}
    assert lines["Chair: Ann Example, Chair of the Commission"] is None  # an attendance line
    assert lines["Welcome"] is None
    cat = lines["Cat Demo, Tenant Representative: People in the tower blocks choose between heating "
                "and eating."]
    assert (cat.name, cat.role) == ("Cat Demo", "Tenant Representative")
    bob = next(t for t in lines.values() if t and t.name == "Bob Sample")
    assert bob.role == "Director of Public Health"
    assert turn_of(split_lines("Decision: the board agreed that the fund should open in spring "
                               "for all groups")[0]) is None


def test_detected_with_sections_and_their_speakers():
    layout, scores = detect(TRANSCRIPT)
    assert layout.name == "transcript" and scores["transcript"] > scores["generic"]
    d = parse(TRANSCRIPT, "meeting.txt")
    assert d.layout == "transcript" and d.date == "2024-02-08"
    names = [s.name for s in d.sections]
    assert names[-3:] == ["Welcome", "Cold homes", "Next steps"]
    cold = d.sections[names.index("Cold homes")]
    assert [(p.name, p.role) for p in cold.speakers] == [
        ("Bob Sample", "Director of Public Health"), ("Cat Demo", "Tenant Representative"),
        ("Dan Person", None)]
    assert d.text[cold.heading_start:cold.heading_end] == "Cold homes"


def test_each_passage_is_attributed_to_the_people_whose_turns_it_holds():
    d = parse(TRANSCRIPT, "meeting.txt")
    chunks = [c for c in chunk_document(d) if c.section == "Cold homes"]
    assert chunks
    for c in chunks:
        assert set(c.speakers) == {n for n in ("Bob Sample", "Cat Demo", "Dan Person")
                                   if n in c.text}
        assert c.text == d.text[c.start:c.end]


def test_a_panel_record_is_not_a_transcript():
    from tests.ingest.layout_records import MINUTES, PANEL, WORKSHOP

    for record in (PANEL, MINUTES, WORKSHOP):
        assert detect(record)[1]["transcript"] == 0.0


def test_an_attendance_list_ends_at_the_first_turn_and_agenda_lines_between_turns_are_heads():
    text = TRANSCRIPT.replace(
        "Chair: Ann Example, Chair of the Commission\n\nWelcome\n",
        "Present:\nAnn Example, Chair of the Commission\nBob Sample, Director of Public Health\n"
        "Apologies: Eve Other\n").replace("\n\nCold homes\n", "\nITEM 2 – COLD HOMES\n")
    d = parse(text, "meeting.txt")
    assert d.layout == "transcript"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("Attendance", "attendance"), ("Proceedings", "body"), ("ITEM 2 – COLD HOMES", "topic"),
        ("Next steps", "closing")]
    assert [p.name for p in d.sections[0].speakers] == ["Ann Example", "Bob Sample", "Eve Other"]
    assert [p.name for p in d.sections[1].speakers] == ["ANN EXAMPLE", "Ann Example"]
    proceedings = d.sections[1]
    assert d.text[proceedings.heading_start:].startswith("ANN EXAMPLE: Good evening")
