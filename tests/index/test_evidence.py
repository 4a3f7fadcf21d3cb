"""The answer checks (index/evidence.py) on hand-made passages."""

from __future__ import annotations

import dataclasses

import pytest
from hand_made import hit, mentions

from core.records import Hit
from index import evidence
from index.query import Mentions


def test_elsewhere_when_the_best_passage_is_from_another_place_or_meeting() -> None:
    top = hit("· 42% of children live in households on universal credit", "Fylde Coast").chunk
    assert "West Lancashire" in evidence.elsewhere(mentions("x", sections={"West Lancashire"}), top)
    assert evidence.elsewhere(mentions("x", sections={"Fylde Coast"}), top) is None
    assert "another meeting" in evidence.elsewhere(mentions("x", documents={"workshop"}), top)
    assert evidence.elsewhere(mentions("x"), top) is None  # nothing named: nothing to contradict


def test_nothing_known_only_when_no_content_word_occurs_in_the_records() -> None:
    stems = {"govern", "panel", "robust"}
    assert evidence.nothing_known(mentions("What is the smoking prevalence?"), stems)
    assert evidence.nothing_known(mentions("What about robust smoking?"), stems) is None
    assert evidence.nothing_known(mentions("Who spoke for ?"), {"x"}) is not None
    assert evidence.nothing_known(mentions("What was it?"), stems) is None  # no content word at all


QUANTITY = {"quantity"}


def test_a_figure_in_a_unit_that_shares_two_subject_words_is_evidence() -> None:
    passage = hit("· 42% of children live in households in receipt of universal credit")
    q = "What percentage of children live in households receiving universal credit?"
    found = mentions(q, intents=QUANTITY)
    assert evidence.no_figure(q, found, [passage]) is None


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
    reason = evidence.no_figure(question, mentions(question, intents=QUANTITY), [hit(passage)])
    assert reason is not None and "figure" in reason


def test_the_figure_may_come_from_any_of_the_top_three_but_not_from_another_place() -> None:
    q = "How many days of early life did the place prioritise for proactive action?"
    weak = hit("· Early years matter", rank=1)
    good = hit("· Proactive action in the 1st 1000 days", rank=2)
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [weak, good]) is None
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [weak] * 3 + [good]) is not None
    found = mentions(q, sections={"Pennine Lancashire"}, intents=QUANTITY)
    assert evidence.no_figure(q, found, [weak, good]) is not None  # both from West Lancashire


def test_figures_are_checked_per_unit_and_only_for_quantity_questions() -> None:
    text = "· Growing demand from children\n· 45% live in the bottom quintile"
    passage = hit(text, units=["· Growing demand from children", "· 45% live in the bottom quintile"])
    q = "How many children live in poverty?"
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [passage]) is not None
    assert evidence.no_figure(q, mentions(q), [passage]) is None  # not a question for a figure


def test_a_date_is_not_a_figure() -> None:
    q = "How many people attended the December panel meeting?"
    details = hit("Panel Meeting: people and places\nMonday 6th of December 2021",
                   units=["Panel Meeting: people and places", "Monday 6th of December 2021"])
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [details]) is not None
    counted = hit("· 40 people attended the December panel meeting")
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [counted]) is None


def test_a_short_subject_needs_one_shared_word_and_names_may_be_the_passage_speakers() -> None:
    q = "How much did the council of Blackpool lose?"
    passage = hit("· In the past 10 years the council has, cumulatively, lost £1.2bn")
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [passage]) is not None  # no Blackpool
    blackpool = hit("· In the past 10 years Blackpool council has, cumulatively, lost £1.2bn")
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [blackpool]) is None
    q = "How much did the council of Blackpool lose over ten years?"  # "ten" is no subject word
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [blackpool]) is None
    q = "How many days did Martin Hodgson want prioritised?"
    spoken = Hit(chunk=dataclasses.replace(hit("· Proactive action in the 1st 1000 days").chunk,
                                           speakers=("Martin Hodgson",)), rank=1, score=1.0)
    assert evidence.no_figure(q, mentions(q, intents=QUANTITY), [spoken]) is None


def test_a_named_speaker_must_be_the_best_passage_s_speaker() -> None:
    q = "What does Gary Hall think about housing benefit?"
    found = Mentions(frozenset(), frozenset({"Gary Hall"}), q)
    other = hit("· Housing benefit control", section="Fylde Coast").chunk
    assert "Gary Hall" in evidence.elsewhere(found, other)
    his = dataclasses.replace(other, speakers=("Marie Burnham", "Gary Hall"))
    assert evidence.elsewhere(found, his) is None
    who = Mentions(frozenset(), frozenset({"Gary Hall"}), q, intents=frozenset({"speakers"}))
    assert evidence.elsewhere(who, other) is None  # "who is Gary Hall": any passage may say


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
    reason = evidence.unfamiliar_keywords(query, mentions(query), stems)
    assert (reason is not None) == abstains, reason


def test_unknown_keywords_do_not_matter_when_a_passage_is_close_anyway() -> None:
    q = "proportion of deprived neighbourhoods"
    stems = {"depriv", "neighbourhood"}
    assert evidence.unfamiliar_keywords(q, mentions(q), stems, top_dense=0.40) is not None
    assert evidence.unfamiliar_keywords(q, mentions(q), stems, top_dense=0.71) is None


def test_function_words_are_not_search_words() -> None:
    q = "people turning off heating because they cannot pay bills"
    stems = {"peopl", "turn", "heat", "pay", "bill"}
    assert evidence.unfamiliar_keywords(q, mentions(q), stems) is None


@pytest.mark.parametrize(("passage", "answered"), [
    ("· The slide on expenditure in 2009/10 compared to current times says so much", False),  # no sum
    ("· NHS committing 1% of its budget to be spent on prevention", False),  # not of 2009/10
    ("· In 2009/10 £3m was spent on prevention", True),
])
def test_a_year_the_question_names_must_be_in_the_figure_s_sentence(passage: str, answered: bool) -> None:
    q = "How much was spent on prevention in 2009/10?"
    assert (evidence.no_figure(q, mentions(q, intents=QUANTITY), [hit(passage)]) is None) == answered


@pytest.mark.parametrize(("passage", "answered"), [
    ("· Community Equity Fund, contributed by all anchor institutions (MM's 5 priorities)", False),
    ("· Anchor institutions will put £2m into the Community Equity Fund", True),
    ("· Anchor institutions will put 1% of their budgets into the Community Equity Fund", True),
])
def test_a_question_for_money_needs_a_sum_or_a_share(passage: str, answered: bool) -> None:
    q = "How much money will anchor institutions put into the Community Equity Fund?"
    assert (evidence.no_figure(q, mentions(q, intents=QUANTITY), [hit(passage)]) is None) == answered


def test_typos_and_abbreviations_in_keywords_are_not_unknown_words() -> None:
    q = "morecambe bay recomendations for acheiving priorities"
    stems = {"morecamb", "bay", "recommend", "achiev", "prioriti"}
    assert evidence.unfamiliar_keywords(q, mentions(q), stems) is not None  # exact words only
    familiar = {"recomend", "acheiv"}.__contains__
    assert evidence.unfamiliar_keywords(q, mentions(q), stems, familiar=familiar) is None


def test_a_speaker_s_name_is_not_a_known_subject() -> None:
    found = Mentions(frozenset(), frozenset({"Leslie Jones"}), "What did Leslie Jones say about smoking?")
    assert evidence.nothing_known(found, {"lesli", "jone", "health"}) is not None


@pytest.mark.parametrize(("q", "found", "passage", "reason"), [
    ("Who chaired the panel meeting?", {},
     "Speakers: Steve Fogg, Chair of the Fylde Coast Place-Based Partnership", "what a meeting did"),
    # a speakers line (the shape asked for) does not answer for a subject never mentioned
    ("What did Leslie Jones say about smoking rates?", {"speakers": frozenset({"Leslie Jones"})},
     "Speakers: Leslie Jones, Public Health Consultant", "no content word"),
    ("What did Cheshire and Merseyside present to the panel?", {"silent": "Cheshire and Merseyside"},
     "· Consider links into Chesire and Merseyside economy", "do not report what they said"),
])
def test_assess_abstains_with_the_reason_even_on_a_passage_of_the_shape_asked(
        q: str, found: dict, passage: str, reason: str) -> None:
    mentioned = dataclasses.replace(mentions(q), **found)
    answerable, why = evidence.assess(q, [hit(passage)], mentioned, shaped=True,
                                      stems={"lesli", "jone", "chair", "present", "panel"},
                                      min_dense=0.0, min_bm25=0.0)
    assert not answerable and reason in why


def test_the_notes_of_what_a_named_person_said_answer_despite_weak_scores() -> None:
    q = "What did Dominic say at the execs workshop?"
    passage = [hit("· Dominic pointed out that health has focused on hospitals")]
    weak = dict(shaped=False, stems={"dominic"}, min_dense=0.9, min_bm25=99.0)
    assert evidence.assess(q, passage, Mentions(frozenset(), frozenset(), q, quoted="Dominic"), **weak)[0]
    assert not evidence.assess(q, passage, Mentions(frozenset(), frozenset(), q), **weak)[0]
    other = [hit("· Health has focused on hospitals")]  # his name is not in the best passages
    assert not evidence.assess(q, other, Mentions(frozenset(), frozenset(), q, quoted="Dominic"), **weak)[0]


def test_a_mistyped_or_shortened_word_is_known() -> None:
    q = "Pennine lancs key priorites"
    stems = {"pennin", "prioriti"}
    assert evidence.nothing_known(mentions("lancs key priorites"), stems) is not None
    familiar = {"lanc", "priorit"}.__contains__
    assert evidence.nothing_known(mentions("lancs key priorites"), stems, familiar) is None
    assert evidence.unfamiliar_keywords(q, mentions("lancs key priorites"), stems, familiar=familiar) is None
