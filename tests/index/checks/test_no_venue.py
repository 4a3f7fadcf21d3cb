""""Where was it held?" needs a venue."""

from __future__ import annotations

from hand_made import context, hit

from index.checks.no_venue import NoVenue


def test_a_venue_question_needs_a_venue() -> None:
    q = "Where was the workshop held?"
    assert NoVenue().check(context(q, [hit("Workshop 15.00 – 16.50 Thursday 4th of November")]))
    assert NoVenue().check(context(q, [hit("Workshop, held at County Hall, Seaton")])) is None
    assert NoVenue().check(context(q, [hit("Venue: Committee Room 2, Town Hall")])) is None
    elsewhere = context("Where did recruitment prove hard?", [hit("· Recruiting is hard")])
    assert NoVenue().check(elsewhere) is None
