"""Readers: turn a source file into its canonical text, the string every offset points into.

Supported: ``.txt`` (UTF-8), ``.docx`` (python-docx) and ``.pdf`` (pypdf). :func:`read` returns a
``SourceText``: the canonical text, the format and per-line typographic hints (``LineHint``: heading
level, list level, bold, italic, size, table row, wrapped line) that the layouts use when present;
:func:`read_text` returns the text and format alone.

Documented normalisations of ``.txt`` (and nothing else):

* a UTF-8 byte-order mark is dropped;
* line endings ``\\r\\n`` and ``\\r`` become ``\\n`` (line numbers are unchanged);
* Word export artefacts ``[bookmark: NAME]`` (and one space after them) are removed inside their
  line (line numbers are unchanged).

Any other encoding than UTF-8 is refused with a clear error naming the file (detection of legacy
encodings is not reliable enough to cite from). ``.docx`` paragraphs and tables in document order
become lines: list paragraphs get a ``·`` marker indented by one tab per list level, each table
row is one line of its cells joined by ``" | "``; the hints keep the document's own heading
levels (Title: 0, Heading N and outline levels: N), list levels and numbering, whole-line bold
and italic, and table rows. ``.pdf`` pages are joined by a newline; fonts and sizes give the
hints (:mod:`ingest.pdf_reader`).
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import ReaderError
from core.records import LineHint, SourceText

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BOOKMARK = re.compile(r"\[bookmark: [^\]\n]*\] ?")


def normalise_text(text: str) -> str:
    """The documented normalisations applied to every reader's output."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BOOKMARK.sub("", text)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read ``path`` and return ``(canonical_text, format)``; raise :class:`ReaderError`."""
    source = read(path, max_bytes)
    return source.text, source.format


def read(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read ``path``: its canonical text, format and line hints; raise :class:`ReaderError`."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReaderError(name, f"unsupported file type {suffix or '(none)'!r}; "
                          f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReaderError(name, f"cannot stat file: {exc.strerror or exc}") from exc
    if size == 0:
        raise ReaderError(name, "empty file")
    if size > max_bytes:
        raise ReaderError(name, f"file too large ({size:,} bytes > limit {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(name, f"cannot read file: {exc.strerror or exc}") from exc
    hints: tuple[LineHint, ...] = ()
    if suffix == ".txt":
        text = _decode_txt(name, data)
    elif suffix == ".docx":
        text, hints = _read_docx(name, path)
    else:
        from ingest.pdf_reader import read_pdf

        text, hints = read_pdf(name, path)
    text = normalise_text(text)  # line numbers unchanged: the hints still point at their lines
    if not text.strip():
        raise ReaderError(name, "no text in file")
    return SourceText(text, suffix[1:], hints)


def _decode_txt(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ReaderError(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(
            name,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8",
        ) from exc


def _read_docx(name: str, path: Path) -> tuple[str, tuple[LineHint, ...]]:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        content = list(document.iter_inner_content())
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise ReaderError(name, f"corrupt or not a .docx file ({exc.__class__.__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: all mean "corrupt"
        raise ReaderError(name, f"corrupt .docx file ({exc.__class__.__name__}: {exc})") from exc
    lines: list[str] = []
    hints: list[LineHint] = []
    numbers = _ListNumbers()
    for item in content:
        if isinstance(item, Table):
            numbers.interrupt()
            for row in item.rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is repeated: once is enough
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                hints.append(LineHint(len(lines), table=True))
                lines.append(" | ".join(cells))
            continue
        text = item.text.replace("\r", "").replace("\n", " ")
        level = _docx_list_level(item)
        if level is not None and text.strip():
            stripped = text.lstrip()
            if stripped[:1] in "·•-*" or _NUMBERED.match(stripped):
                marker = ""  # the text carries its own marker
            else:
                marker = numbers.next(level) if _is_numbered(item) else numbers.bullet(level)
            lines.append("\t" * level + marker + stripped)
        else:
            if text.strip():
                numbers.interrupt()
            lines.append(text)
        hint = _docx_hint(item, len(lines) - 1, level)
        if hint is not None:
            hints.append(hint)
    return "\n".join(lines) + "\n", tuple(hints)


_NUMBERED = re.compile(r"\d{1,3}[.)]\s")


class _ListNumbers:
    """The numbers Word shows before the items of a numbered list (they are not in the text):
    counted per level, from 1 after any paragraph that is not a list item; a sub-list starts
    again at 1 under each item."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def next(self, level: int) -> str:
        self.counts = {k: v for k, v in self.counts.items() if k <= level}
        self.counts[level] = self.counts.get(level, 0) + 1
        return f"{self.counts[level]}. "

    def bullet(self, level: int) -> str:
        self.counts = {k: v for k, v in self.counts.items() if k < level}
        return "· "

    def interrupt(self) -> None:
        self.counts = {}


def _is_numbered(para) -> bool:  # noqa: ANN001 - python-docx paragraph
    """A list item of a numbering style ("List Number", "List Number 2")."""
    style = (para.style.name or "") if para.style is not None else ""
    return "number" in style.casefold()


def _docx_list_level(para) -> int | None:  # noqa: ANN001 - python-docx paragraph
    """The list level of a paragraph, or None when it is not a list item."""
    ppr = para._p.pPr  # python-docx exposes numbering only through the XML
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None else 0
    style = (para.style.name or "") if para.style is not None else ""
    if style.startswith("List"):
        match = re.search(r"(\d+)$", style)
        return int(match.group(1)) - 1 if match else 0
    return None


def _docx_hint(para, line: int, list_level: int | None) -> LineHint | None:  # noqa: ANN001
    """The typography of a paragraph worth telling the layouts, or None."""
    if not para.text.strip():
        return None
    style = para.style
    style_name = (style.name or "") if style is not None else ""
    heading = _docx_heading_level(para, style_name)
    runs = [r for r in para.runs if r.text.strip()]
    style_bold = bool(style is not None and style.font.bold)
    style_italic = bool(style is not None and style.font.italic)
    bold = bool(runs) and all(r.bold if r.bold is not None else style_bold for r in runs)
    italic = bool(runs) and all(r.italic if r.italic is not None else style_italic for r in runs)
    numbered = list_level is not None and _is_numbered(para)
    if heading is None and list_level is None and not bold and not italic:
        return None
    return LineHint(line, heading=heading, list_level=list_level, numbered=numbered,
                    bold=bold and heading is None, italic=italic)


def _docx_heading_level(para, style_name: str) -> int | None:  # noqa: ANN001
    if style_name == "Title":
        return 0
    m = re.fullmatch(r"Heading (\d)", style_name)
    if m:
        return int(m.group(1))
    for element in (para._p, para.style.element if para.style is not None else None):
        if element is None:
            continue
        found = element.xpath("./w:pPr/w:outlineLvl/@w:val")
        if found and found[0].isdigit() and int(found[0]) < 9:
            return int(found[0]) + 1
    return None
