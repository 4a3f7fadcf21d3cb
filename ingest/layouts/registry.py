"""The layouts, and the choice of one per record: the highest detection score wins (ties: the
order below), the generic layout being the fallback."""

from __future__ import annotations

from core.records import Document, LineHint, content_hash
from ingest.layouts.base import Layout, split_lines
from ingest.layouts.generic import GenericLayout
from ingest.layouts.minutes import MinutesLayout
from ingest.layouts.panel import PanelLayout
from ingest.layouts.transcript import TranscriptLayout
from ingest.layouts.workshop import WorkshopLayout

LAYOUTS: tuple[Layout, ...] = (MinutesLayout(), PanelLayout(), WorkshopLayout(), TranscriptLayout(),
                               GenericLayout())


def by_name(name: str) -> Layout:
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    raise KeyError(f"no layout {name!r}; known: {', '.join(x.name for x in LAYOUTS)}")


def detect(text: str, hints: tuple[LineHint, ...] = ()) -> tuple[Layout, dict[str, float]]:
    """The layout chosen for ``text`` and every layout's score."""
    lines = split_lines(text, hints)
    scores = {layout.name: layout.detect(lines) for layout in LAYOUTS}
    best = max(LAYOUTS, key=lambda x: scores[x.name])  # first of the highest
    return best, scores


def parse(text: str, source: str, fmt: str = "txt", fallback_title: str | None = None,
          hints: tuple[LineHint, ...] = (), layout: str | None = None) -> Document:
    """Recover the structure of a record's canonical text with its layout (detected unless
    named)."""
    lines = split_lines(text, hints)
    chosen = by_name(layout) if layout else detect(text, hints)[0]
    parsed = chosen.parse(text, lines, fallback_title or source)
    digest = content_hash(text, length=64)
    return Document(id=digest[:16], source=source, title=parsed.title, date=parsed.date,
                    text=text, sections=parsed.sections, content_hash=digest, format=fmt,
                    layout=chosen.name)
