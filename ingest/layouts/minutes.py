"""Minutes: numbered items (``1. Welcome``, ``Item 2: …``; sub-items ``2.1 …`` are their
paragraphs), an attendance part (Chair, Present, In attendance, Apologies: labels of
``core/words/attendance.txt``), decisions ("Decision:", "RESOLVED:"), actions with owner and
due date, votes, and closing parts (the actions log, the date of the next meeting).

Items
    A numbered line (a whole number, no dots) whose text is short (at most 12 words, no final
    full stop, not a question) opens an item when its number follows the last item's (by one
    to three): a numbered list inside an item does not, as its numbers start again. Minutes
    with no numbered item (Word's automatic numbering leaves the numbers out of the text) take
    as items the short lines after a blank line that a paragraph follows, or the lines a minute
    reference opens (``PB/22/03 Grants``); a level-1 heading of a .docx or .pdf is an item too.
Attendance
    The first attendance label (before the first item) opens the ``attendance`` section
    (:mod:`ingest.layouts.attendance`), up to the first item.
"""

from __future__ import annotations

import re

from core.records import SectionKind
from ingest.layouts import rules
from ingest.layouts.attendance import NAME as ATTENDANCE
from ingest.layouts.attendance import status_of
from ingest.layouts.base import Line, Parsed, closing_line, closing_name, is_short
from ingest.layouts.blocks import role_of
from ingest.layouts.sections import Head, build, preamble


def _items(body: list[Line]) -> list[int]:
    found: list[int] = []
    last = 0
    for i, ln in enumerate(body):
        num = ln.number
        if not num or "." in num or ln.joined or ln.text.endswith("?") or " | " in ln.text:
            continue
        if not is_short(ln.unnumbered) or status_of(ln):
            continue
        if last < int(num) <= last + 3:
            found.append(i)
            last = int(num)
    return found


# a minute reference before an item's title: "PB/22/03 Grants", "HWB 23/045: Grants", "Minute 14/23"
_REF = re.compile(r"(?:minute\s+)?(?:[A-Z]{1,6}[/ ])?\d{2,4}/(?P<num>\d{1,3})[.:]?\s+(?=\S)",
                  re.IGNORECASE)


def _ref_items(body: list[Line]) -> list[int]:
    """Items opened by minute references whose last numbers run on (by one to three): the
    first may be any number, as a committee numbers its minutes across meetings."""
    found: list[int] = []
    last: int | None = None
    for i, ln in enumerate(body):
        m = _REF.match(ln.text)
        if not m or ln.bullet or ln.joined or not is_short(ln.text[m.end():]):
            continue
        num = int(m.group("num"))
        if last is None or last < num <= last + 3:
            found.append(i)
            last = num
    return found if len(found) >= 2 else []


def _plain_items(body: list[Line]) -> list[int]:
    """Item titles typed without a number (Word's automatic numbering is not in the text): a
    short line after a blank line, not a label, followed by a paragraph."""
    found: list[int] = []
    for i in range(1, len(body) - 1):
        ln, nxt = body[i], body[i + 1]
        if ln.bullet or ln.joined or ln.colon or not ln.short or status_of(ln):
            continue
        if ln.index - body[i - 1].last_index >= 2 and not (nxt.short or nxt.bullet):
            found.append(i)
    return found


def _marked_items(body: list[Line]) -> list[int]:
    """Numbered items (two or more), else the items minute references open."""
    numbered = _items(body)
    return numbered if len(numbered) >= 2 else _ref_items(body)


def _all_items(body: list[Line]) -> list[int]:
    """The item lines: marked (numbers, minute references), else plain titles, else a single
    numbered one."""
    return _marked_items(body) or _plain_items(body) or _items(body)


def _decisions(body: list[Line]) -> int:
    return sum(role_of("paragraph", ln.text) in ("decision", "action", "vote") for ln in body)


class MinutesLayout:
    name = "minutes"

    def detect(self, lines: list[Line]) -> float:
        body = [ln for ln in lines if not ln.blank]
        items = len(_marked_items(body))
        labels = sum(1 for ln in body if status_of(ln))
        if items < 2 and labels < 2:
            return 0.0
        return (0.35 * min(1.0, labels / 2) + 0.35 * min(1.0, items / 3)
                + 0.3 * min(1.0, _decisions(body) / 2))

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed:
        nb = [ln for ln in lines if not ln.blank]
        items = _all_items(nb)
        attendance = [i for i, ln in enumerate(nb) if status_of(ln)]
        strong = items[:1] + attendance[:1]
        title, date, start = preamble(nb, fallback_title, rules.strong_lines(nb, strong),
                                      lambda i: i in items or i in attendance)
        body = nb[start:]
        heads = _heads(body)
        return Parsed(title, date, tuple(build(text, body, heads, rules.typographic(nb))))


def _heads(body: list[Line]) -> list[Head]:
    items = set(_all_items(body))
    heads: list[Head] = []
    seen_attendance = False
    for i, ln in enumerate(body):
        styled = ln.heading_level is not None and ln.heading_level >= 1
        if i in items:
            heads.append(Head(i, "item", ln.heading_level if styled else 1, ln.text.rstrip(":")))
        elif status_of(ln) and not seen_attendance and not any(h.kind == "item" for h in heads):
            seen_attendance = True
            heads.append(Head(i, "attendance", 1, ATTENDANCE))
        elif closing_line(ln) or (styled and closing_name(ln.text)):
            heads.append(Head(i, "closing", 1, closing_name(ln.text)))
        elif styled and not (status_of(ln) and seen_attendance):
            kind: SectionKind = "item" if ln.heading_level == 1 else rules.typographic_kind(ln)
            heads.append(Head(i, kind, ln.heading_level or 1, rules.head_name(ln, kind)))
    return heads
