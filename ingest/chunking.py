"""Chunking: a ``Document`` → passages (``Chunk``) that never cross a section.

Natural units first. In each leaf section the blocks form a forest (a sub-heading with its
bullets, a bullet with its sub-bullets). A unit whose span is at most ``group_max_chars`` stays
whole ("Key priorities for the area:" with its six short items is one passage); a larger one is
split into its children, the heading line going with the first child. Neighbouring siblings
shorter than ``merge_min_chars`` are merged up to ``merge_target_chars``. A place section's
heading and ``Speakers:`` line form a passage of their own; other headings (prompts, topics) go
with their section's first passage. The title/date lines form a "Meeting details" passage.

Every passage carries its section's kind and a role, both read from what the layout recovered
(never re-parsed from the text): the meeting details are ``meeting-details``; a heading with its
speakers line ``speakers``; a heading alone ``heading`` (``prompt`` for a prompt's own line); any
passage of an attendance section ``attendance`` (its speakers: the attendees it names);
otherwise the role of its main blocks (the role covering most characters, headings counting
only when nothing else is there). Neighbours of different roles are not merged when one of them
is a decision, action, vote, quote, table, prompt or attendance, so such a passage keeps its
role.

A passage whose embedding text (contextual header + raw text) exceeds the model's token limit is
split further with langchain-text-splitters' ``RecursiveCharacterTextSplitter`` (token length,
``add_start_index``), so nothing is ever silently truncated by the model. The cited ``text`` is
always ``document.text[start:end]``; the header (``section › sub-heading``) is only embedded and
BM25-indexed, as are the expansions of abbreviations (``core/glossary.tsv``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from core import glossary
from core.records import Block, Chunk, Document, Role, Section, SectionKind, content_hash

TokenCounter = Callable[[str], int]
PREAMBLE_SECTION = "Meeting details"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"(])")
_PLAIN_ROLES = frozenset({"heading", "bullet", "body"})  # may merge with each other


@dataclass(frozen=True)
class ChunkerSettings:
    group_max_chars: int = 400
    merge_min_chars: int = 80
    merge_target_chars: int = 300
    max_tokens: int = 256
    header: str = "path"  # "path": section › sub-headings; "none": raw text only
    version: int = 6  # bump when structure or chunking rules change: every document is re-chunked
    glossary: str = field(default_factory=glossary.fingerprint)  # abbreviations expanded

    def to_json(self) -> dict:
        return asdict(self)


def approx_tokens(text: str) -> int:
    """A deliberately pessimistic stand-in for a tokenizer (used only where none is given)."""
    return 2 + len(re.findall(r"\w+|[^\w\s]", text)) * 2


def chunk_document(doc: Document, settings: ChunkerSettings = ChunkerSettings(),
                   count_tokens: TokenCounter = approx_tokens) -> list[Chunk]:
    chunks: list[Chunk] = []
    first = min((s.start for s in doc.sections), default=len(doc.text))
    pre = _trim(doc.text, 0, first)
    if pre:
        chunks += _emit(doc, [pre], PREAMBLE_SECTION, (doc.title,), (), settings, count_tokens,
                        [(pre[0], pre[1])], ("preamble", "meeting-details"))
    for groups, section in _walk(doc.sections):
        base = (doc.title, *groups, section.name)
        speakers = tuple(dict.fromkeys(sp.name for sp in section.speakers))
        pieces = _pieces(section, settings)
        heading = (section.heading_start, section.heading_end)
        has_heading = section.heading_end > section.heading_start
        if section.speakers_span or (has_heading and not pieces):
            end = section.speakers_span[1] if section.speakers_span else section.heading_end
            units = [heading] + ([section.speakers_span] if section.speakers_span else [])
            role = "speakers" if section.speakers_span else \
                "prompt" if section.kind == "prompt" else "heading"
            chunks += _emit(doc, [(section.heading_start, end)], section.name, base, speakers,
                            settings, count_tokens, units, _labels(section, role))
            has_heading = False
        for n, piece in enumerate(pieces):
            blocks = [section.blocks[i] for i in piece]
            start = section.heading_start if (n == 0 and has_heading) else blocks[0].start
            units = ([heading] if start == section.heading_start and has_heading else [])
            units += [u for b in blocks for u in _sentences(doc.text, b.text_start, b.end)]
            path = base + _subheadings(doc.text, section, piece[0])
            # people of a speakers line speak in all the section; attendees and the speakers
            # of a transcript's turns only in the passages that name them
            named = speakers if section.speakers_span else \
                tuple(n for n in speakers if n in doc.text[start:blocks[-1].end])
            chunks += _emit(doc, [(start, blocks[-1].end)], section.name, path, named,
                            settings, count_tokens, units, _labels(section, main_role(blocks)))
    return chunks


def main_role(blocks: list[Block]) -> Role:
    """The role of a passage's main blocks: the role covering most characters, headings
    counting only when the passage has nothing else (ties: the first)."""
    weights: dict[str, int] = {}
    for b in blocks:
        if b.role != "heading" or all(x.role == "heading" for x in blocks):
            weights[b.role] = weights.get(b.role, 0) + (b.end - b.text_start)
    return max(weights, key=weights.__getitem__) if weights else "body"  # type: ignore[return-value]


def _labels(section: Section, role: Role) -> tuple[SectionKind, Role]:
    return section.kind, ("attendance" if section.kind == "attendance" else role)


def _walk(sections: tuple[Section, ...], groups: tuple[str, ...] = ()) \
        -> Iterator[tuple[tuple[str, ...], Section]]:
    """Every section, parents before children, with the names of the groups above it."""
    for section in sections:
        yield groups, section
        yield from _walk(section.children, groups + (section.name,))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    seg = text[start:end]
    s = start + len(seg) - len(seg.lstrip())
    e = end - (len(seg) - len(seg.rstrip()))
    return (s, e) if e > s else None


def _subheadings(text: str, section: Section, idx: int) -> tuple[str, ...]:
    """Names of the sub-headings above block ``idx`` (and itself, if it is one)."""
    names: list[str] = []
    cur: int | None = idx
    while cur is not None:
        block = section.blocks[cur]
        if block.kind == "subheading":
            names.append(text[block.text_start:block.end].rstrip(":").strip())
        cur = block.parent
    return tuple(reversed(names))


def _pieces(section: Section, s: ChunkerSettings) -> list[list[int]]:
    blocks = section.blocks
    children: dict[int | None, list[int]] = {}
    for i, b in enumerate(blocks):
        children.setdefault(b.parent, []).append(i)

    def last(i: int) -> int:
        kids = children.get(i)
        return last(kids[-1]) if kids else i

    def size(piece: list[int]) -> int:
        return blocks[piece[-1]].end - blocks[piece[0]].start

    def pieces(i: int) -> list[list[int]]:
        subtree = list(range(i, last(i) + 1))
        if len(subtree) == 1 or size(subtree) <= s.group_max_chars:
            return [subtree]
        out = merge([p for c in children[i] for p in pieces(c)])
        out[0] = [i] + out[0]
        return out

    def mergeable(a: list[int], b: list[int]) -> bool:
        ra, rb = main_role([blocks[i] for i in a]), main_role([blocks[i] for i in b])
        return ra == rb or (ra in _PLAIN_ROLES and rb in _PLAIN_ROLES)

    def merge(ps: list[list[int]]) -> list[list[int]]:
        out: list[list[int]] = []
        for p in ps:
            if out and (size(out[-1]) < s.merge_min_chars or size(p) < s.merge_min_chars) \
                    and blocks[p[-1]].end - blocks[out[-1][0]].start <= s.merge_target_chars \
                    and mergeable(out[-1], p):
                out[-1] = out[-1] + p
            else:
                out.append(p)
        return out

    return merge([p for root in children.get(None, []) for p in pieces(root)])


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of a line (a short line is one unit)."""
    if end - start <= 200:
        return [(start, end)]
    spans, pos = [], start
    for m in _SENTENCE.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if b > a]


def _header(path: tuple[str, ...], s: ChunkerSettings) -> str:
    return " › ".join(path[1:]) if s.header == "path" else ""


def _emit(doc: Document, spans: list[tuple[int, int]], section: str, path: tuple[str, ...],
          speakers: tuple[str, ...], s: ChunkerSettings, count: TokenCounter,
          units: list[tuple[int, int]], labels: tuple[SectionKind, Role]) -> list[Chunk]:
    header = _header(path, s)
    out: list[Chunk] = []
    for start, end in spans:
        for a, b in _fit(doc.text, start, end, header, s, count):
            body = doc.text[a:b]
            embed = glossary.expand_text(f"{header}\n{body}" if header else body)
            unit_spans = tuple((max(u0, a), min(u1, b)) for u0, u1 in units if u0 < b and u1 > a)
            out.append(Chunk(
                id=content_hash(doc.id, str(a), str(b), embed),
                document_id=doc.id, start=a, end=b, text=body, section=section,
                heading_path=path, speakers=speakers, date=doc.date, title=doc.title,
                line_start=doc.line_of(a), line_end=doc.line_of(b - 1 if b > a else b),
                embed_text=embed, units=unit_spans or ((a, b),),
                section_kind=labels[0], role=labels[1]))
    return out


def _fit(text: str, start: int, end: int, header: str, s: ChunkerSettings,
         count: TokenCounter) -> list[tuple[int, int]]:
    """Split ``[start, end)`` so that header + each part fits in ``max_tokens``."""
    body = text[start:end]
    full = glossary.expand_text(f"{header}\n{body}" if header else body)
    if count(full) <= s.max_tokens:
        return [(start, end)]
    budget = s.max_tokens - (count(glossary.expand_text(header)) if header else 0) - 2
    if budget < 16:
        raise ValueError(f"heading path too long to embed: {header[:80]!r}…")
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=budget, chunk_overlap=0, add_start_index=True,
        length_function=lambda t: count(glossary.expand_text(t)),
        separators=["\n", ". ", "; ", ", ", " ", ""], keep_separator="end")
    out: list[tuple[int, int]] = []
    for part in splitter.create_documents([body]):
        a = start + part.metadata["start_index"]
        b = a + len(part.page_content)
        if text[a:b] != part.page_content:
            raise ValueError("splitter lost character offsets")  # pragma: no cover - invariant
        trimmed = _trim(text, a, b)
        if trimmed:
            out.append(trimmed)
    return out
