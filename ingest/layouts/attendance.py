"""Attendance lists (any layout): Chair, Present, In attendance, Apologies — the labels of
``core/words/attendance.txt`` with the status each gives.

The first attendance label opens one ``attendance`` section named "Attendance" (the labels that
follow it belong to it). Each label gives its status to the people after it on its line and on
the lines below, one per line (or several separated by ``;``; on the label's line, also by
commas when each is a bare name), until the next label. A wrapped line (a PDF's) continues the
person above. The people are the section's speakers, with their roles and status; labels are
sub-headings with the people's lines under them, and every block's role is ``attendance``.
"""

from __future__ import annotations

from dataclasses import replace

from core import words
from core.records import Block, Section, Speaker
from ingest.layouts.base import Line, label_pattern
from ingest.layouts.people import parse_attendees

NAME = "Attendance"


def status_of(ln: Line) -> tuple[str, str] | None:
    """(status, the rest of the line) of an attendance label line, or None."""
    if ln.joined:
        return None
    m = label_pattern("attendance").match(ln.unnumbered)
    if not m:  # a label alone on its line, as many minutes type it: "PRESENT", "Apologies"
        bare = " ".join(ln.unnumbered.rstrip(":").casefold().split())
        status = None if ln.bullet else words.table("attendance").get(bare)
        return (status, "") if status else None
    status = words.table("attendance")[" ".join(m.group("label").casefold().split())]
    return status, ln.unnumbered[m.end():]


def attendance_section(text: str, name: str, lines: list[Line]) -> Section:
    blocks: list[Block] = []
    pending: list[tuple[str, str, bool]] = []  # (text, status, inline) of each person line
    label_at: int | None = None
    status = "present"
    for ln in lines:
        if ln.joined and blocks:
            blocks[-1] = replace(blocks[-1], end=ln.end)
            if pending:
                last = pending[-1]
                pending[-1] = (f"{last[0]} {ln.text}", last[1], last[2])
            continue
        found = status_of(ln)
        if found:
            status, rest = found
            pending.append((rest, status, True))
            kind = "subheading" if not rest.strip() else "paragraph"
            blocks.append(Block(kind, ln.start, ln.end, ln.text_start, 0, None, ln.bullet,
                                "attendance"))
            label_at = len(blocks) - 1 if kind == "subheading" else None
            continue
        pending.append((text[ln.text_start:ln.end], status, False))
        blocks.append(Block("paragraph", ln.start, ln.end, ln.text_start,
                            1 if label_at is not None else 0, label_at, ln.bullet, "attendance"))
    people: list[Speaker] = [p for content, st, inline in pending
                             for p in parse_attendees(content, st, inline=inline)]
    start = lines[0].start
    return Section(name=name, kind="attendance", start=start, end=max(b.end for b in blocks),
                   heading_start=start, heading_end=start, speakers=tuple(people),
                   blocks=tuple(blocks))
