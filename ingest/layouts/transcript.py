"""Transcripts: speaker turns, each a paragraph opened by who speaks (``Jane Lee (GP): …``,
``JANE LEE: …``, ``Cllr Bhatt, Cabinet Member: …``), perhaps under agenda headings.

Turns
    A line (not a bullet) that starts with a name of one to five capitalised words, perhaps
    with a bracketed role or a role after a comma, then ``:`` and speech: at least six words, of
    which at least four start in lower case (so ``Chair: Ann Lee, Director of Public Health`` is
    an attendance line, not a turn). A name that is a label of the records' word lists
    (``Date:``, ``Decision:``, ``Action:``, ``Speakers:``) never opens a turn.
Sections
    Headings as the generic layout finds them (typography, numbering, blank-line structure,
    attendance lists), turn lines excepted, and short lines between turns (agenda items); an
    attendance list ends at the first turn. The people who speak in a section are its
    speakers, and each passage is attributed to those whose turns it holds
    (:mod:`ingest.chunking`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.records import Section, SectionKind, Speaker
from ingest.layouts import generic, rules
from ingest.layouts.attendance import status_of
from ingest.layouts.base import Line, Parsed, heading_name, label_of
from ingest.layouts.sections import Head, LeafMaker, build, leaf, preamble

_NAME = r"(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*"
_TURN = re.compile(rf"(?P<name>{_NAME})(?:\s*\((?P<role>[^()]{{2,80}})\)|,\s*(?P<role2>[^:,]{{2,60}}))?"
                   r"\s*:\s+(?P<speech>\S.*)$")
_LABELS = ("meeting_details", "speaker_labels", "decision_labels", "action_labels", "vote_labels",
           "prompt_labels", "action_fields")
MIN_TURNS = 6
PROCEEDINGS = "Proceedings"  # the turns after an attendance list, when no heading opens them


def turn_of(ln: Line) -> Speaker | None:
    """Who speaks on ``ln``, or None when it is not a speaker turn."""
    if ln.bullet:
        return None
    m = _TURN.match(ln.text)
    if not m or label_of(ln.text, *_LABELS):
        return None
    speech = m.group("speech").split()
    if len(speech) < 6 or sum(w[:1].islower() for w in speech) < 4:
        return None
    role = m.group("role") or m.group("role2")
    return Speaker(" ".join(m.group("name").split()), role.strip() if role else None)


class TranscriptLayout:
    name = "transcript"

    def detect(self, lines: list[Line]) -> float:
        body = [ln for ln in lines if not ln.blank]
        turns = [t for t in map(turn_of, body) if t]
        if len(turns) < MIN_TURNS or len({t.name for t in turns}) < 2:
            return 0.0
        return min(1.0, 0.5 + len(turns) / len(body))

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed:
        nb = [ln for ln in lines if not ln.blank]
        who = {ln.index: t for ln in nb if (t := turn_of(ln))}  # each line read once
        turns = {i for i, ln in enumerate(nb) if ln.index in who}
        strong = sorted(set(rules.strong_lines(nb)) - turns)
        title, date, start = preamble(nb, fallback_title, strong, lambda i: i in turns)
        body = nb[start:]
        return Parsed(title, date, tuple(build(text, body, _heads(body, who), False,
                                               _leaf_maker(who))))


def _heads(body: list[Line], who: dict[int, Speaker]) -> list[Head]:
    """The generic layout's heads that are not turns; a short line between turns (an agenda
    item, "Questions from the floor"); and, when an attendance list runs into the first turn
    with no heading between, a "Proceedings" section from that turn on. ``who``: the speaker
    of each turn line, by line index."""
    turns = [i for i, ln in enumerate(body) if ln.index in who]
    is_turn = set(turns)
    heads = [h for h in generic.heads(body) if h.at not in is_turn]
    taken = {h.at for h in heads}
    for i in range(len(body) - 1):
        ln = body[i]
        if (i in taken or i in is_turn or i + 1 not in is_turn or ln.bullet or not ln.short
                or status_of(ln) or (i and i - 1 not in is_turn)):
            continue
        heads.append(Head(i, "topic", 1, heading_name(ln)))
    heads.sort(key=lambda h: h.at)
    for k, h in enumerate(heads):
        if h.kind != "attendance":
            continue
        end = heads[k + 1].at if k + 1 < len(heads) else len(body)
        first = next((t for t in turns if h.at < t < end), None)
        if first is not None:
            heads.insert(k + 1, Head(first, "body", 1, PROCEEDINGS))
            break
    return heads


def _leaf_maker(who: dict[int, Speaker]) -> LeafMaker:
    """The sections' leaf maker: a section's speakers are the people whose turns it holds."""

    def make(text: str, name: str, kind: SectionKind, lines: list[Line], head: Line | None,
             typographic: bool = False) -> Section:
        section = leaf(text, name, kind, lines, head, typographic)
        if kind == "attendance":
            return section
        people: dict[str, Speaker] = {}
        for ln in ([head] if head else []) + lines:
            t = who.get(ln.index)
            if t and (t.name not in people or (t.role and not people[t.name].role)):
                people[t.name] = t
        return replace(section, speakers=tuple(people.values())) if people else section

    return make
