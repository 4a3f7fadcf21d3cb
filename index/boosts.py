"""Metadata boosts: passages of what the question names (section, sub-heading, meeting,
speaker) or asks for (who spoke, when it was held, the N-th prompt) get a bonus on the fused
score, and are always among the candidates, however little their words match.

Maps from names to chunk rows are built once per index, so a query costs O(passages named)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from commission_qa.records import Chunk
from index.query import Mentions

SPEAKERS_LINE = re.compile(r"(?m)^\s*speakers?\s*:", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]")
PREAMBLE_SECTION = "Meeting details"  # the chunker's passage of title/date lines


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
        self.by_number: dict[int, list[int]] = defaultdict(list)
        self.speaker_lines: set[int] = set()
        self.preambles: list[int] = []
        self.section_heads: dict[int, list[int]] = defaultdict(list)  # number → first passages
        self.chunks = chunks
        first_of: dict[tuple[str, str], int] = {}
        for i, c in enumerate(chunks):
            self.by_section[c.section].append(i)
            for h in c.heading_path[2:]:
                self.by_heading[h].append(i)
            self.by_document[c.document_id].append(i)
            for s in c.speakers:
                self.by_speaker[s].append(i)
            if SPEAKERS_LINE.search(c.text):
                self.speaker_lines.add(i)
            if c.section == PREAMBLE_SECTION:
                self.preambles.append(i)
            m = _NUMBERED.match(c.section)
            if m:
                self.by_number[int(m.group(1))].append(i)
                key = (c.document_id, c.section)
                if key not in first_of or c.start < chunks[first_of[key]].start:
                    first_of[key] = i
        for (_, section), i in first_of.items():
            self.section_heads[int(_NUMBERED.match(section).group(1))].append(i)

    def compute(self, found: Mentions, w: BoostWeights) -> dict[int, float]:
        """Row → bonus for every passage the question's mentions and intents point to."""
        bonus: dict[int, float] = defaultdict(float)

        def add(rows: list[int], amount: float) -> None:
            for i in rows:
                bonus[i] += amount

        for s in found.sections:
            add(self.by_section.get(s, []), w.section)
        for h in found.headings:
            add(self.by_heading.get(h, []), w.heading)
        for d in found.documents:
            add(self.by_document.get(d, []), w.document)
        for s in found.speakers:
            add(self.by_speaker.get(s, []), w.speaker)
        if found.ordinal is not None:
            add(self.by_number.get(found.ordinal, []), w.section)
            if "prompt" in found.intents:
                add(self.section_heads.get(found.ordinal, []), w.intent)
        if "speakers" in found.intents:  # "who spoke for X", "Y's role": the speakers lines
            if found.sections or found.speakers:  # …of the sections or people named
                named = {i for s in found.sections for i in self.by_section.get(s, [])}
                named.update(i for s in found.speakers for i in self.by_speaker.get(s, []))
                add(sorted(named & self.speaker_lines), w.intent)
            else:
                add(sorted(self.speaker_lines), w.intent)
        if "when" in found.intents:  # "when was the workshop held": its meeting details
            add([i for i in self.preambles if not found.documents
                 or self.chunks[i].document_id in found.documents], w.intent)
        return bonus

    @staticmethod
    def as_arrays(bonus: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        rows = np.fromiter(bonus.keys(), dtype=np.int64, count=len(bonus))
        vals = np.fromiter(bonus.values(), dtype=np.float32, count=len(bonus))
        return rows, vals
