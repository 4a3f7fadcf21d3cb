"""Who has a voice in the records (index/voices.py)."""

from __future__ import annotations

import dataclasses

import pytest
from hand_made import hit

from index.voices import Voices


@pytest.fixture(scope="module")
def voices() -> Voices:
    speakers_line = hit("Fylde Coast\nSpeakers: Steve Fogg, Chair; Henry Pollock, Boing Boing",
                        section="Fylde Coast").chunk
    return Voices([
        dataclasses.replace(speakers_line, speakers=("Steve Fogg", "Henry Pollock")),
        hit("· Dominic pointed out that health has focused on hospitals", section="2. Which sectors?").chunk,
        hit("· our inequity could, as Sakthi often says, be an asset", section="4. Opportunities").chunk,
        hit("· Consider links into Chesire and Merseyside economy").chunk,
    ])


@pytest.mark.parametrize(("question", "who", "quoted"), [
    ("What did Dominic say at the execs workshop?", "Dominic", True),  # "Dominic pointed out"
    ("What point did Dominic make?", "Dominic", True),
    ("What did Sakthi say about inequity?", "Sakthi", True),  # "as Sakthi often says"
    ("What did Cheshire and Merseyside present to the panel?", "Cheshire and Merseyside", False),
    ("What did Marmot say about Lancashire?", "Marmot", False),  # never in the records
    ("What did Fylde Coast ask of the panel?", None, False),  # a place: the usual checks apply
    ("What did Steve Fogg say?", None, False),  # a speaker
    ("What did Boing Boing say?", None, False),  # on a speakers line
    ("What did the panel say about governance?", None, False),  # no name asked for
    ("Who is Dominic?", None, False),  # not asked for words
])
def test_a_name_asked_for_words_has_them_only_if_the_notes_report_them(
        voices: Voices, question: str, who: str | None, quoted: bool) -> None:
    assert voices.asked(question) == (who, quoted)
