"""Structure recovery: canonical text → ``Document`` with a tree of sections and block spans.

The heuristics are general line rules, not rules for the two sample files:

Lines
    A *bullet* starts (after optional indentation) with ``·``, ``•``, ``▪``, ``◦``, ``-``, ``*``,
    ``–`` or a number followed by ``.`` or ``)`` and a space. A *colon line* ends with ``:``.
    A *speakers line* starts with ``Speaker:`` or ``Speakers:``. A *prompt* is a numbered line,
    not a bullet (``1.How do we…`` or ``3. What are…``), of at least five words that ends in ``?``.
    A *short line* has at most 12 words, at most 90 characters and no final full stop.

Preamble, title and date
    If one of the first eight non-blank lines contains a date (``Monday 6th of December 2021``,
    ``6 December 2021``, ``December 6, 2021``, ``2021-12-06``), the lines up to it are the
    preamble: the date is parsed to ISO and the other preamble lines, joined by a space, are the
    title. Without a date, a first non-bullet line that does not open a section is the title;
    otherwise the title is the file name.

Sections (after the preamble), each starting at a non-bullet line that is
    * a *place*: followed by a speakers line (``North Cumbria`` / ``Speakers: …``);
    * a *prompt*: see above;
    * a *topic*: a colon line followed by another non-bullet colon line (``Key points:`` then
      ``Enabling action:``), or the first short non-bullet line when no section has begun;
    * a *group*: a short line followed by a prompt (``Nearpod contributions``): the prompts
      that follow are its children, until a section that is not a prompt.
    Text before the first section is an ``Introduction``; a file with no section at all is one
    ``body`` section named ``Main text``. A section ends where the next one begins.

Speakers
    The speakers line is split on ``;`` into people; each is ``name, role`` (first comma),
    ``name [role]``, or ``name Role words`` where the role begins at a title word (Chief, Head,
    Director, Chair, GP, …).

Blocks inside a section
    Non-bullet colon lines and short non-bullet lines are sub-headings (level 0); other
    non-bullet lines are paragraphs. A bullet ending in ``:`` is a sub-heading too, and the
    bullets that follow at the same indentation hang under it until the next such bullet or
    non-bullet line (flat exports lose indentation; this keeps "Asks of the panel:" with its
    asks). So is a short question bullet (at most 12 words, ending in ``?``) followed by a
    bullet: a question put to a panel, with its answers below it (``· Main challenges?``),
    colon bullets included.
    An indented bullet hangs under the bullet above it with less indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.records import Block, Document, Section, Speaker, content_hash

_BULLET = re.compile(r"(?P<marker>[·•▪◦‣∙*–-]|\d{1,2}[.)])\s+")
_LONE_MARKERS = "·•▪◦‣∙*–-"
_QUESTION_HEAD_WORDS = 12  # as many as a short line
_PROMPT = re.compile(r"\d{1,2}\s*[.)]\s*\S")
_SPEAKERS = re.compile(r"speakers?\s*:\s*", re.IGNORECASE)
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = r"(?P<month>" + "|".join(_MONTHS) + r"|" + "|".join(m[:3] for m in _MONTHS) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b",
               re.IGNORECASE),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)
_KIND_ROLES = {"subheading": "heading", "bullet": "bullet", "paragraph": "body"}
_ROLE_WORDS = re.compile(
    r"\s(?=(?:Chief|Head|Director|Deputy|Chair|Co-chair|GP|Manager|Consultant|Officer|Lead|"
    r"Professor|Leader|Councillor|Member|Programme|Senior|Interim|Executive)\b)"
)


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # content start (after indentation)
    end: int  # content end (before trailing blanks)
    indent: int
    text: str  # the content
    bullet: str  # the marker, or "" for a non-bullet line
    text_start: int  # content start after the marker

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def colon(self) -> bool:
        return self.text.endswith(":")

    @property
    def speakers(self) -> bool:
        return not self.bullet and bool(_SPEAKERS.match(self.text))

    @property
    def prompt(self) -> bool:
        return (not self.bullet and bool(_PROMPT.match(self.text)) and self.text.endswith("?")
                and len(self.text.split()) >= 5)

    @property
    def short(self) -> bool:
        words = self.text.split()
        return 0 < len(words) <= 12 and len(self.text) <= 90 and not self.text.endswith(".")


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if len(stripped) == 1 and stripped in _LONE_MARKERS:
            stripped = ""  # a bullet marker with no text is a blank line
        lead = len(raw) - len(raw.lstrip())
        start = pos + lead
        end = start + len(stripped)
        indent = sum(4 if c == "\t" else 1 for c in raw[:lead])
        m = _BULLET.match(stripped)
        bullet = m.group("marker") if m and len(stripped) > m.end() else ""
        if bullet and bullet[0].isdigit() and _is_prompt_text(stripped):
            bullet = ""
        text_start = start + (m.end() if bullet else 0)
        lines.append(Line(i, start, end, indent, stripped, bullet, text_start))
        pos += len(raw) + 1
    return lines


def _is_prompt_text(s: str) -> bool:
    return bool(_PROMPT.match(s)) and s.endswith("?") and len(s.split()) >= 5


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as an ISO string, or None."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(s)
        if not m:
            continue
        try:
            if "mnum" in m.groupdict() and m.group("mnum"):
                month = int(m.group("mnum"))
            else:
                month = [x[:3] for x in _MONTHS].index(m.group("month")[:3].lower()) + 1
            return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
        except ValueError:
            continue
    return None


def parse_speakers(s: str) -> tuple[Speaker, ...]:
    """People on a ``Speakers:`` line (the prefix already removed or not)."""
    s = _SPEAKERS.sub("", s.strip(), count=1)
    people: list[Speaker] = []
    for part in (p.strip() for p in s.split(";")):
        if not part:
            continue
        bracket = re.match(r"(?P<name>[^\[(]+?)\s*[\[(](?P<role>[^\])]+)[\])]\s*$", part)
        if bracket:
            people.append(Speaker(bracket.group("name").strip(), bracket.group("role").strip()))
        elif "," in part:
            name, role = part.split(",", 1)
            people.append(Speaker(name.strip(), role.strip() or None))
        else:
            pieces = _ROLE_WORDS.split(part, maxsplit=1)
            if len(pieces) == 2 and len(pieces[0].split()) >= 2:
                people.append(Speaker(pieces[0].strip(), pieces[1].strip()))
            else:
                people.append(Speaker(part, None))
    return tuple(people)


def parse(text: str, source: str, fmt: str = "txt", fallback_title: str | None = None) -> Document:
    """Recover the structure of a document's canonical text."""
    lines = split_lines(text)
    nonblank = [ln for ln in lines if not ln.blank]
    title, iso_date, body = _preamble(nonblank, fallback_title or source)
    sections = _sections(text, body)
    digest = content_hash(text, length=64)
    return Document(id=digest[:16], source=source, title=title, date=iso_date, text=text,
                    sections=tuple(sections), content_hash=digest, format=fmt)


def _preamble(lines: list[Line], fallback: str) -> tuple[str, str | None, list[Line]]:
    for j, ln in enumerate(lines[:8]):
        iso = parse_date(ln.text)
        if iso and not ln.bullet:
            title = " ".join(x.text for x in lines[:j]) or fallback
            return title, iso, lines[j + 1:]
    if lines and not lines[0].bullet and lines[0].short and \
            not _opens_section(lines, 0, started=True):
        return lines[0].text, None, lines[1:]
    return fallback, None, lines


def _next(lines: list[Line], i: int) -> Line | None:
    return lines[i + 1] if i + 1 < len(lines) else None


def _opens_section(lines: list[Line], i: int, started: bool) -> str | None:
    """The kind of section line ``i`` opens, or None."""
    ln, nxt = lines[i], _next(lines, i)
    if ln.bullet or ln.speakers:
        return None
    if nxt is not None and nxt.speakers:
        return "place"
    if ln.prompt:
        return "prompt"
    if ln.colon and nxt is not None and not nxt.bullet and nxt.colon and not nxt.speakers:
        return "topic"
    if ln.short and not ln.colon and nxt is not None and nxt.prompt:
        return "group"
    if not started and ln.short:
        return "topic"
    return None


def _sections(text: str, body: list[Line]) -> list[Section]:
    starts: list[tuple[int, str]] = []
    for i in range(len(body)):
        kind = _opens_section(body, i, started=bool(starts))
        if kind:
            starts.append((i, kind))
    if not starts:
        return [_leaf(text, "Main text", "body", body, None)] if body else []
    out: list[Section] = []
    if starts[0][0] > 0:
        out.append(_leaf(text, "Introduction", "body", body[: starts[0][0]], None))
    bounds = [s[0] for s in starts] + [len(body)]
    leaves = [(kind, body[a:b]) for (a, kind), b in zip(starts, bounds[1:], strict=True)]
    k = 0
    while k < len(leaves):
        kind, chunk = leaves[k]
        if kind != "group":
            out.append(_leaf(text, _heading_name(chunk[0]), kind, chunk[1:], chunk[0]))
            k += 1
            continue
        children: list[Section] = []
        k += 1
        while k < len(leaves) and leaves[k][0] == "prompt":
            ckind, cl = leaves[k]
            children.append(_leaf(text, _heading_name(cl[0]), ckind, cl[1:], cl[0]))
            k += 1
        head = chunk[0]
        own = _leaf(text, _heading_name(head), "group", chunk[1:], head)
        end = children[-1].end if children else own.end
        out.append(Section(own.name, "group", head.start, end, head.start, head.end,
                           blocks=own.blocks, children=tuple(children)))
    return out


def _heading_name(ln: Line) -> str:
    return ln.text.rstrip(":").strip()


def _leaf(text: str, name: str, kind: str, lines: list[Line], head: Line | None) -> Section:
    speakers: tuple[Speaker, ...] = ()
    span: tuple[int, int] | None = None
    if lines and lines[0].speakers:
        speakers, span = parse_speakers(lines[0].text), (lines[0].start, lines[0].end)
        lines = lines[1:]
    blocks = _blocks(lines)
    start = head.start if head else (lines[0].start if lines else 0)
    ends = [b.end for b in blocks] + ([span[1]] if span else []) + ([head.end] if head else [])
    return Section(name=name, kind=kind, start=start, end=max(ends, default=start),
                   heading_start=head.start if head else start,
                   heading_end=head.end if head else start,
                   speakers=speakers, speakers_span=span, blocks=blocks)


def _question_head(ln: Line, nxt: Line | None) -> bool:
    """A short question bullet with bullets after it heads them (its answers)."""
    return (ln.text.endswith("?") and len(ln.text.split()) <= _QUESTION_HEAD_WORDS
            and nxt is not None and bool(nxt.bullet) and nxt.indent >= ln.indent)


def _closes(top: tuple[int, str, int], ln: Line, is_head: bool, question: bool,
            prev: Block) -> bool:
    """Does bullet ``ln`` close ``top``, the innermost open block (index, tag, indent)?"""
    _, tag, indent = top
    if tag == "head":
        return False
    if indent != ln.indent:
        return indent > ln.indent
    if tag == "bullet":
        return True
    # a colon bullet right under a question bullet (before any of its bullets) is its answer
    return is_head and not (tag == "question" and not question and prev.kind != "bullet")


def _blocks(lines: list[Line]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    stack: list[tuple[int, str, int]] = []  # (block index, "head" | "colon" | "bullet", indent)
    for i, ln in enumerate(lines):
        if ln.bullet:
            question = _question_head(ln, _next(lines, i))
            is_head = ln.colon or question
            while stack and _closes(stack[-1], ln, is_head, question, blocks[-1]):
                stack.pop()
            tag = "question" if question else "colon" if is_head else "bullet"
            kind = "subheading" if is_head else "bullet"
        else:
            stack.clear()
            kind = "subheading" if (ln.colon or ln.short) else "paragraph"
            tag = "head"
        parent = stack[-1][0] if stack else None
        blocks.append(Block(kind=kind, start=ln.start, end=ln.end, text_start=ln.text_start,
                            level=len(stack), parent=parent, marker=ln.bullet,
                            role=_KIND_ROLES[kind]))
        if kind != "paragraph":
            stack.append((len(blocks) - 1, tag, ln.indent))
    return tuple(blocks)
