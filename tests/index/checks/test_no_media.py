"""A pointer to a video does not say what is in it."""

from __future__ import annotations

import pytest
from hand_made import context, hit

from index.checks.no_media import NoMedia


@pytest.mark.parametrize(("question", "passage", "answered"), [
    ("What did Christine say in her video?", "· See also the video from Christine", False),
    ("whats in christine blythe's video", "· See also the video from Christine", False),
    ("What did Christine Blythe's video say?", "· See video and accompanying documents", False),
    ("What did Christine say in her video?", "· The video showed families in the town", True),
    ("What did Christine say in her video?", "· Support with collective voice for the north", True),
    ("What did the slide on 2009/10 expenditure show?", "· The slide on expenditure in 2009/10 "
     "compared to current times says so much", True),
    ("What did the report find?", "· Read the full report online", False),
])
def test_a_pointer_to_a_video_does_not_say_what_is_in_it(question: str, passage: str, answered: bool) -> None:
    reason = NoMedia().check(context(question, [hit(passage)]))
    assert (reason is None) == answered, reason
