"""The answer checks (index/evidence.py) on hand-made passages."""

from __future__ import annotations

import dataclasses

import pytest

from commission_qa.records import Chunk, Hit
from index import evidence
from index.query import Mentions


def _hit(text: str, section: str = "West Lancashire", doc: str = "panel",
         units: list[str] | None = None, rank: int = 1) -> Hit:
    spans, pos = [], 0
    for u in units or [text]:
        a = text.index(u, pos)
        spans.append((a, a + len(u)))
        pos = a + len(u)
    chunk = Chunk(id=f"c{rank}", document_id=doc, start=0, end=len(text), text=text,
                  section=section, heading_path=("Meeting", section), speakers=(), date=None,
                  title="Meeting", line_start=1, line_end=1, embed_text=text, units=tuple(spans))
    return Hit(chunk=chunk, rank=rank, score=1.0)


def _found(residual: str, sections=(), documents=(), intents=()) -> Mentions:
    return Mentions(frozenset(sections), frozenset(), residual, documents=frozenset(documents),
                    intents=frozenset(intents))


def test_elsewhere_when_the_best_passage_is_from_another_place_or_meeting() -> None:
    top = _hit("· 42% of children live in households on universal credit", "Fylde Coast").chunk
    assert "West Lancashire" in evidence.elsewhere(_found("x", sections={"West Lancashire"}), top)
    assert evidence.elsewhere(_found("x", sections={"Fylde Coast"}), top) is None
    assert "another meeting" in evidence.elsewhere(_found("x", documents={"workshop"}), top)
    assert evidence.elsewhere(_found("x"), top) is None  # nothing named: nothing to contradict


def test_nothing_known_only_when_no_content_word_occurs_in_the_records() -> None:
    stems = {"govern", "panel", "robust"}
    assert evidence.nothing_known(_found("What is the smoking prevalence?"), stems)
    assert evidence.nothing_known(_found("What about robust smoking?"), stems) is None
    assert evidence.nothing_known(_found("Who spoke for ?"), {"x"}) is not None
    assert evidence.nothing_known(_found("What was it?"), stems) is None  # no content word at all


QUANTITY = {"quantity"}


def test_a_figure_in_a_unit_that_shares_two_subject_words_is_evidence() -> None:
    hit = _hit("· 42% of children live in households in receipt of universal credit")
    q = "What percentage of children live in households receiving universal credit?"
    found = _found(q, intents=QUANTITY)
    assert evidence.no_figure(q, found, [hit]) is None


@pytest.mark.parametrize("question, passage", [
    # a figure, but about something else (one shared word only)
    ("What percentage of residents live in rural areas?",
     "· People not expecting to live beyond late 50s"),
    # the right words, no figure
    ("How many children live in poverty?", "· Children living in poverty is a priority"),
    # the only figure is the one the question gives
    ("How many people attended on 4 November?", "· People attended on 4 November"),
    # the figure is there but not for the name asked about
    ("What was the annual budget of Healthier Fleetwood?",
     "· NHS committing 1% of its budget on an annual basis"),
])
def test_no_figure_for_what_was_asked(question: str, passage: str) -> None:
    reason = evidence.no_figure(question, _found(question, intents=QUANTITY), [_hit(passage)])
    assert reason is not None and "figure" in reason


def test_the_figure_may_come_from_any_of_the_top_three_but_not_from_another_place() -> None:
    q = "How many days of early life did the place prioritise for proactive action?"
    weak = _hit("· Early years matter", rank=1)
    good = _hit("· Proactive action in the 1st 1000 days", rank=2)
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [weak, good]) is None
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [weak] * 3 + [good]) is not None
    found = _found(q, sections={"Pennine Lancashire"}, intents=QUANTITY)
    assert evidence.no_figure(q, found, [weak, good]) is not None  # both from West Lancashire


def test_figures_are_checked_per_unit_and_only_for_quantity_questions() -> None:
    text = "· Growing demand from children\n· 45% live in the bottom quintile"
    hit = _hit(text, units=["· Growing demand from children", "· 45% live in the bottom quintile"])
    q = "How many children live in poverty?"
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [hit]) is not None
    assert evidence.no_figure(q, _found(q), [hit]) is None  # not a question for a figure


def test_a_date_is_not_a_figure() -> None:
    q = "How many people attended the December panel meeting?"
    details = _hit("Panel Meeting: people and places\nMonday 6th of December 2021",
                   units=["Panel Meeting: people and places", "Monday 6th of December 2021"])
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [details]) is not None
    counted = _hit("· 40 people attended the December panel meeting")
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [counted]) is None


def test_a_short_subject_needs_one_shared_word_and_names_may_be_the_passage_speakers() -> None:
    q = "How much did the council of Blackpool lose?"
    hit = _hit("· In the past 10 years the council has, cumulatively, lost £1.2bn")
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [hit]) is not None  # no Blackpool
    blackpool = _hit("· In the past 10 years Blackpool council has, cumulatively, lost £1.2bn")
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [blackpool]) is None
    q = "How much did the council of Blackpool lose over ten years?"  # "ten" is no subject word
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [blackpool]) is None
    q = "How many days did Martin Hodgson want prioritised?"
    spoken = Hit(chunk=dataclasses.replace(_hit("· Proactive action in the 1st 1000 days").chunk,
                                           speakers=("Martin Hodgson",)), rank=1, score=1.0)
    assert evidence.no_figure(q, _found(q, intents=QUANTITY), [spoken]) is None


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
])
def test_questions_for_what_a_meeting_did(question: str, asks_for_proceedings: bool) -> None:
    notes = [_hit("· Governance arrangements feel like a burden", rank=1)]
    reason = evidence.no_proceedings(question, notes)
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
    hits = [_hit("· Governance arrangements feel like a burden", rank=1),
            _hit("· Promote the work of Fylde Coast", rank=2), _hit(record, rank=3)]
    assert (evidence.no_proceedings(q, hits) is None) == is_record
    assert evidence.no_proceedings(q, hits[:2] + [hits[0]] * 2 + hits[2:]) is not None  # 4th


def test_assess_abstains_on_proceedings_with_the_reason() -> None:
    q = "Who chaired the panel meeting?"
    hits = [_hit("Speakers: Steve Fogg, Chair of the Fylde Coast Place-Based Partnership")]
    answerable, reason = evidence.assess(q, hits, _found(q), shaped=True, stems={"chair"},
                                         min_dense=0.0, min_bm25=0.0)
    assert not answerable and "what a meeting did" in reason


def test_a_future_date_must_be_given_by_a_passage_other_than_the_meeting_details() -> None:
    q = "When will the commission publish its final report?"
    details = _hit("Panel Meeting\nMonday 6th of December 2021", section="Meeting details")
    found = _found(q, intents={"when"})
    assert evidence.no_date(q, found, [details]) is not None
    assert evidence.no_date(q, found, [details, _hit("· The report is due in March 2022", rank=2)]) is None
    assert evidence.no_date(q, found, [_hit("· We may publish a report", rank=1)]) is not None  # "may"
    past = "When was the panel meeting?"  # not about the future: the details answer it
    assert evidence.no_date(past, _found(past, intents={"when"}), [details]) is None


def test_a_venue_question_needs_a_venue() -> None:
    q = "Where was the execs workshop held?"
    assert evidence.no_venue(q, [_hit("Execs Workshop 15.00 – 16.50 Thursday 4th of November")])
    assert evidence.no_venue(q, [_hit("Execs Workshop, held at County Hall, Preston")]) is None
    assert evidence.no_venue("Where did recruitment prove hard?", [_hit("· Recruiting is hard")]) is None


@pytest.mark.parametrize(("question", "answered"), [
    ("Who is the Director of Public Health for Lancashire?", False),  # every word of the role
    ("Who is the chief executive of Chorley Council?", True),
    ("Who was the public health consultant presenting for North Cumbria?", True),
    ("Who is the medical director of North Cumbria CCG?", True),
    ("Who is Leslie Jones?", True),  # not a role question
])
def test_a_role_question_needs_one_entry_with_every_word_of_the_role(question: str, answered: bool) -> None:
    speakers = _hit("Speakers: Leslie Jones, Public Health Consultant; Colin Paterson, Medical "
                    "Director North Cumbria CCG; Gary Hall, Chief Executive Chorley Council")
    assert (evidence.no_role(question, [speakers]) is None) == answered


def test_a_named_speaker_must_be_the_best_passage_s_speaker() -> None:
    q = "What does Gary Hall think about housing benefit?"
    found = Mentions(frozenset(), frozenset({"Gary Hall"}), q)
    other = _hit("· Housing benefit control", section="Fylde Coast").chunk
    assert "Gary Hall" in evidence.elsewhere(found, other)
    his = dataclasses.replace(other, speakers=("Marie Burnham", "Gary Hall"))
    assert evidence.elsewhere(found, his) is None
    who = Mentions(frozenset(), frozenset({"Gary Hall"}), q, intents=frozenset({"speakers"}))
    assert evidence.elsewhere(who, other) is None  # "who is Gary Hall": any passage may say


@pytest.mark.parametrize("question", [
    "Was there a vote on the NHS 1% budget proposal?",
    "What follow-up actions were agreed at the end of the execs workshop?",
    "What was the result of the vote on the plan?",
    "Were apologies recorded at the panel meeting?",
    "action log - who owns the agreed actions and by when",
])
def test_more_questions_for_what_a_meeting_did(question: str) -> None:
    assert evidence.no_proceedings(question, [_hit("· The NHS should commit 1% of its budget")])
    assert evidence.no_proceedings(question, [_hit("· A vote was taken and the workshop agreed")]) is None


@pytest.mark.parametrize(("query", "abstains"), [
    ("social prescribing link workers", True),  # 3 of 4 words never in the records
    ("smoking rates in Burnley", True),
    ("participatory budgeting", False),  # every word is in the records
    ("North Cumbria reflections on health equity work so far", False),  # 1 of 7 unknown
    ("What is social prescribing?", False),  # a question: left to the scores
    ("social prescribing?", False),
])
def test_keyword_queries_in_words_the_records_do_not_use(query: str, abstains: bool) -> None:
    stems = {"participatori", "budget", "link", "smoke", "north", "cumbria", "reflect", "health",
             "equiti", "work", "social"}
    reason = evidence.unfamiliar_keywords(query, _found(query), stems)
    assert (reason is not None) == abstains, reason


def test_unknown_keywords_do_not_matter_when_a_passage_is_close_anyway() -> None:
    q = "proportion of deprived neighbourhoods"
    stems = {"depriv", "neighbourhood"}
    assert evidence.unfamiliar_keywords(q, _found(q), stems, top_dense=0.40) is not None
    assert evidence.unfamiliar_keywords(q, _found(q), stems, top_dense=0.71) is None


def test_minutes_labels_are_records_only_at_the_start_of_a_line() -> None:
    q = "Were apologies recorded at the panel meeting?"
    assert evidence.no_proceedings(q, [_hit("Apologies: Jane Smith, John Brown")]) is None
    assert evidence.no_proceedings(q, [_hit("· Key to future action: apologies are owed")])


def test_function_words_are_not_search_words() -> None:
    q = "people turning off heating because they cannot pay bills"
    stems = {"peopl", "turn", "heat", "pay", "bill"}
    assert evidence.unfamiliar_keywords(q, _found(q), stems) is None
