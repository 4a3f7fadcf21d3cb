"""Readers: turn a source file into its canonical text, the string every offset points into.

Supported: ``.txt`` (UTF-8), ``.docx`` (python-docx) and ``.pdf`` (pypdf). Each reader returns the
canonical text; :func:`ingest.structure.parse` recovers the structure from it.

Documented normalisations of ``.txt`` (and nothing else):

* a UTF-8 byte-order mark is dropped;
* line endings ``\\r\\n`` and ``\\r`` become ``\\n`` (line numbers are unchanged);
* Word export artefacts ``[bookmark: NAME]`` (and one space after them) are removed inside their
  line (line numbers are unchanged).

Any other encoding than UTF-8 is refused with a clear error naming the file (detection of legacy
encodings is not reliable enough to cite from). ``.docx`` paragraphs become lines, list paragraphs
get a ``·`` marker indented by one tab per list level; ``.pdf`` pages are joined by a newline.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import ReaderError

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
    if suffix == ".txt":
        text = _decode_txt(name, data)
    elif suffix == ".docx":
        text = _read_docx(name, path)
    else:
        text = _read_pdf(name, path)
    text = normalise_text(text)
    if not text.strip():
        raise ReaderError(name, "no text in file")
    return text, suffix[1:]


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


def _read_docx(name: str, path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise ReaderError(name, f"corrupt or not a .docx file ({exc.__class__.__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: all mean "corrupt"
        raise ReaderError(name, f"corrupt .docx file ({exc.__class__.__name__}: {exc})") from exc
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.replace("\r", "")
        level = _docx_list_level(para)
        if level is not None and text.strip():
            stripped = text.lstrip()
            marker = "" if stripped[:1] in "·•-*" else "· "
            lines.append("\t" * level + marker + stripped)
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


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


def _read_pdf(name: str, path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ReaderError(name, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises a variety of errors on broken files
        raise ReaderError(name, f"corrupt PDF ({exc.__class__.__name__}: {exc})") from exc
    text = "\n".join(p.rstrip("\n") for p in pages)
    if not text.strip():
        raise ReaderError(name, "PDF has no extractable text (scanned image?)")
    return text + "\n"
