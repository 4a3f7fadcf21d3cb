""".docx and .pdf renderings of the sample records (generated here from the .txt) give the same
structure as the .txt: title, date, section names and speakers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ingest.readers import read_text
from ingest.structure import parse

ROOT = Path(__file__).resolve().parents[2] / "data" / "transcripts"
SAMPLES = sorted(ROOT.glob("*.txt"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_BULLET = re.compile(r"^(?P<indent>\t*)[·•]\s?(?P<text>.*)$")


def write_docx(text: str, path: Path) -> None:
    """Plain lines become paragraphs; ``·`` lines become Word list paragraphs (the marker is
    Word's, not the text's; one tab of indentation is one list level)."""
    import docx

    document = docx.Document()
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        m = _BULLET.match(line)
        if m:
            level = len(m.group("indent"))
            document.add_paragraph(m.group("text"),
                                   style="List Bullet" + (f" {level + 1}" if level else ""))
        else:
            document.add_paragraph(line)
    document.save(str(path))


def write_pdf(text: str, path: Path) -> None:
    """One text line per PDF line: a wide page and a small font so nothing wraps; DejaVu Sans
    so that ``·``, dashes and curly quotes are real glyphs."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format=(297, 700))
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=6)
    pdf.add_page()
    for line in text.split("\n"):
        pdf.cell(0, 3, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def outline(doc) -> dict:
    return {"title": doc.title, "date": doc.date,
            "sections": [s.name for s in doc.sections],
            "leaves": [(path, s.name, [(p.name, p.role) for p in s.speakers])
                       for path, s in doc.leaf_sections()],
            "speakers": [p.name for p in doc.speakers]}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_structure_as_txt(tmp_path, sample, fmt):
    if fmt == "pdf" and not FONT.is_file():
        if os.environ.get("COMMISSION_QA_REQUIRE_BROWSER") == "1":  # `make test`: installed
            pytest.fail("DejaVu Sans missing: `make browser` should have installed it")
        pytest.skip("DejaVu Sans not installed (apt-get install fonts-dejavu-core)")
    text, _ = read_text(sample)
    target = tmp_path / f"{sample.stem}.{fmt}"
    (write_docx if fmt == "docx" else write_pdf)(text, target)
    converted, got_fmt = read_text(target)
    assert got_fmt == fmt
    expected = outline(parse(text, sample.name))
    got = outline(parse(converted, target.name, fmt))
    assert expected["sections"] and expected["leaves"]
    assert got == expected
    assert "·" in converted and "’" in converted  # the glyphs survived the conversion


def test_docx_list_levels_become_tab_indented_markers(tmp_path):
    text = ("Title Meeting\n1 March 2021\nPlace One\nSpeakers: Ann Example, Chair\n"
            "· top level point about housing\n\t· nested point under it\n")
    target = tmp_path / "levels.docx"
    write_docx(text, target)
    converted, _ = read_text(target)
    assert converted.splitlines()[-2:] == ["· top level point about housing",
                                          "\t· nested point under it"]


def test_docx_numbered_lists_show_the_numbers_word_shows(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Actions agreed", style="Heading 1")
    for t in ("Publish the prospectus", "Write to the ICB", "Book the venue"):
        d.add_paragraph(t, style="List Number")
    d.add_paragraph("A paragraph ends the list.")
    d.add_paragraph("First again", style="List Number")
    d.add_paragraph("a bullet under it", style="List Bullet 2")
    d.add_paragraph("Second again", style="List Number")
    d.add_paragraph("nested one", style="List Number 2")
    d.add_paragraph("nested two", style="List Number 2")
    d.add_paragraph("Third again", style="List Number")
    d.add_paragraph("4. numbered by hand", style="List Number")
    d.add_paragraph("a plain bullet", style="List Bullet")
    target = tmp_path / "numbered.docx"
    d.save(str(target))
    converted, _ = read_text(target)
    assert converted.splitlines() == [
        "Actions agreed", "1. Publish the prospectus", "2. Write to the ICB", "3. Book the venue",
        "A paragraph ends the list.", "1. First again", "\t· a bullet under it", "2. Second again",
        "\t1. nested one", "\t2. nested two", "3. Third again", "4. numbered by hand",
        "· a plain bullet"]
