"""Hand-made passages, question mentions and check contexts for the answer-check tests."""

from __future__ import annotations

from collections.abc import Iterable

from core.records import Chunk, Hit
from index.checks import CheckContext, CheckThresholds
from index.query import Mentions


def chunk(text: str, section: str = "Riverside", doc: str = "panel", units: list[str] | None = None,
          rank: int = 1, role: str = "body", section_kind: str = "body",
          speakers: tuple[str, ...] = ()) -> Chunk:
    spans, pos = [], 0
    for u in units or [text]:
        a = text.index(u, pos)
        spans.append((a, a + len(u)))
        pos = a + len(u)
    return Chunk(id=f"c{rank}", document_id=doc, start=0, end=len(text), text=text,
                 section=section, heading_path=("Meeting", section), speakers=speakers, date=None,
                 title="Meeting", line_start=1, line_end=1, embed_text=text, units=tuple(spans),
                 section_kind=section_kind, role=role)


def hit(text: str, section: str = "Riverside", doc: str = "panel", units: list[str] | None = None,
        rank: int = 1, role: str = "body", section_kind: str = "body",
        speakers: tuple[str, ...] = (), dense: float | None = None, bm25: float | None = None) -> Hit:
    return Hit(chunk=chunk(text, section, doc, units, rank, role, section_kind, speakers),
               rank=rank, score=1.0, dense_score=dense, bm25_score=bm25)


def mentions(residual: str, sections=(), documents=(), intents=(), speakers=(), **more) -> Mentions:
    return Mentions(frozenset(sections), frozenset(speakers), residual,
                    documents=frozenset(documents), intents=frozenset(intents), **more)


def context(question: str, hits: Iterable[Hit], found: Mentions | None = None, shaped: bool = False,
            stems: Iterable[str] = (), familiar=None, **thresholds) -> CheckContext:
    """A check context for ``question`` over ``hits`` (mentions: the question itself, nothing
    named, unless ``found`` is given)."""
    return CheckContext(question, tuple(hits), found if found is not None else mentions(question),
                        shaped=shaped, stems=frozenset(stems), familiar=familiar,
                        thresholds=CheckThresholds(**thresholds))
