"""The ``.pdf`` reader: pypdf's text, and the typography of each line from the fonts pypdf saw.

pypdf's ``extract_text(visitor_text=...)`` reports each text run with its font and size; the runs
are found again, in order, in the page's extracted text, so each character knows its size and
whether its font is bold or italic (by words of the font's name: ``core/words/font_bold.txt``,
``font_italic.txt``). A line's size is its most common size.

Hints
    The body size is the most common size of the record. Larger sizes are heading levels, the
    largest first (1, 2, ...); when the largest size is only on the first lines of the first
    page it is the title (level 0). A line is a heading when its size is a heading size and it
    has at most 20 words; ``bold``/``italic`` when every character is. A line *joins* the one
    before it (a wrapped line of the same paragraph) when both are body text of one font, the
    gap between them is the page's line gap (the smallest gap between body lines, at least 0.8
    of the body size) while the page also has larger gaps between paragraphs, the line before is
    long (at least 70% of the page's longest line, spaces collapsed) and ends inside a sentence
    (a lower-case letter, a digit, a comma, colon, semicolon or dash) or the line begins in
    lower case, and the line is not a bullet or a numbered line. A heading line joins the
    heading before it when it wraps it (same size and font, at most 1.5 times its size
    below it: a heading is followed by its text, not by another heading so close).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core import words
from core.errors import ReaderError
from core.records import LineHint

_BULLET = re.compile(r"^\s*(?:[·•▪◦‣∙*–-]|\d{1,2}(?:[.)]|(?:\.\d{1,2})+\.?)|\([a-z]{1,4}\))\s")
_OPEN_END = re.compile(r"[a-z0-9,;:–—-]$")
_HEADING_WORDS = 20
_TITLE_LINES = 3


@dataclass(frozen=True)
class _Run:
    text: str
    size: float
    bold: bool
    italic: bool
    y: float


@dataclass(frozen=True)
class _Line:
    text: str
    size: float | None
    bold: bool
    italic: bool
    y: float | None
    page: int


def read_pdf(name: str, path: Path) -> tuple[str, tuple[LineHint, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pages: list[tuple[str, list[_Run]]] = []
    try:
        reader = PdfReader(str(path))
        for page in reader.pages:
            runs: list[_Run] = []
            text = page.extract_text(visitor_text=_visitor(runs)) or ""
            pages.append((text, runs))
    except PdfReadError as exc:
        raise ReaderError(name, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises a variety of errors on broken files
        raise ReaderError(name, f"corrupt PDF ({exc.__class__.__name__}: {exc})") from exc
    texts = [t.rstrip("\n") for t, _ in pages]
    text = "\n".join(texts)
    if not text.strip():
        raise ReaderError(name, "PDF has no extractable text (scanned image?)")
    lines = [ln for n, (t, runs) in enumerate(zip(texts, (r for _, r in pages), strict=True))
             for ln in _lines(t, runs, n)]
    return text + "\n", _hints(lines)


@lru_cache(maxsize=2)
def _font(name: str) -> re.Pattern[str]:
    """Words of a font's name (``core/words/font_bold.txt``, ``font_italic.txt``)."""
    return re.compile(words.alternation(name), re.IGNORECASE)


def _visitor(runs: list[_Run]):  # noqa: ANN202 - pypdf's callback
    def visit(text: str, cm: list[float], tm: list[float], font: dict | None,
              size: float) -> None:
        if not text or not text.strip():
            return
        scale = abs(tm[3] * cm[3]) or 1.0
        base = str(font.get("/BaseFont", "")) if font else ""
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append(_Run(text, round(size * scale * 2) / 2, bool(_font("font_bold").search(base)),
                         bool(_font("font_italic").search(base)), y))
    return visit


def _lines(text: str, runs: list[_Run], page: int) -> list[_Line]:
    """The page's lines with the typography of the runs found in them."""
    attrs: list[_Run | None] = [None] * len(text)
    cursor = 0
    for run in runs:
        piece = run.text.strip()
        at = text.find(piece, cursor)
        if at < 0 or at - cursor > 200:
            continue
        for i in range(at, at + len(piece)):
            attrs[i] = run
        cursor = at + len(piece)
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        chars = [attrs[i] for i in range(pos, pos + len(raw)) if not raw[i - pos].isspace()]
        known = [a for a in chars if a is not None]
        if known:
            size = Counter(a.size for a in known).most_common(1)[0][0]
            out.append(_Line(raw, size, all(a.bold for a in known), all(a.italic for a in known),
                             known[0].y, page))
        else:
            out.append(_Line(raw, None, False, False, None, page))
        pos += len(raw) + 1
    return out


def _hints(lines: list[_Line]) -> tuple[LineHint, ...]:
    weights: Counter[float] = Counter()
    for ln in lines:
        if ln.size is not None:
            weights[ln.size] += len(ln.text.strip())
    if not weights:
        return ()
    body = weights.most_common(1)[0][0]
    levels = sorted({s for s in weights if s > body}, reverse=True)
    top = [i for i, ln in enumerate(lines) if levels and ln.size == levels[0]]
    title = bool(top) and all(lines[i].page == 0 and i < _TITLE_LINES for i in top)
    rank = {size: n + (0 if title else 1) for n, size in enumerate(levels)}
    joined = _joined(lines, body)
    hints: list[LineHint] = []
    for i, ln in enumerate(lines):
        words = len(ln.text.split())
        heading = rank.get(ln.size) if ln.size is not None and 0 < words <= _HEADING_WORDS \
            and i not in joined else None
        if heading is None and not (ln.bold or ln.italic or i in joined) or not ln.text.strip():
            continue
        hints.append(LineHint(i, heading=heading, bold=ln.bold and heading is None,
                              italic=ln.italic, size=ln.size, joined=i in joined))
    return tuple(hints)


def _joined(lines: list[_Line], body: float) -> set[int]:
    """Lines that continue the paragraph of the line before them."""
    out: set[int] = set()
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.y is not None and ln.text.strip() and ln.size == body and not ln.bold:
            by_page.setdefault(ln.page, []).append(i)
    out |= _wrapped_headings(lines, body)
    for idx in by_page.values():
        gaps = [round(lines[a].y - lines[b].y, 1) for a, b in zip(idx, idx[1:], strict=False)
                if lines[a].y is not None and lines[b].y is not None]
        if not gaps:
            continue
        real = sorted(g for g in gaps if g >= 0.8 * body)  # not overlapping lines
        if not real or not any(g > real[0] * 1.25 for g in real):
            continue
        line_gap = real[0]  # the smallest gap: lines of one paragraph
        longest = max(_width(lines[i].text) for i in idx)
        for (a, b), gap in zip(zip(idx, idx[1:], strict=False), gaps, strict=True):
            prev, cur = lines[a], lines[b]
            if (b == a + 1 and abs(gap - line_gap) <= 0.5 and prev.italic == cur.italic
                    and _width(prev.text) >= 0.7 * longest and not _BULLET.match(cur.text)
                    and (_OPEN_END.search(prev.text.rstrip()) or cur.text.strip()[:1].islower())):
                out.add(b)
    return out


def _wrapped_headings(lines: list[_Line], body: float) -> set[int]:
    """Heading lines continuing the one before: same size and font, at most 1.5 times the size
    below it (a heading is followed by its text, not by another heading so close)."""
    out: set[int] = set()
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        if (cur.size is None or prev.size != cur.size or cur.size <= body or prev.bold != cur.bold
                or prev.page != cur.page or prev.y is None or cur.y is None):
            continue
        if 0 < prev.y - cur.y <= 1.5 * cur.size:
            out.add(i)
    return out


def _width(text: str) -> int:
    return len(" ".join(text.split()))
