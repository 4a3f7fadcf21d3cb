"""From heads (the lines that open sections) to the section tree, and the meeting details.

Meeting details (the preamble)
    If one of the first eight non-blank lines contains a date (``Monday 6th of December 2021``,
    ``6 December 2021``, ``December 6, 2021``, ``2021-12-06``), the lines before it are the title
    (joined by a space) and the date is parsed to ISO. The details go on after the date line over
    the lines up to the first section a layout is sure of (a place, an item, an attendance list,
    a typographic heading...) when all of them read as details: no bullet, no table row, at most
    25 words, at most six lines (time, venue, "Chaired by …"). Without a date, a first line that
    is a title (a Title style, or short and not a section's head) is the title; otherwise the
    title is the file name.

Sections
    Each head opens a section that runs to the next head. A head of a deeper level than the one
    before it (``level``: 1 top, 2 below it, from typography or from the layout) opens a child
    section: the parent's own blocks are its lines before its first child. Text before the first
    head is an ``Introduction``; a record with no head at all is one ``body`` section named
    ``Main text``. Under a head, the speakers lines that follow it are the section's speakers;
    an attendance section is built by :mod:`ingest.layouts.attendance`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from core.records import Section, SectionKind, Speaker
from ingest.layouts.attendance import attendance_section
from ingest.layouts.base import Line, heading_name, label_of
from ingest.layouts.blocks import is_row, make_blocks
from ingest.layouts.people import parse_date, parse_speakers

_DETAIL_WORDS = 25
_DETAIL_LINES = 6


@dataclass(frozen=True)
class Head:
    at: int  # index into the body lines
    kind: SectionKind
    level: int = 1
    name: str | None = None


LeafMaker = Callable[[str, str, SectionKind, list[Line], "Line | None", bool], Section]


def find_date(lines: list[Line]) -> int | None:
    """Index of the first of the first eight lines holding a date (not a bullet), or None."""
    for j, ln in enumerate(lines[:8]):
        if not ln.bullet and parse_date(ln.text):
            return j
    return None


def _detail(ln: Line) -> bool:
    return (label_of(ln.text, "meeting_details") is not None
            or (not ln.bullet and not is_row(ln) and len(ln.text.split()) <= _DETAIL_WORDS
                and not ln.speakers))


def preamble(lines: list[Line], fallback: str, strong: list[int],
             opens: Callable[[int], bool]) -> tuple[str, str | None, int]:
    """Title, ISO date and the index of the first body line. ``strong`` are the lines a layout
    is sure open a section (typographic headings before the date line are the title's);
    ``opens(i)`` says whether line ``i`` would open one (for a title line without a date)."""
    j = find_date(lines)
    if j is not None:
        strong = [i for i in strong if i > j or lines[i].heading_level is None]
        if strong and min(strong) <= j:
            j = None
    first_strong = min(strong) if strong else None
    if j is not None:
        title = " ".join(" ".join(x.text for x in lines[:j]).split())
        end = j + 1
        while end < len(lines) and lines[end].joined:
            end += 1
        stop = first_strong if first_strong is not None else end
        between = lines[end:stop]
        if first_strong is not None and len(between) <= _DETAIL_LINES and \
                all(_detail(x) for x in between):
            end = stop
        return title or fallback, parse_date(lines[j].text), end
    if lines and (lines[0].heading_level == 0 or (
            not lines[0].bullet and lines[0].short and not opens(0) and first_strong != 0)):
        return " ".join(lines[0].text.split()), None, 1
    return fallback, None, 0


def speakers_of(lines: list[Line]) -> tuple[tuple[Speaker, ...], tuple[int, int] | None, int]:
    """The people of the speakers lines at the top of ``lines``, their span, how many lines."""
    n = 0
    while n < len(lines) and lines[n].speakers:
        n += 1
    if not n:
        return (), None, 0
    people = tuple(p for ln in lines[:n] for p in parse_speakers(ln.text))
    return people, (lines[0].start, lines[n - 1].end), n


def leaf(text: str, name: str, kind: SectionKind, lines: list[Line], head: Line | None,
         typographic: bool = False) -> Section:
    if kind == "attendance" and head is not None:
        return attendance_section(text, name, [head, *lines])
    speakers, span, n = speakers_of(lines)
    lines = lines[n:]
    blocks = make_blocks(text, lines, typographic)
    start = head.start if head else (lines[0].start if lines else (span[0] if span else 0))
    ends = [b.end for b in blocks] + ([span[1]] if span else []) + ([head.end] if head else [])
    return Section(name=name, kind=kind, start=start, end=max(ends, default=start),
                   heading_start=head.start if head else start,
                   heading_end=head.end if head else start,
                   speakers=speakers, speakers_span=span, blocks=blocks)


def _wrapped_head(head: Line, lines: list[Line]) -> tuple[Line, list[Line]]:
    """A heading with the lines that continue it (a wrapped PDF heading) as one line."""
    n = 0
    while n < len(lines) and lines[n].joined:
        n += 1
    if not n:
        return head, lines
    merged = replace(head, text=" ".join(x.text for x in [head, *lines[:n]]), end=lines[n - 1].end)
    return merged, lines[n:]


def build(text: str, body: list[Line], heads: list[Head], typographic: bool = False,
          make_leaf: LeafMaker = leaf) -> list[Section]:
    """The section tree of ``body`` opened by ``heads`` (sorted by position)."""
    if not heads:
        return [make_leaf(text, "Main text", "body", body, None, typographic)] if body else []
    out: list[Section] = []
    if heads[0].at > 0:
        out.append(make_leaf(text, "Introduction", "body", body[:heads[0].at], None, typographic))
    bounds = [h.at for h in heads] + [len(body)]

    def node(k: int) -> tuple[Section, int]:
        """Section of head ``k`` with its children; the index of the next head after them."""
        h = heads[k]
        ln, rest = _wrapped_head(body[h.at], body[h.at + 1:bounds[k + 1]])
        name = heading_name(ln) if h.name in (None, heading_name(body[h.at])) else h.name
        own = make_leaf(text, name, h.kind, rest, ln, typographic)
        children: list[Section] = []
        nxt = k + 1
        while nxt < len(heads) and heads[nxt].level > h.level:
            child, nxt = node(nxt)
            children.append(child)
        if not children:
            return own, nxt
        end = max(own.end, children[-1].end)
        return Section(own.name, h.kind, own.start, end, own.heading_start, own.heading_end,
                       own.speakers, own.speakers_span, own.blocks, tuple(children)), nxt

    k = 0
    while k < len(heads):
        section, k = node(k)
        out.append(section)
    return out
