"""A name asked for its words that the records only name."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.silent_voice import SilentVoice


def test_a_name_the_records_only_mention_has_said_nothing() -> None:
    q = "What did Northshire present to the panel?"
    passage = [hit("· Consider links into the Northshire economy")]
    reason = SilentVoice().check(context(q, passage, mentions(q, silent="Northshire")))
    assert reason is not None and "do not report what they said" in reason
    assert SilentVoice().check(context(q, passage, mentions(q, quoted="Northshire"))) is None
