"""The checks of what a question asks for (index/asks.py) on hand-made passages."""

from __future__ import annotations

import pytest
from hand_made import hit, mentions

from index import asks


@pytest.mark.parametrize(("question", "asks_for_proceedings"), [
    ("Who chaired the panel meeting?", True),
    ("Who facilitated the execs workshop?", True),
    ("What did the commission decide at the end of the meeting?", True),
    ("Which ICB board members signed off the plan?", True),
    ("What was agreed at the workshop?", True),
    ("Who chairs the West Lancashire Partnership?", False),  # a title, asked of a partnership
    ("Who are the joint chairs of Bay Health Partners?", False),
    ("What did Fylde Coast ask the panel to decide?", False),  # what it was asked to do
    ("Did anyone propose letting citizens vote on how money is allocated?", False),
    ("What did the panel hear about governance?", False),
    ("Which Nearpod idea did the execs vote to take forward?", True),
    ("How did the panel respond to North Cumbria's question?", True),
    ("What was the outcome of the Cumbria local government reorganisation decision?", True),
])
def test_questions_for_what_a_meeting_did(question: str, asks_for_proceedings: bool) -> None:
    notes = [hit("· Governance arrangements feel like a burden", rank=1)]
    reason = asks.no_proceedings(question, notes)
    assert (reason is not None) == asks_for_proceedings, reason


@pytest.mark.parametrize(("record", "is_record"), [
    ("· The panel agreed to fund the pilot", True),
    ("Chaired by Jane Smith", True),
    ("Chair: Jane Smith", True),
    ("Intro\n· Decisions: none recorded", True),
    ("· A decision was made to meet again", True),
    ("· The plan was signed off by the ICB board", True),
    ("Speakers: Steve Fogg, Chair of the Fylde Coast Place-Based Partnership", False),
    ("· Budgets devolved to the priorities decided by communities", False),
    ("· All sectors in partnership led by independent", False),
    ("· Agreed and multifaceted case for change needed", False),
    ("· Key to future action:", False),
])
def test_a_record_of_the_act_in_the_best_three_is_needed(record: str, is_record: bool) -> None:
    q = "What did the panel decide?"
    hits = [hit("· Governance arrangements feel like a burden", rank=1),
            hit("· Promote the work of Fylde Coast", rank=2), hit(record, rank=3)]
    assert (asks.no_proceedings(q, hits) is None) == is_record
    assert asks.no_proceedings(q, hits[:2] + [hits[0]] * 2 + hits[2:]) is not None  # 4th


def test_a_future_date_must_be_given_by_a_passage_other_than_the_meeting_details() -> None:
    q = "When will the commission publish its final report?"
    details = hit("Panel Meeting\nMonday 6th of December 2021", section="Meeting details")
    found = mentions(q, intents={"when"})
    assert asks.no_date(q, found, [details]) is not None
    assert asks.no_date(q, found, [details, hit("· The report is due in March 2022", rank=2)]) is None
    assert asks.no_date(q, found, [hit("· We may publish a report", rank=1)]) is not None  # "may"
    past = "When was the panel meeting?"  # not about the future: the details answer it
    assert asks.no_date(past, mentions(past, intents={"when"}), [details]) is None


def test_a_venue_question_needs_a_venue() -> None:
    q = "Where was the execs workshop held?"
    assert asks.no_venue(q, [hit("Execs Workshop 15.00 – 16.50 Thursday 4th of November")])
    assert asks.no_venue(q, [hit("Execs Workshop, held at County Hall, Preston")]) is None
    assert asks.no_venue("Where did recruitment prove hard?", [hit("· Recruiting is hard")]) is None


@pytest.mark.parametrize(("question", "answered"), [
    ("Who is the Director of Public Health for Lancashire?", False),  # every word of the role
    ("Who is the chief executive of Chorley Council?", True),
    ("Who was the public health consultant presenting for North Cumbria?", True),
    ("Who is the medical director of North Cumbria CCG?", True),
    ("Who is Leslie Jones?", True),  # not a role question
    ("Who was the Lancashire Enterprise Partnership representative?", False),
])
def test_a_role_question_needs_one_entry_with_every_word_of_the_role(question: str, answered: bool) -> None:
    speakers = hit("Speakers: Leslie Jones, Public Health Consultant; Colin Paterson, Medical "
                    "Director North Cumbria CCG; Gary Hall, Chief Executive Chorley Council")
    assert (asks.no_role(question, [speakers]) is None) == answered


@pytest.mark.parametrize("question", [
    "Was there a vote on the NHS 1% budget proposal?",
    "What follow-up actions were agreed at the end of the execs workshop?",
    "What was the result of the vote on the plan?",
    "Were apologies recorded at the panel meeting?",
    "action log - who owns the agreed actions and by when",
])
def test_more_questions_for_what_a_meeting_did(question: str) -> None:
    assert asks.no_proceedings(question, [hit("· The NHS should commit 1% of its budget")])
    assert asks.no_proceedings(question, [hit("· A vote was taken and the workshop agreed")]) is None


def test_minutes_labels_are_records_only_at_the_start_of_a_line() -> None:
    q = "Were apologies recorded at the panel meeting?"
    assert asks.no_proceedings(q, [hit("Apologies: Jane Smith, John Brown")]) is None
    assert asks.no_proceedings(q, [hit("· Key to future action: apologies are owed")])


@pytest.mark.parametrize(("question", "top", "answered"), [
    ("When was Healthier Fleetwood set up?", "· Place based initiatives such as Healthier Fleetwood", False),
    ("When was Healthier Fleetwood set up?", "· Healthier Fleetwood was set up in 2014", True),
    ("When was the execs workshop?", "Execs Workshop\nThursday 4th of November 2021", True),  # details
    ("What standard are leaders held to when justifying prevention?", "· An unhelpful standard", True),
])
def test_a_when_question_needs_a_date_unless_a_meeting_s_details_answer_it(question: str, top: str,
                                                                            answered: bool) -> None:
    section = "Meeting details" if top.startswith("Execs") else "4. Opportunities"
    found = mentions(question, intents={"when"} if "when" in question.casefold() else ())
    assert (asks.no_date(question, found, [hit(top, section=section)]) is None) == answered


FIVE = "· Key priorities for the area:\n· Poverty\n· Early years\n· Mental health\n· Housing\n· Jobs"


@pytest.mark.parametrize(("question", "passage", "answered"), [
    ("What are MM's 5 priorities?", "· Community Equity Fund, to scale up what works (MM's 5 priorities)",
     False),
    ("What are MM's 5 priorities?", FIVE, True),  # a lead-in and five bullets
    ("What are the six Marmot principles?", "· Strategy underpinned by the Marmot principles", False),
    ("What are the six priorities?", FIVE, False),  # five is not six
    ("What are the five priorities?", "· Key recommendations to achieve these priorities:"
     + FIVE[FIVE.index("\n"):], False),  # the list is of recommendations
    ("What are the five clinical areas of focus?", "· 5 is five clinical areas of focus – maternity, "
     "severe mental illness, chronic respiratory disease, early cancer diagnosis and hypertension", True),
    ("CORE20PLUS5 what does the 20 and the PLUS stand for", "· 20 refers to the 20% most deprived", True),
    ("What are the 3-5 year financial plans?", "· 3-5 year financial plans", True),  # not a count
])
def test_a_question_for_n_things_needs_a_list_of_them(question: str, passage: str, answered: bool) -> None:
    assert (asks.no_list(question, [hit(passage)]) is None) == answered


@pytest.mark.parametrize(("question", "passage", "answered"), [
    ("What did Christine say in her video?", "· See also the video from Christine", False),
    ("whats in christine blythe's video", "· See also the video from Christine", False),
    ("What did Christine Blythe's video say?", "· See video and accompanying documents", False),
    ("What did Christine say in her video?", "· The video showed families in Burnley", True),
    ("What did Christine say in her video?", "· Support with collective voice for the north", True),
    ("What did the slide on 2009/10 expenditure show?", "· The slide on expenditure in 2009/10 "
     "compared to current times says so much", True),
])
def test_a_pointer_to_a_video_does_not_say_what_is_in_it(question: str, passage: str, answered: bool) -> None:
    assert (asks.no_media(question, [hit(passage)]) is None) == answered

