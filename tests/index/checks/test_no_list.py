""""What are the five priorities?" needs a list of five."""

from __future__ import annotations

import pytest
from hand_made import context, hit

from index.checks.no_list import NoList

FIVE = "· Key priorities for the area:\n· Poverty\n· Early years\n· Mental health\n· Housing\n· Jobs"


@pytest.mark.parametrize(("question", "passage", "answered"), [
    ("What are the 5 priorities?", "· Community Equity Fund, to scale up what works (our 5 priorities)",
     False),
    ("What are the 5 priorities?", FIVE, True),  # a lead-in and five items
    ("What are the six founding principles?", "· Strategy underpinned by the founding principles", False),
    ("What are the six priorities?", FIVE, False),  # five is not six
    ("What are the five priorities?", "· Key recommendations to achieve these priorities:"
     + FIVE[FIVE.index("\n"):], False),  # the list is of recommendations
    ("What are the five clinical areas of focus?", "· 5 is five clinical areas of focus – maternity, "
     "severe mental illness, chronic respiratory disease, early cancer diagnosis and hypertension", True),
    ("CORE20PLUS5 what does the 20 and the PLUS stand for", "· 20 refers to the 20% most deprived", True),
    ("What are the 3-5 year financial plans?", "· 3-5 year financial plans", True),  # not a count
    ("What are the 3 year plans?", "· 3 year plans are needed", True),  # years are not counted
])
def test_a_question_for_n_things_needs_a_list_of_them(question: str, passage: str, answered: bool) -> None:
    assert (NoList().check(context(question, [hit(passage)])) is None) == answered


def test_the_items_need_no_bullet_marker() -> None:
    plain = "Our priorities are:\nPoverty\nEarly years\nHousing"
    assert NoList().check(context("What are the three priorities?", [hit(plain)])) is None
    assert NoList().check(context("What are the four priorities?", [hit(plain)])) is not None
