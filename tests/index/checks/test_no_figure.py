"""A question for a figure needs a figure for what it asks about."""

from __future__ import annotations

import pytest
from hand_made import context, hit, mentions

from core.records import Hit
from index.checks.no_figure import NoFigure

QUANTITY = {"quantity"}


def _reason(q: str, hits: list[Hit], **named) -> str | None:
    return NoFigure().check(context(q, hits, mentions(q, intents=QUANTITY, **named)))


def test_a_figure_in_a_unit_that_shares_two_subject_words_is_evidence() -> None:
    passage = hit("· 42% of children live in households in receipt of universal credit")
    q = "What percentage of children live in households receiving universal credit?"
    assert _reason(q, [passage]) is None


@pytest.mark.parametrize("question, passage", [
    # a figure, but about something else (one shared word only)
    ("What percentage of residents live in rural areas?", "· People not expecting to live beyond late 50s"),
    # the right words, no figure
    ("How many children live in poverty?", "· Children living in poverty is a priority"),
    # the only figure is the one the question gives
    ("How many people attended on 4 November?", "· People attended on 4 November"),
    # the figure is there but not for the name asked about
    ("What was the annual budget of Healthier Harbourside?",
     "· NHS committing 1% of its budget on an annual basis"),
])
def test_no_figure_for_what_was_asked(question: str, passage: str) -> None:
    reason = _reason(question, [hit(passage)])
    assert reason is not None and "figure" in reason


def test_only_questions_for_a_figure_are_checked() -> None:
    q = "How many children live in poverty?"
    passage = [hit("· Children living in poverty is a priority")]
    assert NoFigure().check(context(q, passage, mentions(q))) is None


def test_the_figure_may_come_from_any_of_the_top_three_but_not_from_another_place() -> None:
    q = "How many days of early life did the place prioritise for proactive action?"
    weak = hit("· Early years matter", rank=1)
    good = hit("· Proactive action in the 1st 1000 days", rank=2)
    assert _reason(q, [weak, good]) is None
    assert _reason(q, [weak] * 3 + [good]) is not None
    assert _reason(q, [weak, good], sections={"Harbourside"}) is not None  # both from Riverside


def test_figures_are_checked_per_unit() -> None:
    text = "· Growing demand from children\n· 45% live in the bottom quintile"
    passage = hit(text, units=["· Growing demand from children", "· 45% live in the bottom quintile"])
    assert _reason("How many children live in poverty?", [passage]) is not None


def test_a_date_is_not_a_figure() -> None:
    q = "How many people attended the December panel meeting?"
    details = hit("Panel Meeting: people and places\nMonday 6th of December 2021",
                  units=["Panel Meeting: people and places", "Monday 6th of December 2021"])
    assert _reason(q, [details]) is not None
    assert _reason(q, [hit("· 40 people attended the December panel meeting")]) is None


def test_a_short_subject_needs_one_shared_word_and_names_may_be_the_passage_speakers() -> None:
    q = "How much did the council of Seaton lose?"
    assert _reason(q, [hit("· In the past 10 years the council has, cumulatively, lost £1.2bn")])
    seaton = hit("· In the past 10 years Seaton council has, cumulatively, lost £1.2bn")
    assert _reason(q, [seaton]) is None
    assert _reason("How much did the council of Seaton lose over ten years?", [seaton]) is None
    q = "How many days did Ann Lee want prioritised?"
    spoken = hit("· Proactive action in the 1st 1000 days", speakers=("Ann Lee",))
    assert _reason(q, [spoken]) is None


@pytest.mark.parametrize(("passage", "answered"), [
    ("· The slide on expenditure in 2009/10 compared to current times says so much", False),  # no sum
    ("· NHS committing 1% of its budget to be spent on prevention", False),  # not of 2009/10
    ("· In 2009/10 £3m was spent on prevention", True),
])
def test_a_year_the_question_names_must_be_in_the_figure_s_sentence(passage: str, answered: bool) -> None:
    assert (_reason("How much was spent on prevention in 2009/10?", [hit(passage)]) is None) == answered


@pytest.mark.parametrize(("passage", "answered"), [
    ("· Community Equity Fund, contributed by all anchor institutions (our 5 priorities)", False),
    ("· Anchor institutions will put £2m into the Community Equity Fund", True),
    ("· Anchor institutions will put 1% of their budgets into the Community Equity Fund", True),
])
def test_a_question_for_money_needs_a_sum_or_a_share(passage: str, answered: bool) -> None:
    q = "How much money will anchor institutions put into the Community Equity Fund?"
    assert (_reason(q, [hit(passage)]) is None) == answered


def test_a_population_is_not_a_sum_of_money() -> None:
    q = "What is the population of the district?"
    assert _reason(q, [hit("· The district has a population of 140,000")]) is None


def test_a_time_of_day_is_not_a_figure() -> None:
    q = "How many people came to the workshop?"
    details = hit("Workshop\n15.00 – 16.50 Thursday 4th of November 2021")
    assert _reason(q, [details]) is not None
    assert _reason(q, [hit("· 57 people came to the workshop")]) is None
