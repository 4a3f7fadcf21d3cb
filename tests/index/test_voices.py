"""Who has a voice in the records (index/voices.py)."""

from __future__ import annotations

import pytest
from hand_made import chunk

from index.voices import Voices


@pytest.fixture(scope="module")
def voices() -> Voices:
    return Voices([
        chunk("Harbourside\nSpeakers: Sam Fogg, Chair; Henry Pike, Bounce Back", section="Harbourside",
              role="speakers", section_kind="place", speakers=("Sam Fogg", "Henry Pike")),
        chunk("Present:\nAda Okon, Chair (Vale Trust)", section="Attendance", role="attendance",
              section_kind="attendance"),
        chunk("- Panel member Ben Oduya, a lived experience adviser, said that forms put people off",
              section="Panel reflections"),
        chunk("· Dominic pointed out that health has focused on hospitals", section="2. Which sectors?"),
        chunk("· our inequity could, as Sakthi often says, be an asset", section="4. Opportunities"),
        chunk("· Consider links into Northshire and Westvale economy"),
        # the same text without the role: a passage of notes, not a speakers line
        chunk("Speakers: Quiet Partners"),
    ])


@pytest.mark.parametrize(("question", "who", "quoted"), [
    ("What did Dominic say at the workshop?", "Dominic", True),  # "Dominic pointed out"
    ("What point did Dominic make?", "Dominic", True),
    ("What did Sakthi say about inequity?", "Sakthi", True),  # "as Sakthi often says"
    ("What did Northshire and Westvale present to the panel?", "Northshire and Westvale", False),
    ("What did Atlantis say about the region?", "Atlantis", False),  # never in the records
    ("What did Harbourside ask of the panel?", None, False),  # a place: the usual checks apply
    ("What did Sam Fogg say?", None, False),  # a speaker
    ("What did Bounce Back say?", None, False),  # on a speakers line
    ("What did Vale Trust report?", "Vale Trust", False),  # only in an attendance list
    ("What did Ben Oduya say about forms?", "Ben Oduya", True),  # "Ben Oduya, a …, said"
    ("What did Quiet Partners say?", "Quiet Partners", False),  # its text is no speakers line
    ("What did the panel say about governance?", None, False),  # no name asked for
    ("Who is Dominic?", None, False),  # not asked for words
])
def test_a_name_asked_for_words_has_them_only_if_the_notes_report_them(
        voices: Voices, question: str, who: str | None, quoted: bool) -> None:
    assert voices.asked(question) == (who, quoted)
