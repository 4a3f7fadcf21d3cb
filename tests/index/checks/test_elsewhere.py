"""The best passage must be from the section, meeting or speaker the question names."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.elsewhere import Elsewhere, elsewhere


def test_the_best_passage_from_another_place_or_meeting() -> None:
    top = hit("· 42% of children live in households on universal credit", "Harbourside").chunk
    assert "Riverside" in elsewhere(mentions("x", sections={"Riverside"}), top)
    assert elsewhere(mentions("x", sections={"Harbourside"}), top) is None
    assert "another meeting" in elsewhere(mentions("x", documents={"workshop"}), top)
    assert elsewhere(mentions("x"), top) is None  # nothing named: nothing to contradict


def test_a_named_speaker_must_be_the_best_passage_s_speaker() -> None:
    q = "What does Sam Okoro think about housing benefit?"
    other = hit("· Housing benefit control", section="Harbourside")
    his = hit("· Housing benefit control", section="Harbourside", speakers=("Ann Lee", "Sam Okoro"))
    found = mentions(q, speakers={"Sam Okoro"})
    assert "Sam Okoro" in Elsewhere().check(context(q, [other], found))
    assert Elsewhere().check(context(q, [his], found)) is None
    who = mentions(q, speakers={"Sam Okoro"}, intents={"speakers"})
    assert Elsewhere().check(context(q, [other], who)) is None  # "who is X": any passage may say


def test_the_meeting_details_of_the_meeting_named_answer_when_questions() -> None:
    details = hit("Panel Meeting\nMonday 6 June 2022", section="Meeting details",
                  role="meeting-details", section_kind="preamble", doc="panel")
    q = "When did Riverside present?"
    found = mentions(q, sections={"Riverside"}, intents={"when"},
                     section_documents=frozenset({"panel"}))
    assert elsewhere(found, details.chunk) is None  # the details of the place's meeting
    other = mentions(q, sections={"Riverside"}, intents={"when"},
                     section_documents=frozenset({"workshop"}))
    assert "another meeting" in elsewhere(other, details.chunk)
    # a passage that merely has the preamble's name is not the meeting details
    plain = hit("Panel Meeting\nMonday 6 June 2022", section="Meeting details")
    assert elsewhere(found, plain.chunk) is not None


def test_a_kind_of_meeting_named_confines_the_answer_to_meetings_of_that_kind() -> None:
    board = hit("Chair: Ada Okon", section="Attendance", role="attendance", doc="board").chunk
    panels = mentions("Who chaired the panel meeting?", kind_documents=frozenset({"p1", "p2"}))
    assert "another kind of meeting" in elsewhere(panels, board)
    assert elsewhere(panels, hit("· housing", doc="p2").chunk) is None
