"""Hand-made passages and question mentions for the answer-check tests."""

from __future__ import annotations

from core.records import Chunk, Hit
from index.query import Mentions


def hit(text: str, section: str = "West Lancashire", doc: str = "panel",
        units: list[str] | None = None, rank: int = 1) -> Hit:
    spans, pos = [], 0
    for u in units or [text]:
        a = text.index(u, pos)
        spans.append((a, a + len(u)))
        pos = a + len(u)
    chunk = Chunk(id=f"c{rank}", document_id=doc, start=0, end=len(text), text=text,
                  section=section, heading_path=("Meeting", section), speakers=(), date=None,
                  title="Meeting", line_start=1, line_end=1, embed_text=text, units=tuple(spans))
    return Hit(chunk=chunk, rank=rank, score=1.0)


def mentions(residual: str, sections=(), documents=(), intents=()) -> Mentions:
    return Mentions(frozenset(sections), frozenset(), residual, documents=frozenset(documents),
                    intents=frozenset(intents))
