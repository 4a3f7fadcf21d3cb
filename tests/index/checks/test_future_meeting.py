""""When is the next meeting?" is not answered by a held meeting's details."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.future_meeting import FutureMeeting

DETAILS = hit("Panel Meeting\nMonday 6 June 2022", section="Meeting details", role="meeting-details",
              section_kind="preamble")


def test_the_details_of_a_held_meeting_do_not_say_when_the_next_is() -> None:
    q = "When is the next panel meeting scheduled?"
    reason = FutureMeeting().check(context(q, [DETAILS], mentions(q, intents={"when"})))
    assert reason is not None and "already held" in reason
    past = "When was the panel meeting?"
    assert FutureMeeting().check(context(past, [DETAILS], mentions(past, intents={"when"}))) is None
    notes = hit("· The next meeting is on 5 September 2022")
    assert FutureMeeting().check(context(q, [notes], mentions(q, intents={"when"}))) is None


def test_another_passage_may_give_the_next_date() -> None:
    q = "When is the next board meeting?"
    following = hit("Date of next meeting: Monday 5 September 2022, 14.00", rank=2)
    assert FutureMeeting().check(context(q, [DETAILS, following], mentions(q, intents={"when"}))) is None
