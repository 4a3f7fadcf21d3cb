"""Metadata boosts: passages of what the question names (section, sub-heading, meeting,
speaker, a person whose words the notes report) or asks for (who spoke, when it was held, the
N-th prompt, who attended, what was decided, who owns an action, how a vote went) get a bonus
on the fused score, and are always among the candidates, however little their words match.

What a passage is comes from the record (``Chunk.role``, ``Chunk.section_kind``), never from its
text: the speakers lines are the passages of role ``speakers``, the meeting details those of role
``meeting-details``, the N-th prompt the N-th section of kind ``prompt`` of its record.
Maps from names and roles to chunk rows are built once per index, so a query costs
O(passages named)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from core.records import Chunk
from index.figures import NUMBER
from index.query import Mentions, content_stems
from index.voices import Voices

# a line that opens with a label ("· Ask of panel: what does good look like…")
_LABEL = re.compile(r"(?m)^[^\w\n]*(\w[^:\n]{2,40}):\s*\S")
# the passages an intent asks for, by role
ROLE_INTENTS: dict[str, frozenset[str]] = {
    "attendance": frozenset({"attendance"}),
    "decision": frozenset({"decision", "vote"}),
    "action": frozenset({"action"}),
    "vote": frozenset({"vote", "decision"}),
}


@dataclass(frozen=True)
class BoostWeights:
    section: float
    heading: float
    document: float
    speaker: float
    intent: float


class MetadataBoosts:
    def __init__(self, chunks: list[Chunk]) -> None:
        self.by_section: dict[str, list[int]] = defaultdict(list)
        self.by_heading: dict[str, list[int]] = defaultdict(list)
        self.by_document: dict[str, list[int]] = defaultdict(list)
        self.by_speaker: dict[str, list[int]] = defaultdict(list)
        self.by_role: dict[str, list[int]] = defaultdict(list)
        self.by_number: dict[int, list[int]] = defaultdict(list)  # N-th prompt → its passages
        self.section_heads: dict[int, list[int]] = defaultdict(list)  # N → first passages
        self.numeric: list[int] = []  # passages with a number or an amount in words
        self.chunks = chunks
        prompts: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, c in enumerate(chunks):
            self.by_section[c.section].append(i)
            for h in c.heading_path[2:]:
                self.by_heading[h].append(i)
            self.by_document[c.document_id].append(i)
            for s in c.speakers:
                self.by_speaker[s].append(i)
            self.by_role[c.role].append(i)
            if NUMBER.search(c.text):
                self.numeric.append(i)
            if c.section_kind == "prompt":
                prompts[(c.document_id, c.section)].append(i)
        self.speaker_lines = set(self.by_role.get("speakers", []))
        self.preambles = list(self.by_role.get("meeting-details", []))
        self._number_prompts(prompts)
        self._inline_labels(chunks)
        self.voices = Voices(chunks)

    def _number_prompts(self, prompts: dict[tuple[str, str], list[int]]) -> None:
        """The prompts of each record numbered in the order the record gives them."""
        by_document: dict[str, list[list[int]]] = defaultdict(list)
        for (doc, _), rows in prompts.items():
            by_document[doc].append(sorted(rows, key=lambda i: self.chunks[i].start))
        for sections in by_document.values():
            sections.sort(key=lambda rows: self.chunks[rows[0]].start)
            for n, rows in enumerate(sections, 1):
                self.by_number[n].extend(rows)
                self.section_heads[n].append(rows[0])

    def _inline_labels(self, chunks: list[Chunk]) -> None:
        """A line that opens with a known sub-heading as its label ("· Ask of panel: what does
        good look like…") is under that sub-heading too."""
        by_stems = {stems: h for h in self.by_heading if (stems := frozenset(content_stems(h)))}
        for i, c in enumerate(chunks):
            for m in _LABEL.finditer(c.text):
                h = by_stems.get(frozenset(content_stems(m.group(1))))
                if h is not None and h not in c.heading_path and i not in self.by_heading[h]:
                    self.by_heading[h].append(i)

    def compute(self, found: Mentions, w: BoostWeights) -> tuple[dict[int, float], set[int]]:
        """Row → bonus for every passage the question's mentions and intents point to, and the
        rows that match the question's shape itself (a sub-heading, the N-th prompt, the speakers
        line or meeting details asked for): evidence of an answer however few words match.
        A section, meeting or speaker named is not: the records may not say what was asked."""
        bonus: dict[int, float] = defaultdict(float)
        shaped: set[int] = set()

        def add(rows: list[int], amount: float, shape: bool = False) -> None:
            for i in rows:
                bonus[i] += amount
            if shape:
                shaped.update(rows)

        places = {i for s in found.sections for i in self.by_section.get(s, [])}
        add(sorted(places), w.section)
        add(sorted({i for s in found.topics for i in self.by_section.get(s, [])}), w.section)
        for h in found.headings:  # within the sections named, if it occurs there
            rows = self.by_heading.get(h, [])
            inside = [i for i in rows if self.chunks[i].section in found.sections]
            add(inside or rows, w.heading, shape=bool(inside) or not found.sections)
        for d in found.documents | found.kind_documents:  # the meeting named, or those of its kind
            add(self.by_document.get(d, []), w.document)
        for s in found.speakers:
            add(self.by_speaker.get(s, []), w.speaker)
        if found.quoted:  # "what did Sam say": the notes of Sam's words
            add(self._of_meetings(self.voices.rows_quoting(found.quoted), found), w.section)
        if found.ordinal is not None:
            add(self.by_number.get(found.ordinal, []), w.section)
            if "prompt_text" in found.intents:  # the prompt's own line opens its first passage
                add(self.section_heads.get(found.ordinal, []), w.intent, shape=True)
        if "speakers" in found.intents:  # "who spoke for X", "Y's role": the speakers lines
            if found.sections or found.speakers:  # …of the sections or people named
                named = places | {i for s in found.speakers for i in self.by_speaker.get(s, [])}
                add(sorted(named & self.speaker_lines), w.intent, shape=True)
            else:
                add(sorted(self.speaker_lines), w.intent)
        if found.intents & {"when", "meeting"}:  # "when was the workshop held": its meeting details
            # "when did X present": X's meeting, so its details get X's bonus too
            extra = w.section if found.section_documents and not found.documents else 0.0
            add(self._of_meetings(self.preambles, found), w.intent + extra,
                shape=bool(found.meetings))
        elif found.headings and found.sections and "speakers" not in found.intents:
            # "what did X ask of the panel": the answer is under that sub-heading, not X's
            # speakers line, however many of its words the question repeats
            add(sorted(places & self.speaker_lines), -w.section)
        roles = set().union(*(ROLE_INTENTS[i] for i in found.intents if i in ROLE_INTENTS))
        for role in sorted(roles):  # "who sent apologies", "what was decided", "who owns the action"
            add(self._of_meetings(self.by_role.get(role, []), found), w.intent)
        if "quantity" in found.intents:  # "how many…": passages that give a number
            add(self.numeric, w.intent / 2)
        return bonus, shaped

    def _of_meetings(self, rows: list[int], found: Mentions) -> list[int]:
        """``rows`` of the meetings the question names (all of them when it names none)."""
        if not found.meetings:
            return list(rows)
        return [i for i in rows if self.chunks[i].document_id in found.meetings]

    @staticmethod
    def as_arrays(bonus: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        rows = np.fromiter(bonus.keys(), dtype=np.int64, count=len(bonus))
        vals = np.fromiter(bonus.values(), dtype=np.float32, count=len(bonus))
        return rows, vals
