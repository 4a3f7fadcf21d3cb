"""The panel layout: places with one or more speakers lines, labelled sub-headings, closing
parts as sections of their own, the meeting details before the first place."""

from __future__ import annotations

from ingest.layouts.registry import parse
from tests.ingest.layout_records import PANEL


def doc():
    return parse(PANEL, "panel.txt")


def text_of(d, block):
    return d.text[block.text_start:block.end]


def test_places_and_closing_parts_are_top_level_sections():
    d = doc()
    assert d.layout == "panel"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("Hillside Ward", "place"), ("Lowbridge", "place"),
        ("Panel reflections", "closing"), ("Next steps", "closing")]
    closing = d.sections[2]
    assert d.text[closing.start:closing.end] == (
        "Panel reflections\n- The panel noted that cold homes drive winter admissions")


def test_time_and_venue_lines_are_meeting_details_not_a_section():
    d = doc()
    assert d.title == "Riverside Health Equity Commission Panel Meeting: Warm Homes and Health"
    assert d.date == "2022-05-03"
    assert d.sections[0].start == d.text.index("Hillside Ward")  # nothing before the first place


def test_several_speaker_lines_and_presenters_with_dash_comma_and_bracket_roles():
    d = doc()
    hill, low = d.sections[:2]
    assert [(p.name, p.role) for p in hill.speakers] == [
        ("Dr Bea Sample", "Clinical Lead, Hillside Practice"),
        ("Carl Demo", "Head of Housing, Riverside Council")]
    assert d.text[slice(*hill.speakers_span)] == (
        "Speaker: Dr Bea Sample – Clinical Lead, Hillside Practice\n"
        "Speaker: Carl Demo – Head of Housing, Riverside Council")
    assert [(p.name, p.role) for p in low.speakers] == [
        ("Dee Person", "Director of Public Health (Riverside Council)"),
        ("Ed Other", "Community Lead")]


def test_bullet_labels_head_their_own_bullets_only():
    d = doc()
    hill = d.sections[0]
    label = {i: text_of(d, b) for i, b in enumerate(hill.blocks)}
    parent = {label[i]: label.get(b.parent) for i, b in enumerate(hill.blocks)}
    assert parent["Damp in private rented flats"] == "Key challenges:"
    assert parent["Fuel debt among older tenants"] == "Key challenges:"
    assert parent["What has worked:"] is None
    assert parent["A boiler loan scheme run with the credit union"] == "What has worked:"
    assert parent["Ask of the panel:"] is None
    assert parent["Fund retrofit of the worst homes first"] == "Ask of the panel:"
    roles = {label[i]: b.role for i, b in enumerate(hill.blocks)}
    assert roles["Key challenges:"] == "heading" and roles["Damp in private rented flats"] == "bullet"


def test_an_attendance_list_before_the_places_is_its_own_section():
    text = PANEL.replace("Chaired by Ann Example, Chair of the Commission\n",
                         "Chaired by Ann Example, Chair of the Commission\n"
                         "Panellists present: Gil Sample; Hal Demo (health economist)\n")
    d = parse(text, "panel.txt")
    assert [(s.name, s.kind) for s in d.sections][:2] == [
        ("Attendance", "attendance"), ("Hillside Ward", "place")]
    assert [(p.name, p.role, p.status) for p in d.sections[0].speakers] == [
        ("Gil Sample", None, "present"), ("Hal Demo", "health economist", "present")]
