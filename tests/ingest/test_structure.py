"""Structure recovered from the two sample records, and the general rules on small inputs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingest.readers import read_text
from ingest.structure import parse, parse_date, parse_speakers

ROOT = Path(__file__).resolve().parents[2] / "data" / "transcripts"
PANEL = ROOT / "2021-12-06_panel-meeting_learning-from-integrated-care-partnerships.txt"
WORKSHOP = ROOT / "2021-11-04_execs-workshop.txt"


def load(path: Path):
    text, fmt = read_text(path)
    return parse(text, path.name, fmt)


def block_texts(doc, section, kind=None):
    return [doc.text[b.text_start:b.end] for b in section.blocks if kind in (None, b.kind)]


def test_panel_meeting_title_date_and_places():
    doc = load(PANEL)
    assert doc.title == ("Lancashire and Cumbria Health Equity Commission Panel Meeting: "
                         "Learning from Integrated Care Partnerships")
    assert doc.date == "2021-12-06"
    assert [s.name for s in doc.sections] == [
        "North Cumbria", "Morecambe Bay", "Fylde Coast", "Central Lancashire",
        "West Lancashire", "Pennine Lancashire"]
    assert all(s.kind == "place" for s in doc.sections)


def test_pennine_lancashire_speakers_and_asks():
    doc = load(PANEL)
    pennine = next(s for s in doc.sections if s.name == "Pennine Lancashire")
    assert [(p.name, p.role) for p in pennine.speakers] == [
        ("Martin Hodgson", "Chief Executive East Lancashire Hospitals Trust"),
        ("Phillipa Cross", "Head of Partnership Development for Healthier Pennine Lancashire"),
        ("Christine Blythe", "Chief Executive of Burnley, Pendle, and Rossendale Council for "
                             "Voluntary Services")]
    heads = [i for i, b in enumerate(pennine.blocks) if b.kind == "subheading"]
    asks = next(i for i in heads if doc.text[pennine.blocks[i].text_start:pennine.blocks[i].end]
                .startswith("Asks of the panel"))
    children = [doc.text[b.text_start:b.end] for b in pennine.blocks if b.parent == asks]
    assert len(children) == 8
    assert children[3].startswith("Enable establishment of robust governance")
    assert all(pennine.blocks[i].level == 1 for i, b in enumerate(pennine.blocks) if b.parent == asks)


def test_speakers_without_comma_and_in_brackets():
    doc = load(PANEL)
    central = next(s for s in doc.sections if s.name == "Central Lancashire")
    assert ("Liz Huntbach", "Head of Partnership Development") in [
        (p.name, p.role) for p in central.speakers]
    bay = next(s for s in doc.sections if s.name == "Morecambe Bay")
    assert [(p.name, p.role) for p in bay.speakers] == [
        ("Jeff Joliffe", "GP in Barrow in Furness"),
        ("Professor Mike Thomas", "Joint Chairs of Bay Health Partners")]


def test_workshop_key_points_and_five_prompts():
    doc = load(WORKSHOP)
    assert doc.title == "Execs Workshop for the Lancashire and Cumbria Health Equity Commission"
    assert doc.date == "2021-11-04"
    key, group = doc.sections
    assert key.name == "Key points" and key.kind == "topic"
    assert block_texts(doc, key, "subheading") == [
        "Enabling action:", "Commissioning/funding:", "Working together:",
        "Relationships with the public:", "Language, communication, and messaging:"]
    assert group.name == "Nearpod contributions" and group.kind == "group"
    prompts = group.children
    assert [p.kind for p in prompts] == ["prompt"] * 5
    assert [p.name.split(".")[0] for p in prompts] == ["1", "2", "3", "4", "5"]
    assert prompts[2].name.startswith("3. What are the obstacles to investing in prevention?")
    assert len(block_texts(doc, prompts[4], "bullet")) == 9


def test_export_artefact_removed_lines_kept():
    text, _ = read_text(WORKSHOP)
    raw = WORKSHOP.read_text(encoding="utf-8")
    assert "[bookmark:" in raw and "[bookmark:" not in text
    assert text.count("\n") == raw.count("\n")
    assert "· There will always be difficult Choices" in text


def test_sections_do_not_overlap_and_cover_their_blocks():
    for path in (PANEL, WORKSHOP):
        doc = load(path)
        leaves = [s for _, s in doc.leaf_sections()]
        for a, b in itertools.pairwise(leaves):
            assert a.end <= b.start
        for s in leaves:
            assert all(s.start <= b.start < b.end <= s.end for b in s.blocks)


@pytest.mark.parametrize(("text", "iso"), [
    ("Monday 6th of December 2021", "2021-12-06"), ("15.00 – 16.50 Thursday 4th of November 2021",
                                                     "2021-11-04"),
    ("6 Dec 2021", "2021-12-06"), ("December 6, 2021", "2021-12-06"), ("2021-12-06", "2021-12-06"),
    ("31st of February 2021", None), ("no date here", None)])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_parse_speakers_variants():
    people = parse_speakers("Speakers: Ann Lee, GP; Bob Ray [Chair]; Cy Dee Chief Officer; Solo")
    assert [(p.name, p.role) for p in people] == [
        ("Ann Lee", "GP"), ("Bob Ray", "Chair"), ("Cy Dee", "Chief Officer"), ("Solo", None)]


def test_indented_bullets_nest_and_unstructured_text_is_one_section():
    doc = parse("Topic A:\nSub heading:\n- one\n\t- one point one\n- two\n", "x.txt")
    (sec,) = doc.sections
    kinds = [(doc.text[b.text_start:b.end], b.level, b.parent) for b in sec.blocks]
    assert kinds == [("Sub heading:", 0, None), ("one", 1, 0), ("one point one", 2, 1),
                     ("two", 1, 0)]
    plain = parse("just some words without any structure at all. more words here.\n", "p.txt",
                  fallback_title="p")
    assert [s.name for s in plain.sections] == ["Main text"] and plain.title == "p"


def test_short_question_bullets_head_their_answers():
    text = ("Responses\n· Sectors to work with:\n· All sectors\n"
            "· Can you see investment in the next 5 years?\n"
            "· We must, and to make it happen we need:\n· A case for change\n· Evidence\n"
            "· Main challenges?\n· Working together\n· Being reactive\n"
            "· Recommendations:\n· Convene hope\n"
            "· Why does nobody ever talk about the long-term funding of prevention work here?\n"
            "· A long contribution that follows a long question\n")
    doc = parse(text, "q.txt", "txt")
    (section,) = doc.sections
    blocks = section.blocks
    label = {i: doc.text[b.text_start:b.end] for i, b in enumerate(blocks)}
    index = {v: k for k, v in label.items()}
    parent = {label[i]: label.get(b.parent) for i, b in enumerate(blocks)}
    assert blocks[index["Can you see investment in the next 5 years?"]].kind == "subheading"
    # a colon bullet right under the question is its answer, with its own bullets below it
    assert parent["We must, and to make it happen we need:"] == \
        "Can you see investment in the next 5 years?"
    assert parent["A case for change"] == "We must, and to make it happen we need:"
    assert parent["Working together"] == parent["Being reactive"] == "Main challenges?"
    # after the question's answers, a colon bullet starts a new sub-heading
    assert parent["Recommendations:"] is None
    assert parent["Convene hope"] == "Recommendations:"
    # a long question is a contribution, not a heading
    long_q = "Why does nobody ever talk about the long-term funding of prevention work here?"
    assert blocks[index[long_q]].kind == "bullet"
