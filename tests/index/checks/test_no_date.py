"""A when-question needs a date, unless a meeting's details answer it."""

from __future__ import annotations

import pytest
from hand_made import context, hit, mentions

from index.checks.no_date import NoDate


def _reason(q: str, hits) -> str | None:
    found = mentions(q, intents={"when"} if "when" in q.casefold() else ())
    return NoDate().check(context(q, hits, found))


def details(text: str = "Panel Meeting\nMonday 6th of December 2021"):
    return hit(text, section="Meeting details", role="meeting-details", section_kind="preamble")


def test_a_future_date_must_be_given_by_a_passage_other_than_the_meeting_details() -> None:
    q = "When will the commission publish its final report?"
    assert _reason(q, [details()]) is not None
    assert _reason(q, [details(), hit("· The report is due in March 2022", rank=2)]) is None
    assert _reason(q, [hit("· We may publish a report", rank=1)]) is not None  # "may"
    assert _reason("When was the panel meeting?", [details()]) is None  # not about the future


@pytest.mark.parametrize(("question", "top", "answered"), [
    ("When was Healthier Harbourside set up?", hit("· Initiatives such as Healthier Harbourside"), False),
    ("When was Healthier Harbourside set up?", hit("· Healthier Harbourside was set up in 2014"), True),
    ("When was the workshop?", details("Workshop\nThursday 4th of November 2021"), True),
    ("What standard are leaders held to when justifying prevention?", hit("· An unhelpful standard"), True),
])
def test_a_when_question_needs_a_date_unless_a_meeting_s_details_answer_it(question, top, answered) -> None:
    assert (_reason(question, [top]) is None) == answered


def test_the_details_are_known_by_their_role_not_their_section_name() -> None:
    q = "When was Healthier Harbourside set up?"
    named_only = hit("Workshop\nThursday 4th of November 2021", section="Meeting details")
    assert _reason(q, [named_only]) is None  # a date in a passage of the notes answers
    assert _reason("When will the hub open?", [details()]) is not None


def test_a_question_in_the_words_of_a_workshop_prompt_asks_for_its_answers() -> None:
    answers = hit("· Honestly I can't remember the last time", section="Prompt 1: When did you last "
                  "feel a service treated you fairly?", section_kind="prompt")
    assert _reason("When did residents last feel a service treated them fairly?", [answers]) is None
    other = hit("· Honestly I can't remember the last time", section="Prompt 2: What gets in the way?",
                section_kind="prompt")
    assert _reason("When did residents last feel a service treated them fairly?", [other]) is not None
