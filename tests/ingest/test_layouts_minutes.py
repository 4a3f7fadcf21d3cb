"""The minutes layout: attendance with status, numbered items, decisions, votes, actions, the
actions log as table rows, closing parts."""

from __future__ import annotations

import re

from ingest.layouts.registry import parse
from tests.ingest.layout_records import MINUTES


def doc():
    return parse(MINUTES, "minutes.txt")


def test_items_are_sections_of_their_own_with_exact_spans():
    d = doc()
    assert d.layout == "minutes"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("Attendance", "attendance"), ("1. Welcome and introductions", "item"),
        ("2. Community grants", "item"), ("3. Any other business", "item"),
        ("Actions log", "closing"), ("Date of next meeting", "closing")]
    welcome = d.sections[1]
    assert d.text[welcome.start:welcome.end] == (
        "1. Welcome and introductions\n"
        "1.1 The Chair welcomed members and noted the meeting was quorate.")
    assert d.text[welcome.heading_start:welcome.heading_end] == "1. Welcome and introductions"


def test_meeting_details_are_not_a_section():
    d = doc()
    assert d.title == "RIVERSIDE HEALTH EQUITY COMMISSION Programme Board – Minutes of Meeting"
    assert d.date == "2022-05-09"
    assert d.sections[0].start == d.text.index("Chair: Ann Example")


def test_attendees_with_roles_and_status():
    d = doc()
    att = d.sections[0]
    assert [(p.name, p.role, p.status) for p in att.speakers] == [
        ("Ann Example", "Chair of the Commission", "chair"),
        ("Bob Sample", "Director of Finance (Riverside Council)", "present"),
        ("Cat Demo", "Lived Experience Representative", "present"),
        ("Dan Person", "Programme Manager (secretariat)", "in-attendance"),
        ("Eve Other", None, "apologies"),
        ("Fay Name", "Riverside Hospital", "apologies")]
    assert {b.role for b in att.blocks} == {"attendance"}
    labels = [d.text[b.start:b.end] for b in att.blocks if b.kind == "subheading"]
    assert labels == ["Present:", "In attendance:"]
    present = att.blocks[1]
    assert [d.text[b.start:b.end] for b in att.blocks if b.parent == 1] == [
        "Bob Sample, Director of Finance (Riverside Council)",
        "Cat Demo, Lived Experience Representative"]
    assert present.role == "attendance"


def test_decision_vote_and_action_roles():
    d = doc()
    grants = d.sections[2]
    roles = [(d.text[b.start:b.end].split(" ")[0], b.role) for b in grants.blocks]
    assert roles == [("2.1", "body"), ("2.2", "decision"), ("2.3", "vote"), ("Action:", "action")]


def test_actions_log_rows_are_table_rows():
    d = doc()
    log = d.sections[4]
    assert [(b.kind, b.role) for b in log.blocks] == [("row", "table"), ("row", "table")]
    assert d.text[log.blocks[1].start:log.blocks[1].end] == \
        "1 | Publish the grants prospectus | Dan Person | 30 June 2022"


def test_numbered_list_inside_an_item_does_not_open_items():
    text = MINUTES.replace("3.1 None was raised.",
                           "Members listed:\n1. first point\n2. second point")
    d = parse(text, "m.txt")
    assert [s.name for s in d.sections if s.kind == "item"] == [
        "1. Welcome and introductions", "2. Community grants", "3. Any other business"]


def test_a_wrapped_attendance_line_continues_its_person():
    from core.records import LineHint

    text = MINUTES.replace("Bob Sample, Director of Finance (Riverside Council)",
                           "Bob Sample, Director of Finance\n(Riverside Council)")
    wrapped = text.split("\n").index("(Riverside Council)")
    d = parse(text, "m.pdf", "pdf", hints=(LineHint(wrapped, joined=True),))
    att = d.sections[0]
    assert ("Bob Sample", "Director of Finance (Riverside Council)", "present") in [
        (p.name, p.role, p.status) for p in att.speakers]
    block = next(b for b in att.blocks if d.text[b.start:b.end].startswith("Bob Sample"))
    assert d.text[block.start:block.end] == "Bob Sample, Director of Finance\n(Riverside Council)"


def _bare_labels(text: str) -> str:
    """The record as many minutes are typed: labels alone on their line in capitals (no colon)
    and items numbered without a dot."""
    text = text.replace("Present:\n", "PRESENT\n").replace("In attendance:\n", "IN ATTENDANCE\n")
    text = text.replace("Apologies: Eve Other; Fay Name (Riverside Hospital)",
                        "APOLOGIES FOR ABSENCE\nEve Other\nFay Name (Riverside Hospital)")
    for n in "123":
        text = text.replace(f"\n{n}. ", f"\n{n} ")
    return text


def test_labels_alone_on_their_line_and_items_without_a_dot():
    d = parse(_bare_labels(MINUTES), "minutes.txt")
    assert d.layout == "minutes"
    assert [(s.name, s.kind) for s in d.sections][:4] == [
        ("Attendance", "attendance"), ("1 Welcome and introductions", "item"),
        ("2 Community grants", "item"), ("3 Any other business", "item")]
    assert [(p.name, p.status) for p in d.sections[0].speakers] == [
        ("Ann Example", "chair"), ("Bob Sample", "present"), ("Cat Demo", "present"),
        ("Dan Person", "in-attendance"), ("Eve Other", "apologies"), ("Fay Name", "apologies")]


def test_items_without_numbers_in_the_text_are_the_short_lines_a_paragraph_follows():
    # Word's automatic numbering leaves the numbers out of the text
    text = re.sub(r"(?m)^\d\.(\d )?", "", MINUTES).replace("\n ", "\n")
    d = parse(text, "minutes.txt")
    assert d.layout == "minutes"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("Attendance", "attendance"), ("Welcome and introductions", "item"),
        ("Community grants", "item"), ("Any other business", "item"),
        ("Actions log", "closing"), ("Date of next meeting", "closing")]
    assert len(d.sections[0].speakers) == 6  # the attendance part ends where the items begin


def test_minute_references_open_items_and_may_start_at_any_number():
    text = re.sub(r"(?m)^(\d)\. ", lambda m: f"PB/22/{int(m.group(1)) + 40:03d} ", MINUTES)
    d = parse(text, "minutes.txt")
    assert [(s.name, s.kind) for s in d.sections][1:4] == [
        ("PB/22/041 Welcome and introductions", "item"), ("PB/22/042 Community grants", "item"),
        ("PB/22/043 Any other business", "item")]


def test_a_paragraph_line_is_not_an_item():
    text = MINUTES.replace("2.1 The paper set out two options for the grants fund.",
                           "\nThe paper set out two options.\n2.1 The fund is worth two million "
                           "pounds over two years and is open to groups across the area.")
    d = parse(text, "minutes.txt")
    assert [s.name for s in d.sections if s.kind == "item"] == [
        "1. Welcome and introductions", "2. Community grants", "3. Any other business"]
