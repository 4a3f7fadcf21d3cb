"""Query-side analysis: which known sections (places, prompts, topics) and speakers a question
names, so the retriever can boost their passages ("what did Pennine Lancashire ask about…")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from commission_qa.records import Chunk

_GENERIC = {"north", "south", "east", "west", "central", "key", "greater", "main", "meeting",
            "introduction", "nearpod", "health", "lancashire", "cumbria"}


def _norm(s: str) -> str:
    return " " + re.sub(r"[^\w]+", " ", s.casefold()).strip() + " "


@dataclass(frozen=True)
class Mentions:
    sections: frozenset[str]
    speakers: frozenset[str]
    residual: str  # the question without the names found (what to search the content for)

    def __bool__(self) -> bool:
        return bool(self.sections or self.speakers)


class MentionDetector:
    """Finds section names (and unambiguous first words such as "Fylde") and speaker names."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        sections: set[str] = set()
        speakers: set[str] = set()
        for c in chunks:
            if c.section:
                sections.add(c.section)
            speakers.update(c.speakers)
        self.section_keys: list[tuple[str, str]] = []
        firsts: dict[str, list[str]] = {}
        for name in sections:
            if len(name.split()) <= 6:
                self.section_keys.append((_norm(name), name))
                first = name.split()[0].casefold()
                firsts.setdefault(first, []).append(name)
        for first, names in firsts.items():
            if len(names) == 1 and len(first) >= 5 and first not in _GENERIC and first.isalpha():
                self.section_keys.append((f" {first} ", names[0]))
        self.speaker_keys: list[tuple[str, str, bool]] = []
        surnames: dict[str, list[str]] = {}
        for name in speakers:
            self.speaker_keys.append((_norm(name), name, False))
            parts = [p for p in name.split() if p[:1].isupper()]
            if len(parts) >= 2:
                surnames.setdefault(parts[-1], []).append(name)
        for surname, names in surnames.items():
            if len(names) == 1 and len(surname) >= 4:
                self.speaker_keys.append((surname, names[0], True))

    def find(self, question: str) -> Mentions:
        q = _norm(question)
        found_sections: set[str] = set()
        found_speakers: set[str] = set()
        residual = question
        for key, name in sorted(self.section_keys, key=lambda x: -len(x[0])):
            if key in q:
                found_sections.add(name)
                residual = _remove(residual, key.strip())
        for key, name, case_sensitive in self.speaker_keys:
            if case_sensitive:
                if re.search(rf"\b{re.escape(key)}\b", question):
                    found_speakers.add(name)
            elif key in q:
                found_speakers.add(name)
        residual = " ".join(residual.split())
        if len(re.findall(r"\w{3,}", residual)) < 2:
            residual = question  # nothing but the name left: search for the name itself
        return Mentions(frozenset(found_sections), frozenset(found_speakers), residual)


def _remove(text: str, key: str) -> str:
    """Remove the words of ``key`` (normalised) from ``text``, case-insensitively."""
    words = key.split()
    pattern = r"\b" + r"[^\w]+".join(re.escape(w) for w in words) + r"(?:['’]s)?\b"
    return re.sub(pattern, " ", text, flags=re.IGNORECASE)
