"""Typed, frozen records passed between the core modules.

``Document`` → ``Section`` tree → ``Block`` spans (what ingest recovers), ``Chunk`` (what is indexed)
and ``Hit`` (what the retriever returns). Offsets are always ``[start, end)`` into
``Document.text``; line numbers are 1-based lines of the source file. Ids are content hashes, never
file paths.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["subheading", "bullet", "paragraph", "row"]
SectionKind = Literal["place", "prompt", "topic", "group", "body", "item", "attendance", "closing",
                      "preamble"]
"""What a section is: a *place* presenting to a panel (with a speakers line), a numbered *prompt* of
a workshop, a *topic* ("Key points"), a *group* of prompts, a numbered agenda *item* of minutes,
the *attendance* part of minutes (Present / Apologies / In attendance), a *closing* part of a
meeting ("Panel reflections", "Next steps", "Date of next meeting"), the *preamble* (title, date,
time, venue: the meeting details) and plain *body* text."""

Role = Literal["meeting-details", "heading", "speakers", "attendance", "bullet", "body", "decision",
               "action", "vote", "prompt", "table", "quote"]
"""What a passage is, as the layout recovered it: the *meeting-details* (title, date, time, venue),
a section's *heading* alone, a *speakers* line, an *attendance* list, a *bullet* (list item), a
*body* paragraph, a *decision* ("Decision:", "RESOLVED:"), an *action* (with owner / due date), a
*vote* (for / against / abstentions), a workshop *prompt*, a *table* row, a *quote* of a voice
("“…” – resident"). Later stages read roles; they never re-parse text to find them out."""
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
SECTION_KINDS: tuple[str, ...] = SectionKind.__args__  # type: ignore[attr-defined]


def content_hash(*parts: str, length: int = 16) -> str:
    """A short, stable sha256-based id of some text."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class LineHint:
    """What a reader saw of one line's typography (``.docx`` styles, ``.pdf`` fonts); plain text
    has none. ``line`` is the 0-based line of the canonical text. ``heading`` is the heading
    level (0 the title, 1 a top heading, 2 below it, ...) or None; ``list_level`` the list level
    (0 top) of a list item; ``numbered`` a numbered list item; ``bold``/``italic`` the whole
    line's font; ``size`` its font size in points; ``table`` a table row (cells joined by
    ``" | "``); ``joined`` a line that continues the paragraph of the line before (a wrapped
    line of a PDF)."""

    line: int
    heading: int | None = None
    list_level: int | None = None
    numbered: bool = False
    bold: bool = False
    italic: bool = False
    size: float | None = None
    table: bool = False
    joined: bool = False


@dataclass(frozen=True)
class SourceText:
    """A reader's output: the canonical text every offset points into, the format, and the
    hints of the lines that have any (sorted by line)."""

    text: str
    format: str
    hints: tuple[LineHint, ...] = ()


@dataclass(frozen=True)
class Speaker:
    """A person named by the record: a speaker or presenter, or (``status`` set) an attendee of a
    meeting: ``"chair"``, ``"present"``, ``"in-attendance"`` or ``"apologies"``."""

    name: str
    role: str | None = None
    status: str | None = None

    def label(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass(frozen=True)
class Block:
    """One structural line: a sub-heading, a bullet or a paragraph.

    ``start``/``end`` cover the line's content (marker included, surrounding blanks excluded);
    ``text_start`` is where the content begins after the bullet marker. ``level`` is the nesting
    depth (0 for top level) and ``parent`` the index, in the section's ``blocks``, of the block it
    hangs under (a sub-heading, or a bullet with sub-bullets), or ``None``.
    """

    kind: BlockKind
    start: int
    end: int
    text_start: int
    level: int
    parent: int | None = None
    marker: str = ""
    role: Role = "body"


@dataclass(frozen=True)
class Section:
    """A section of a meeting: a place, a numbered prompt, a topic such as "Key points", or a
    group heading ("Online contributions") whose ``children`` are sections themselves."""

    name: str
    kind: SectionKind
    start: int
    end: int
    heading_start: int
    heading_end: int
    speakers: tuple[Speaker, ...] = ()
    speakers_span: tuple[int, int] | None = None
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()

    def leaves(self, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Section]]:
        """Leaf sections with the names of the groups above them (not including themselves)."""
        if not self.children:
            return [(path, self)]
        out: list[tuple[tuple[str, ...], Section]] = []
        for child in self.children:
            out.extend(child.leaves(path + (self.name,)))
        return out


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    title: str
    date: str | None
    text: str
    sections: tuple[Section, ...]
    content_hash: str
    format: str = "txt"
    layout: str = "generic"  # the name of the layout that recovered the structure (ingest.layouts)

    def leaf_sections(self) -> list[tuple[tuple[str, ...], Section]]:
        out: list[tuple[tuple[str, ...], Section]] = []
        for section in self.sections:
            out.extend(section.leaves())
        return out

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return self.text.count("\n", 0, offset) + 1

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        seen: dict[str, Speaker] = {}
        for _, section in self.leaf_sections():
            for sp in section.speakers:
                seen.setdefault(sp.name, sp)
        return tuple(seen.values())


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: the unit that is embedded, BM25-indexed, retrieved and cited.

    ``text`` is always ``document.text[start:end]``; ``embed_text`` (what the model and BM25 see)
    may prefix it with the heading path as a contextual header. ``units`` are the spans of its
    sentences/bullets, used for highlights."""

    id: str
    document_id: str
    start: int
    end: int
    text: str
    section: str
    heading_path: tuple[str, ...]
    speakers: tuple[str, ...]
    date: str | None
    title: str
    line_start: int
    line_end: int
    embed_text: str
    units: tuple[tuple[int, int], ...] = ()
    section_kind: SectionKind = "body"
    role: Role = "body"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["heading_path"] = list(self.heading_path)
        d["speakers"] = list(self.speakers)
        d["units"] = [list(u) for u in self.units]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Chunk:
        return cls(
            **{
                **d,
                "heading_path": tuple(d["heading_path"]),
                "speakers": tuple(d["speakers"]),
                "units": tuple(tuple(u) for u in d.get("units", ())),
            }
        )


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A retrieved passage, ranked and scored, with the spans that best answer the question."""

    chunk: Chunk
    rank: int
    score: float
    highlights: tuple[Highlight, ...] = ()
    dense_score: float | None = None
    bm25_score: float | None = None
    stage_ranks: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Filters:
    """Optional restrictions of a search. ``section`` matches case-insensitively and exactly;
    ``speaker`` matches a speaker name case-insensitively as a substring; dates are ISO strings."""

    document_id: str | None = None
    section: str | None = None
    speaker: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    role: str | None = None  # one of ROLES: only passages of that role

    def is_empty(self) -> bool:
        return not any(
            (self.document_id, self.section, self.speaker, self.date_from, self.date_to, self.role)
        )
