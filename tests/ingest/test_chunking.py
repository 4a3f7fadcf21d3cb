"""Chunk invariants on the sample records and on generated transcripts (hypothesis)."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encoders.embedding import locate_model, token_counter
from ingest.chunking import PREAMBLE_SECTION, ChunkerSettings, chunk_document
from ingest.readers import read_text
from ingest.structure import parse

ROOT = Path(__file__).resolve().parents[2] / "data" / "transcripts"
COUNT = token_counter(locate_model(None))


def check_invariants(doc, chunks, max_tokens=256):
    leaves = {s.name: s for _, s in doc.leaf_sections()}
    leaves.update({s.name: s for s in doc.sections})  # group headings are passages too
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text
        assert COUNT(c.embed_text) <= max_tokens, (c.id, COUNT(c.embed_text))
        assert c.line_start == doc.text.count("\n", 0, c.start) + 1
        if c.section != PREAMBLE_SECTION:
            s = leaves[c.section]
            assert s.start <= c.start and c.end <= s.end, "a chunk never crosses a section"
        assert all(c.start <= a < b <= c.end for a, b in c.units)
    spans = sorted((c.start, c.end) for c in chunks)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans)), "no overlap"
    covered = "".join(" " if any(c.start <= i < c.end for c in chunks) else ch
                      for i, ch in enumerate(doc.text))
    assert not covered.strip(), f"text not in any chunk: {covered.strip()[:80]!r}"


def test_sample_records_chunk_cleanly():
    for path in sorted(ROOT.glob("*.txt")):
        text, fmt = read_text(path)
        doc = parse(text, path.name, fmt)
        chunks = chunk_document(doc, ChunkerSettings(), COUNT)
        check_invariants(doc, chunks)
        assert len({c.id for c in chunks}) == len(chunks)


def test_natural_units_and_context():
    text, fmt = read_text(ROOT / "2021-12-06_panel-meeting_learning-from-integrated-care-partnerships.txt")
    doc = parse(text, "panel.txt", fmt)
    chunks = chunk_document(doc, ChunkerSettings(), COUNT)
    gov = next(c for c in chunks if "robust governance and delivery system" in c.text)
    assert gov.heading_path[1:] == ("Pennine Lancashire", "Asks of the panel")
    assert gov.embed_text.startswith("Pennine Lancashire › Asks of the panel\n")
    assert gov.speakers == ("Martin Hodgson", "Phillipa Cross", "Christine Blythe")
    assert gov.date == "2021-12-06"
    priorities = next(c for c in chunks if "Decrease poverty" in c.text)
    assert priorities.text.startswith("· Key priorities for the area:")  # list kept whole
    assert "Improve in life expectancy" in priorities.text
    header = next(c for c in chunks if c.section == "Pennine Lancashire")
    assert header.text.startswith("Pennine Lancashire\nSpeakers: Martin Hodgson")


def test_long_unit_is_split_not_truncated():
    long_bullet = "· " + " ".join(f"word{i} alpha beta gamma." for i in range(400))
    doc = parse(f"A Meeting\n1 January 2022\nPlace One\nSpeakers: A B, GP\n{long_bullet}\n",
                "long.txt")
    chunks = chunk_document(doc, ChunkerSettings(max_tokens=128), COUNT)
    parts = [c for c in chunks if "word" in c.text]
    assert len(parts) > 3
    check_invariants(doc, chunks, max_tokens=128)


WORDS = st.sampled_from("health equity governance housing prevention budget panel partners "
                        "community data investment transport children leaders funding".split())
SENTENCE = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)
NAME = st.lists(st.sampled_from("Ann Bo Cy Di Ed Flo Gus Hal".split()), min_size=2,
                max_size=3).map(" ".join)


@st.composite
def transcripts(draw):
    lines = [draw(NAME).title() + " Meeting", f"Monday {draw(st.integers(1, 28))}th of March 2022"]
    for n in range(draw(st.integers(1, 4))):
        lines.append(f"Place {n} " + draw(st.sampled_from(["North", "Coast", "Bay", "Vale"])))
        lines.append("Speakers: " + "; ".join(f"{draw(NAME)}, Director" for _ in range(2)))
        for _ in range(draw(st.integers(0, 8))):
            kind = draw(st.sampled_from(["bullet", "head", "sub", "blank", "para"]))
            text = draw(SENTENCE)
            lines.append({"bullet": f"· {text}", "head": f"· {text}:", "sub": f"\t- {text}",
                          "blank": "", "para": text + "."}[kind])
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts(), st.integers(60, 256))
def test_generated_transcripts_keep_invariants(text, max_tokens):
    doc = parse(text, "gen.txt")
    chunks = chunk_document(doc, ChunkerSettings(max_tokens=max_tokens), COUNT)
    check_invariants(doc, chunks, max_tokens=max_tokens)
