"""The workshop layout: key points, groups of numbered prompts with contributions."""

from __future__ import annotations

from ingest.layouts.registry import parse
from tests.ingest.layout_records import WORKSHOP


def test_key_points_group_of_prompts_and_closing():
    d = parse(WORKSHOP, "w.txt")
    assert d.layout == "workshop"
    assert d.title == "Community Workshop on Fair Services" and d.date == "2022-06-22"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("Key points", "topic"), ("Breakout contributions", "group"), ("Next steps", "closing")]
    group = d.sections[1]
    assert [(c.name, c.kind) for c in group.children] == [
        ("1. What would make services feel fairer to you?", "prompt"),
        ("2. What gets in the way of you using services?", "prompt")]
    first = group.children[0]
    assert [d.text[b.text_start:b.end] for b in first.blocks] == [
        "Same doctor every time", "Letters in plain English"]
    assert {b.role for b in first.blocks} == {"bullet"}
    assert d.text[first.start:first.end] == (
        "1. What would make services feel fairer to you?\n· Same doctor every time\n"
        "· Letters in plain English")


def test_prompt_label_headings():
    text = WORKSHOP.replace("1. What would", "Prompt 1: What would").replace(
        "2. What gets", "Prompt 2: What gets")
    d = parse(text, "w.txt")
    assert [c.kind for c in d.sections[1].children] == ["prompt", "prompt"]
