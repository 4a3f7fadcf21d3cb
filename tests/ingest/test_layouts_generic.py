"""The generic layout: headings by blank-line structure or numbering; quotes; closing parts."""

from __future__ import annotations

from ingest.layouts.registry import parse
from tests.ingest.layout_records import GENERIC


def test_headings_by_blank_lines_quotes_and_closing():
    d = parse(GENERIC, "g.txt")
    assert d.layout == "generic"
    assert d.title == "Listening Event Report" and d.date == "2022-09-30"
    assert [(s.name, s.kind) for s in d.sections] == [
        ("In brief", "topic"), ("Heating or eating", "topic"), ("What happens next", "closing")]
    heating = d.sections[1]
    assert [b.role for b in heating.blocks] == ["body", "quote"]
    quote = heating.blocks[1]
    assert d.text[quote.start:quote.end] == \
        "“I sit in my coat so the baby can have the heating on.” – resident"


def test_numbered_headings_nest_by_their_dotted_parts():
    text = ("Annual Report\n\n1 Introduction\nSome words here about the year.\n"
            "2 Findings\nThe findings follow.\n2.1 Housing\nDamp homes were common.\n"
            "2.2 Transport\nBuses are rare.\n")
    d = parse(text, "r.txt")
    assert [(s.name, [c.name for c in s.children]) for s in d.sections] == [
        ("1 Introduction", []), ("2 Findings", ["2.1 Housing", "2.2 Transport"])]


def test_no_structure_is_one_body_section():
    d = parse("just some words without any structure at all. more words here.\n", "p.txt",
              fallback_title="p")
    assert [(s.name, s.kind) for s in d.sections] == [("Main text", "body")]


def test_bold_paragraphs_are_headings_when_no_heading_style_is_used(tmp_path):
    import docx

    from ingest.readers import read

    document = docx.Document()
    document.add_paragraph("Evidence Session Notes")
    document.add_paragraph("Thursday 6 October 2022")
    for head, body in [("Food and money", "People skip meals to pay for heating."),
                       ("Getting help", "Advice services have long waiting lists.")]:
        document.add_paragraph().add_run(head).bold = True
        document.add_paragraph(body)
    target = tmp_path / "notes.docx"
    document.save(str(target))
    src = read(target)
    d = parse(src.text, target.name, src.format, hints=src.hints)
    assert (d.title, d.date) == ("Evidence Session Notes", "2022-10-06")
    assert [(s.name, s.kind) for s in d.sections] == [("Food and money", "topic"),
                                                     ("Getting help", "topic")]


def test_numbered_witness_labels_are_speakers_lines():
    d = parse("Hearing\n1 June 2022\nFood banks\nWitness 1: Ann Lee – Manager, Town Food Bank\n"
              "- Demand doubled this year\n", "h.txt")
    (s,) = d.sections
    assert (s.name, s.kind) == ("Food banks", "place")
    assert [(p.name, p.role) for p in s.speakers] == [("Ann Lee", "Manager, Town Food Bank")]
