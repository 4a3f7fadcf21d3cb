"""What a meeting did needs a record of the act: a passage of that role, or notes reporting it."""

from __future__ import annotations

import pytest
from hand_made import context, hit, mentions

from index.checks.no_proceedings import NoProceedings

NOTES = hit("· Governance arrangements feel like a burden", rank=1)


def _reason(q: str, hits) -> str | None:
    return NoProceedings().check(context(q, hits))


@pytest.mark.parametrize(("question", "asks_for_proceedings"), [
    ("Who chaired the panel meeting?", True),
    ("Who facilitated the workshop?", True),
    ("What did the commission decide at the end of the meeting?", True),
    ("Which ICB board members signed off the plan?", True),
    ("What was agreed at the workshop?", True),
    ("Who chairs the Riverside Partnership?", False),  # a title, asked of a partnership
    ("Who are the joint chairs of Bay Health Partners?", False),
    ("What did Riverside ask the panel to decide?", False),  # what it was asked to do
    ("Did anyone propose letting citizens vote on how money is allocated?", False),
    ("What did the panel hear about governance?", False),
    ("Which idea did the members vote to take forward?", True),
    ("Which idea did the trustees vote to take forward?", True),  # whoever votes, as a body
    ("What did residents say about the vote?", False),
    ("How did the panel respond to North Vale's question?", True),
    ("What was the outcome of the local government reorganisation decision?", True),
    ("Was there a vote on the 1% budget proposal?", True),
    ("What was the result of the vote on the plan?", True),
    ("Were apologies recorded at the panel meeting?", True),
    ("Was the board quorate?", True),
    ("action log - who owns the agreed actions and by when", True),
])
def test_questions_for_what_a_meeting_did(question: str, asks_for_proceedings: bool) -> None:
    reason = _reason(question, [NOTES])
    assert (reason is not None) == asks_for_proceedings, reason


@pytest.mark.parametrize(("record", "is_record"), [
    (hit("· The panel agreed to fund the pilot", rank=3), True),
    (hit("Chaired by Jane Smith", rank=3), True),
    (hit("· A decision was made to meet again", rank=3), True),
    (hit("· The plan was signed off by the ICB board", rank=3), True),
    (hit("3.4 The Board approved option A", role="decision", rank=3), True),
    (hit("3.5 For 7, against 2, abstentions 1", role="vote", rank=3), True),
    (hit("Publish the prospectus — Owner: Jo Bell — Due: 30 June", role="action", rank=3), True),
    (hit("Apologies:\nJane Smith\nJohn Brown", role="attendance", section_kind="attendance", rank=3), True),
    (hit("Board meeting\n9 May 2022", role="meeting-details", speakers=("Ada Okon",), rank=3), True),
    (hit("Speakers: Sam Fogg, Chair of the Harbourside Partnership", role="speakers", rank=3), False),
    (hit("Board meeting\n9 May 2022", role="meeting-details", rank=3), False),
    (hit("· Budgets devolved to the priorities decided by communities", rank=3), False),
    (hit("· All sectors in partnership led by independent", rank=3), False),
    (hit("· Agreed and multifaceted case for change needed", rank=3), False),
    (hit("· Decisions: none recorded", rank=3), False),  # a label in the notes is not a role
])
def test_a_record_of_the_act_in_the_best_three_is_needed(record, is_record: bool) -> None:
    q = "What did the panel decide?"
    hits = [NOTES, hit("· Promote the work of Harbourside", rank=2), record]
    assert (_reason(q, hits) is None) == is_record
    assert _reason(q, hits[:2] + [NOTES] * 2 + hits[2:]) is not None  # 4th: too far down


def test_the_record_must_be_of_the_meeting_named_and_about_what_was_asked() -> None:
    vote = hit("3.5 The vote was: for 7, against 2", role="vote", doc="board", rank=1)
    q = "How did the vote on the grants go?"
    in_section = hit("3.5 The vote was: for 7, against 2", section="3. Grants 2022/23", role="vote")
    assert _reason(q, [in_section]) is None  # its heading says what the vote was on
    assert _reason("Was there a vote on the 1% budget proposal?", [in_section]) is not None
    assert _reason("Was there a vote?", [vote]) is None  # nothing more asked
    chaired = "Who chaired the Riverside Trust meeting?"
    chair = hit("Chair: Ada Okon", role="attendance", section_kind="attendance", doc="board")
    assert _reason(chaired, [chair]) is not None  # the name asked about is not in it
    found_elsewhere = context("Who chaired the workshop?", [chair],
                              mentions("Who chaired the workshop?", documents={"workshop"}))
    assert NoProceedings().check(found_elsewhere) is not None  # another meeting's record
    found_here = context("Who chaired the workshop?", [chair],
                         mentions("Who chaired the workshop?", documents={"board"}))
    assert NoProceedings().check(found_here) is None


def test_a_heading_of_the_record_s_acts_records_them() -> None:
    agreed = hit("· Open one surgery until 8pm", section="Agreed priorities")
    assert _reason("What priorities did the workshop agree?", [agreed]) is None
    heard = hit("· Open one surgery until 8pm", section="What residents told us")
    assert _reason("What priorities did the workshop agree?", [heard]) is not None


def test_a_month_is_not_a_name_the_record_must_hold() -> None:
    apologies = hit("Apologies:\nMarcus Bell, Chief Executive", section="Attendance", role="attendance",
                    section_kind="attendance")
    assert _reason("Who sent apologies to the board on 9 May 2022?", [apologies]) is None


@pytest.mark.parametrize(("record", "answered"), [
    (hit("Riverside\nSpeakers: Ann Hale, Chair; Jo Bell, GP", section="Riverside", role="speakers"), True),
    (hit("Present:\nAnn Hale (Riverside Council)\nJo Bell", section="Attendance", role="attendance",
         section_kind="attendance"),
     True),
    (hit("Riverside event\nMonday 6 June 2022", section="Meeting details", role="meeting-details"), False),
    (hit("· Councillors should attend more events", section="Riverside"), False),
])
def test_who_attended_needs_a_list_of_those_there(record, answered: bool) -> None:
    q = "Who attended for Riverside?"
    assert (_reason(q, [record]) is None) == answered
