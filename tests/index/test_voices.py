"""Who has a voice in the records (index/voices.py)."""

from __future__ import annotations

import pytest

from commission_qa.records import Chunk
from index.voices import Voices


def _chunk(i: int, section: str, text: str, speakers: tuple[str, ...] = ()) -> Chunk:
    return Chunk(id=f"c{i}", document_id="d", start=0, end=len(text), text=text, section=section,
                 heading_path=("Meeting", section), speakers=speakers, date=None, title="Meeting",
                 line_start=i, line_end=i, embed_text=text)


@pytest.fixture(scope="module")
def voices() -> Voices:
    return Voices([
        _chunk(0, "Fylde Coast", "Fylde Coast\nSpeakers: Steve Fogg, Chair; Henry Pollock, Boing Boing",
               speakers=("Steve Fogg", "Henry Pollock")),
        _chunk(1, "2. Which sectors?", "· Dominic pointed out that health has focused on hospitals"),
        _chunk(2, "4. Opportunities", "· our inequity could, as Sakthi often says, be an asset"),
        _chunk(3, "West Lancashire", "· Consider links into Chesire and Merseyside economy"),
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
