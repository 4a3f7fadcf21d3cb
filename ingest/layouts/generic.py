"""Any other record: headings by typography (a reader's heading levels; without any, short
whole-bold lines, when there are two or more), by numbering
(``1 Introduction``, ``2.1 Housing``: short numbered lines, level by the dotted parts, at least
two of them) or by blank-line structure (a short line after a blank line, before text that is
not itself such a line). Closing parts, prompts and attendance lists are recognised by the
shared rules."""

from __future__ import annotations

from ingest.layouts import rules
from ingest.layouts.attendance import NAME as ATTENDANCE
from ingest.layouts.attendance import status_of
from ingest.layouts.base import Line, Parsed, is_short
from ingest.layouts.sections import Head, build, preamble


class GenericLayout:
    name = "generic"

    def detect(self, lines: list[Line]) -> float:
        return 0.25  # the fallback

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed:
        nb = [ln for ln in lines if not ln.blank]
        typo = rules.typographic(nb)
        title, date, start = preamble(nb, fallback_title, rules.strong_lines(nb),
                                      lambda i: False)
        body = nb[start:]
        return Parsed(title, date, tuple(build(text, body, heads(body), typo)))


def heads(body: list[Line]) -> list[Head]:
    """The section heads of ``body`` (also the transcript layout's, turns excepted)."""
    styled = [i for i, ln in enumerate(body) if (ln.heading_level or 0) >= 1]
    bold = [i for i, ln in enumerate(body) if ln.hint and ln.hint.bold and ln.short
            and not ln.colon and not ln.bullet]
    if styled:
        picked = [(i, body[i].heading_level or 1) for i in styled]
    elif len(bold) >= 2:
        picked = [(i, 1) for i in bold]
    else:
        numbered = [(i, ln.number.count(".") + 1) for i, ln in enumerate(body)
                    if ln.number and is_short(ln.unnumbered) and not ln.text.endswith("?")
                    and not ln.joined]
        picked = numbered if len(numbered) >= 2 else _by_blank_lines(body)
    found = []
    opened = None  # the line of the attendance head whose list is still running
    starts = {p[0] for p in picked}
    for i in range(len(body)):  # an attendance list: one section for all its labels
        if i in starts:
            opened = None
        if status_of(body[i]) and opened is None:
            picked = [p for p in picked if p[0] != i]
            found.append(Head(i, "attendance", 1, ATTENDANCE))
            opened = i
    for i, level in picked:
        kind = "place" if rules.opens_place(body, i) else rules.typographic_kind(body[i])
        found.append(Head(i, kind, level, rules.head_name(body[i], kind)))
    return rules.mark_groups(sorted(found, key=lambda h: h.at))


def _by_blank_lines(body: list[Line]) -> list[tuple[int, int]]:
    def candidate(i: int) -> bool:
        ln = body[i]
        after_blank = i == 0 or ln.index - body[i - 1].last_index > 1
        return (after_blank and not ln.bullet and ln.short and not ln.colon
                and i + 1 < len(body) and body[i + 1].index == ln.last_index + 1)

    found = [i for i in range(len(body)) if candidate(i)]
    return [(i, 1) for i in found if i + 1 not in found]
