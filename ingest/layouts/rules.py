"""Section rules shared by the layouts: what a line opens, by text or by typography.

By text (the panel and workshop records), a non-bullet line opens
    * a *place*: followed by a speakers line (``Riverside North`` / ``Speakers: …``);
    * a *closing* part: its name is a closing part (``core/words/closing_parts.txt``: "Panel
      reflections", "Next steps", "Date of next meeting: …"), never a sub-heading of the part
      before it;
    * a *prompt*: a numbered question of five words or more (``3. What are…?``), or a question
      after a prompt label with a number (``Prompt 1: …?``, ``Q2. …?``);
    * a *topic*: a colon line followed by another non-bullet colon line (``Key points:`` then
      ``Enabling action:``), or the first short non-bullet line when no section has begun;
    * a *group*: a short line followed by a prompt (``Online contributions``): the prompts
      that follow are its children (level 2), until a section that is not a prompt.
By typography, a line with a heading style or size opens a section of its level; its kind is
closing, prompt or topic by the same rules, and a heading whose children are prompts is a group.
An attendance label ("Present:") opens an attendance section (:mod:`ingest.layouts.attendance`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from core import words
from core.records import SectionKind
from ingest.layouts.attendance import NAME as ATTENDANCE
from ingest.layouts.attendance import status_of
from ingest.layouts.base import Line, closing_line, closing_name, heading_name
from ingest.layouts.sections import Head


@lru_cache(maxsize=1)
def _prompt_label() -> re.Pattern[str]:
    return re.compile(words.alternation("prompt_labels") + r"\s*\d{1,2}\s*[:.)–—-]", re.IGNORECASE)


def is_prompt_head(ln: Line) -> bool:
    return ln.prompt or (not ln.bullet and ln.text.endswith("?")
                         and bool(_prompt_label().match(ln.text)))


def nxt(lines: list[Line], i: int) -> Line | None:
    return lines[i + 1] if i + 1 < len(lines) else None


def opens_place(lines: list[Line], i: int) -> bool:
    ln, after = lines[i], nxt(lines, i)
    return not ln.bullet and not ln.speakers and after is not None and after.speakers


def classic_kind(lines: list[Line], i: int, started: bool) -> SectionKind | None:
    """The kind of section line ``i`` opens by the text rules, or None."""
    ln, after = lines[i], nxt(lines, i)
    if ln.bullet or ln.speakers or ln.joined:
        return None
    if after is not None and after.speakers:
        return "place"
    if closing_line(ln):
        return "closing"
    if is_prompt_head(ln):
        return "prompt"
    if ln.colon and after is not None and not after.bullet and after.colon and not after.speakers:
        return "topic"
    if ln.short and not ln.colon and after is not None and is_prompt_head(after):
        return "group"
    if not started and ln.short:
        return "topic"
    return None


def typographic_kind(ln: Line) -> SectionKind:
    if closing_name(ln.text):
        return "closing"
    if is_prompt_head(ln) or ln.text.endswith("?"):
        return "prompt"
    return "topic"


def head_name(ln: Line, kind: SectionKind) -> str:
    return (closing_name(ln.text) or heading_name(ln)) if kind == "closing" else heading_name(ln)


def classic_heads(body: list[Line]) -> list[Head]:
    """Heads of a body by the text rules, with groups over the prompts that follow them."""
    heads: list[Head] = []
    in_group = False
    for i, ln in enumerate(body):
        if status_of(ln):  # an attendance list: one section for its consecutive labels
            if not heads or heads[-1].kind != "attendance":
                heads.append(Head(i, "attendance", 1, ATTENDANCE))
            in_group = False
            continue
        if ln.heading_level is not None and ln.heading_level >= 1:
            kind = "place" if opens_place(body, i) else typographic_kind(ln)
            heads.append(Head(i, kind, ln.heading_level, head_name(ln, kind)))
            in_group = False
            continue
        kind = classic_kind(body, i, started=bool(heads))
        if kind is None:
            continue
        level = 2 if kind == "prompt" and in_group else 1
        in_group = kind == "group" or (in_group and kind == "prompt")
        heads.append(Head(i, kind, level, head_name(ln, kind)))
    return mark_groups(heads)


def mark_groups(heads: list[Head]) -> list[Head]:
    """A head whose next head is a deeper prompt is a group."""
    out = list(heads)
    for k, h in enumerate(heads[:-1]):
        child = heads[k + 1]
        if child.level > h.level and child.kind == "prompt" and h.kind in ("topic", "body"):
            out[k] = Head(h.at, "group", h.level, h.name)
    return out


def typographic(lines: list[Line]) -> bool:
    """Does the record have typography (a reader's hints)?"""
    return any(ln.hint is not None for ln in lines)


def strong_lines(lines: list[Line], extra: list[int] | None = None) -> list[int]:
    """The lines that surely open a section: places, typographic headings (not the title) and
    ``extra``."""
    found = {i for i, ln in enumerate(lines)
             if opens_place(lines, i) or (ln.heading_level is not None and ln.heading_level >= 1)
             or status_of(ln)}
    return sorted(found | set(extra or []))
