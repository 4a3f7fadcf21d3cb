"""The same record as .txt, as a .docx with real Word styles (Title, Heading N, List Bullet, a
table) and as a .pdf with bold, larger headings: the same section names and kinds, and the
readers' hints (heading levels, list levels, table rows) are what the document said."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.layouts.registry import parse
from ingest.readers import read
from tests.ingest.layout_records import GENERIC, MINUTES, PANEL, WORKSHOP

FONTS = Path("/usr/share/fonts/truetype/dejavu")
_LIST = re.compile(r"^(?P<indent>\s*)[·•-]\s+(?P<text>.*)$")
RECORDS = {"panel": PANEL, "minutes": MINUTES, "workshop": WORKSHOP, "generic": GENERIC}


def heading_levels(text: str) -> dict[str, int]:
    """The heading lines of the .txt's own structure, by depth (1 top), and the title (0)."""
    doc = parse(text, "x.txt")
    levels = {text.split("\n", 1)[0]: 0}

    def walk(sections, depth):
        for s in sections:
            head = text[s.heading_start:s.heading_end]
            if head and s.kind != "attendance":
                levels[head] = depth
            walk(s.children, depth + 1)

    walk(doc.sections, 1)
    return levels


def write_docx(text: str, path: Path) -> None:
    import docx

    levels = heading_levels(text)
    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows.clear()

    for line in text.split("\n"):
        if " | " in line:
            rows.append(line.split(" | "))
            continue
        flush()
        if not line.strip():
            continue
        m = _LIST.match(line)
        if line in levels:
            document.add_paragraph(line, style="Title" if levels[line] == 0 else
                                   f"Heading {levels[line]}")
        elif m:
            deep = len(m.group("indent").expandtabs(2)) >= 2
            document.add_paragraph(m.group("text"), style="List Bullet 2" if deep else "List Bullet")
        else:
            document.add_paragraph(line)
    flush()
    document.save(str(path))


def write_pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    levels = heading_levels(text)
    pdf = FPDF(orientation="L", unit="mm", format="A3")
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    for line in text.split("\n"):
        if not line.strip():
            continue
        level = levels.get(line)
        size = {0: 18, 1: 14, 2: 12}.get(level, 9) if level is not None else 9
        pdf.set_font("DejaVu", style="B" if level is not None else "", size=size)
        pdf.cell(0, size * 0.6, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def outline(doc) -> list:
    def walk(sections):
        return [(s.name, s.kind, walk(s.children)) for s in sections]
    return [doc.title, doc.date, doc.layout, walk(doc.sections)]


@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_sections_as_txt(tmp_path, name, fmt):
    if fmt == "pdf" and not (FONTS / "DejaVuSans-Bold.ttf").is_file():
        pytest.skip("DejaVu fonts not installed (apt-get install fonts-dejavu-core)")
    text = RECORDS[name]
    target = tmp_path / f"{name}.{fmt}"
    (write_docx if fmt == "docx" else write_pdf)(text, target)
    src = read(target)
    assert src.hints, "the reader kept the typography"
    got = parse(src.text, target.name, src.format, hints=src.hints)
    assert outline(got) == outline(parse(text, f"{name}.txt"))


def test_docx_hints_are_the_documents_styles(tmp_path):
    target = tmp_path / "minutes.docx"
    write_docx(MINUTES, target)
    src = read(target)
    lines = src.text.split("\n")
    by_text = {lines[h.line]: h for h in src.hints}
    assert by_text["RIVERSIDE HEALTH EQUITY COMMISSION"].heading == 0
    assert by_text["2. Community grants"].heading == 1
    row = "1 | Publish the grants prospectus | Dan Person | 30 June 2022"
    assert by_text[row].table
    doc = parse(src.text, target.name, src.format, hints=src.hints)
    log = next(s for s in doc.sections if s.name == "Actions log")
    assert [b.role for b in log.blocks] == ["table", "table"]
    assert doc.text[log.blocks[1].start:log.blocks[1].end] == row


def test_docx_list_levels_and_pdf_heading_sizes(tmp_path):
    docx_path, pdf_path = tmp_path / "panel.docx", tmp_path / "panel.pdf"
    write_docx(PANEL, docx_path)
    src = read(docx_path)
    lines = src.text.split("\n")
    nested = next(h for h in src.hints if lines[h.line].endswith("Damp in private rented flats"))
    assert nested.list_level == 1 and lines[nested.line].startswith("\t· ")
    if not (FONTS / "DejaVuSans-Bold.ttf").is_file():
        pytest.skip("DejaVu fonts not installed")
    write_pdf(PANEL, pdf_path)
    pdf = read(pdf_path)
    lines = pdf.text.split("\n")
    levels = {lines[h.line]: h.heading for h in pdf.hints if h.heading is not None}
    assert levels["Riverside Health Equity Commission"] == 0
    assert levels["Hillside Ward"] == 1 and levels["Panel reflections"] == 1


def test_wrapped_pdf_paragraphs_are_joined_and_keep_their_roles(tmp_path):
    """A narrow page wraps the long lines: each wrapped paragraph is one block again."""
    if not (FONTS / "DejaVuSans-Bold.ttf").is_file():
        pytest.skip("DejaVu fonts not installed")
    from fpdf import FPDF

    levels = heading_levels(MINUTES)
    pdf = FPDF(format=(148, 400))  # narrow: long lines wrap; tall: no page break
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    for line in MINUTES.split("\n"):
        if line.strip():
            bold = line in levels
            pdf.set_font("DejaVu", style="B" if bold else "", size=13 if bold else 9)
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
    target = tmp_path / "wrapped.pdf"
    pdf.output(str(target))
    src = read(target)
    assert any(h.joined for h in src.hints), "some lines wrapped"
    doc = parse(src.text, target.name, src.format, hints=src.hints)
    expected = parse(MINUTES, "m.txt")
    assert outline(doc) == outline(expected)
    grants = doc.sections[2]
    assert [b.role for b in grants.blocks] == [b.role for b in expected.sections[2].blocks]
    action = grants.blocks[-1]
    assert " ".join(doc.text[action.start:action.end].split()) == (
        "Action: Publish the grants prospectus — Owner: Dan Person — Due: 30 June 2022")


def write_wrapped_pdf(text: str, path: Path) -> None:
    """An A4 page, justified text: long lines wrap (and get stretched spaces), headings bold and
    larger, a little space between paragraphs, pages break where they fall."""
    from fpdf import FPDF

    levels = heading_levels(text)
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    for line in text.split("\n"):
        if not line.strip():
            pdf.ln(3)
            continue
        level = levels.get(line)
        size = {0: 16, 1: 13, 2: 11}.get(level, 10) if level is not None else 10
        pdf.set_font("DejaVu", style="B" if level is not None else "", size=size)
        pdf.multi_cell(0, size * 0.5, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    pdf.output(str(path))


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "transcripts").glob("*.txt"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_wrapped_justified_pdf_of_a_sample_record_has_its_structure(tmp_path, sample):
    if not (FONTS / "DejaVuSans-Bold.ttf").is_file():
        pytest.skip("DejaVu fonts not installed")
    from encoders.embedding import locate_model, token_counter
    from ingest.chunking import ChunkerSettings, chunk_document
    from tests.ingest.test_chunking import check_invariants

    text = read(sample).text
    target = tmp_path / f"{sample.stem}.pdf"
    write_wrapped_pdf(text, target)
    src = read(target)
    assert sum(h.joined for h in src.hints) > 10, "paragraphs wrapped"
    doc = parse(src.text, target.name, src.format, hints=src.hints)
    expected = parse(text, sample.name)

    def people(d):
        return [(p.name, p.role) for _, s in d.leaf_sections() for p in s.speakers]

    assert outline(doc) == outline(expected)
    assert people(doc) == people(expected)
    count = token_counter(locate_model(None))
    check_invariants(doc, chunk_document(doc, ChunkerSettings(), count))
