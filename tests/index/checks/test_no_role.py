""""Who is the <post>" needs one entry holding every word of the post."""

from __future__ import annotations

import pytest
from hand_made import context, hit

from index.checks.no_role import NoRole

SPEAKERS = hit("Speakers: Lee Jones, Public Health Consultant; Colin Moss, Medical Director North "
               "Vale CCG; Ann Hale, Chief Executive Seaton Council", role="speakers", section_kind="place")


@pytest.mark.parametrize(("question", "answered"), [
    ("Who is the Director of Public Health for Seaton?", False),  # every word of the role
    ("Who is the chief executive of Seaton Council?", True),
    ("Who was the public health consultant presenting for North Vale?", True),
    ("Who is the medical director of North Vale CCG?", True),
    ("Who is Lee Jones?", True),  # not a role question
    ("Who was the Seaton Enterprise Partnership representative?", False),
])
def test_a_role_question_needs_one_entry_with_every_word_of_the_role(question: str, answered: bool) -> None:
    assert (NoRole().check(context(question, [SPEAKERS])) is None) == answered


def test_entries_may_be_lines_of_an_attendance_list() -> None:
    present = hit("Present:\nFarah Q, Director of Public Health (Seaton Council)\nAnn Hale, Chief Executive",
                  role="attendance", section_kind="attendance")
    assert NoRole().check(context("Who is the Director of Public Health for Seaton?", [present])) is None


@pytest.mark.parametrize(("question", "answered"), [
    ("Who chairs the Harbour Partnership board?", False),  # no entry holds "chair" and the board
    ("Who chairs the Harbour Partnership?", True),
])
def test_who_chairs_asks_for_the_chair(question: str, answered: bool) -> None:
    line = hit("Speakers: Ann Hale, Chair of the Harbour Partnership; Jo Bell, Managing Director, "
               "Harbour Partnership", role="speakers")
    assert (NoRole().check(context(question, [line])) is None) == answered


def test_an_abbreviation_in_the_question_matches_its_long_form() -> None:
    line = hit("Speaker: Dr Ria Pryce – Clinical Director, Harbour Primary Care Network", role="speakers")
    assert NoRole().check(context("Who is the clinical director of Harbour PCN?", [line])) is None
    assert NoRole().check(context("Who is the clinical director of Harbour ICB?", [line])) is not None


def test_a_shortened_name_in_the_question_matches() -> None:
    line = hit("Speakers: Ann Hale, Chair of Riverdale Partnership", role="speakers")
    assert NoRole().check(context("who chairs the riverd partnership", [line])) is None
    assert NoRole().check(context("who chairs the rive partnership", [line])) is None
    assert NoRole().check(context("who chairs the hill partnership", [line])) is not None
