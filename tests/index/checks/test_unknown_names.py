"""A name or a number the records never mention."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.unknown_names import UnknownNames


def test_names_the_records_never_mention_are_the_reason() -> None:
    q = "What did Atlantis ask of the panel?"
    found = mentions(q, unknown=("Atlantis",))
    reason = UnknownNames().check(context(q, [hit("· Robust governance")], found))
    assert reason is not None and "do not mention Atlantis" in reason
    assert UnknownNames().check(context(q, [hit("· Robust governance")])) is None
