"""The shared line model of the layouts, and the ``Layout`` protocol.

Lines
    A *bullet* starts (after optional indentation) with ``·``, ``•``, ``▪``, ``◦``, ``-``, ``*``,
    ``–``, a number followed by ``.`` or ``)``, or a letter or roman numeral in brackets
    (``(a)``), then a space. A *colon line* ends with ``:``. A *labelled line* starts with a label
    of a word list followed by ``:`` (``Present:``, ``Speakers: …``, ``Decision: …``). A *prompt*
    is a numbered line, not a bullet (``1.How do we…`` or ``3. What are…``), of at least five
    words that ends in ``?``. A *short line* has at most 12 words, at most 90 characters and no
    final full stop. A *number* is a leading ``3``, ``3.``, ``2.1`` or ``Item 3`` before the text.

Each line carries the reader's typographic hint (heading level, list level, bold, size, table
row) when the source had one (``.docx``, ``.pdf``); the layouts use hints when present and the
text rules otherwise. A wrapped paragraph of a PDF (lines hinted ``joined``) is one line, so
every rule sees it whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol

from core import words
from core.records import LineHint, Section

_BULLET = re.compile(r"(?P<marker>[·•▪◦‣∙*–-]|\d{1,2}[.)]|\((?:[a-z]|[ivx]{1,4})\))\s+")
LONE_MARKERS = "·•▪◦‣∙*–-"
_PROMPT = re.compile(r"\d{1,2}\s*[.)]\s*\S")
_NUMBER = re.compile(r"(?:item\s+)?(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:[.)]|\s*[:–—-])?\s+(?=\S)",
                     re.IGNORECASE)
SHORT_WORDS = 12


@cache
def label_pattern(*lists: str) -> re.Pattern[str]:
    """A line that starts with an entry of the word lists (perhaps numbered: ``Witness 2``),
    then ``:`` (or a spaced dash)."""
    keys = sorted({e.split("\t", 1)[0].strip() for n in lists for e in words.entries(n)},
                  key=lambda e: (-len(e), e))  # the keys of a KEY<TAB>value list
    alternation = "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)
    return re.compile(r"(?P<label>" + alternation + r")(?:\s+\d{1,2})?\s*(?::|\s[–—-]\s)\s*",
                      re.IGNORECASE)


def label_of(text: str, *lists: str) -> str | None:
    """The label (casefolded, single-spaced) that ``text`` starts with, or None."""
    m = label_pattern(*lists).match(text)
    return " ".join(m.group("label").casefold().split()) if m else None


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # content start (after indentation)
    end: int  # content end (before trailing blanks)
    indent: int
    text: str  # the content
    bullet: str  # the marker, or "" for a non-bullet line
    text_start: int  # content start after the marker
    hint: LineHint | None = None
    last: int = -1  # the index of its last source line (a wrapped paragraph spans several)

    @property
    def last_index(self) -> int:
        return max(self.index, self.last)

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def colon(self) -> bool:
        return self.text.endswith(":")

    @property
    def speakers(self) -> bool:
        return not self.bullet and label_of(self.text, "speaker_labels") is not None

    @property
    def prompt(self) -> bool:
        return not self.bullet and is_prompt_text(self.text)

    @property
    def short(self) -> bool:
        return is_short(self.text)

    @property
    def number(self) -> str | None:
        """The leading number (``3``, ``2.1``) of a numbered line, or None."""
        m = _NUMBER.match(self.text)
        return m.group("num") if m else None

    @property
    def unnumbered(self) -> str:
        """The text after a leading number."""
        m = _NUMBER.match(self.text)
        return self.text[m.end():] if m else self.text

    @property
    def heading_level(self) -> int | None:
        return self.hint.heading if self.hint else None

    @property
    def joined(self) -> bool:
        return bool(self.hint and self.hint.joined)


def is_short(text: str) -> bool:
    n = len(text.split())
    return 0 < n <= SHORT_WORDS and len(text) <= 90 and not text.endswith(".")


def is_prompt_text(s: str) -> bool:
    return bool(_PROMPT.match(s)) and s.endswith("?") and len(s.split()) >= 5


def split_lines(text: str, hints: tuple[LineHint, ...] = ()) -> list[Line]:
    by_line = {h.line: h for h in hints}
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if len(stripped) == 1 and stripped in LONE_MARKERS:
            stripped = ""  # a bullet marker with no text is a blank line
        lead = len(raw) - len(raw.lstrip())
        start = pos + lead
        end = start + len(stripped)
        indent = sum(4 if c == "\t" else 1 for c in raw[:lead])
        m = _BULLET.match(stripped)
        bullet = m.group("marker") if m and len(stripped) > m.end() else ""
        if bullet and bullet[0].isdigit() and is_prompt_text(stripped):
            bullet = ""
        text_start = start + (m.end() if bullet else 0)
        lines.append(Line(i, start, end, indent, stripped, bullet, text_start, by_line.get(i)))
        pos += len(raw) + 1
    return _unwrap(lines)


def _unwrap(lines: list[Line]) -> list[Line]:
    """A line and the lines that continue it (a wrapped paragraph of a PDF, hint ``joined``)
    as one line: its text joined by spaces, its span from the first start to the last end."""
    out: list[Line] = []
    for ln in lines:
        if ln.joined and out and not out[-1].blank:
            prev = out[-1]
            out[-1] = replace(prev, text=f"{prev.text} {ln.text}", end=ln.end, last=ln.index)
        elif ln.joined:
            out.append(replace(ln, hint=replace(ln.hint, joined=False) if ln.hint else None))
        else:
            out.append(ln)
    return out


def heading_name(ln: Line) -> str:
    return " ".join(ln.text.rstrip(":").split())


def closing_name(text: str) -> str | None:
    """The closing-part name a heading line is (``Panel reflections``, ``Date of next meeting:
    …``), or None."""
    t = " ".join(text.casefold().rstrip(":").split())
    head = t.split(":", 1)[0].strip()
    for entry in words.entries("closing_parts"):
        e = entry.casefold()
        if head == e or (t == head and t.endswith(" " + e) and len(t.split()) <= 4):
            name = text.split(":", 1)[0] if ":" in text.rstrip(":") else text.rstrip(":")
            return " ".join(name.split())
    return None


def closing_line(ln: Line) -> str | None:
    """The closing-part name of a non-bullet line that is short, a colon line, or a labelled
    line (``Date of next meeting: …``), or None."""
    if ln.bullet or not (ln.short or ":" in ln.text):
        return None
    return closing_name(ln.text)


@dataclass(frozen=True)
class Parsed:
    """What a layout recovered: the title, the ISO date, the top-level sections."""

    title: str
    date: str | None
    sections: tuple[Section, ...]


class Layout(Protocol):
    """A kind of record. ``detect`` scores how well the lines fit (0: not at all, 1: surely);
    ``parse`` recovers the sections, blocks (with roles) and speakers."""

    name: str

    def detect(self, lines: list[Line]) -> float: ...

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed: ...
