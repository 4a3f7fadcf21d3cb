"""Blocks inside a section, and the role of each.

Kinds
    Non-bullet colon lines and short non-bullet lines are sub-headings (level 0); other
    non-bullet lines are paragraphs. With typography (a ``.docx`` or ``.pdf``) a short line is a
    sub-heading only when it is bold or a heading; a line that continues the paragraph above (a
    wrapped PDF line) extends that block, and the paragraph is judged whole. A table row (cells
    joined by ``" | "``: a reader's table, or a text line with two separators or more) is a
    ``row``. A bullet ending in ``:`` is a
    sub-heading too, and the bullets that follow at the same indentation hang under it until the
    next such bullet or non-bullet line (flat exports lose indentation; this keeps "Asks of the
    panel:" with its asks). So is a short question bullet (at most 12 words, ending in ``?``)
    followed by a bullet: a question put to a panel, with its answers below it, colon bullets
    included. An indented bullet hangs under the bullet above it with less indentation.

Roles (the text after a bullet marker or item number)
    ``decision`` starts with a decision label (``core/words/decision_labels.txt``: "Decision:",
    "RESOLVED:"); ``action`` with an action label, or holds an owner or due-date field
    ("Owner: …", "Due: …"); ``vote`` starts with a vote label or holds two tally words next to a
    number ("For 7, against 2, abstentions 1"); ``quote`` opens with a quotation mark and closes
    it at its end or before a dash and the speaker ("“…” – resident"); ``table`` is a row;
    otherwise ``heading``, ``bullet`` or ``body`` by kind.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from core import words
from core.records import Block, Role
from ingest.layouts.base import Line, label_pattern

_KIND_ROLES: dict[str, Role] = {"subheading": "heading", "bullet": "bullet",
                                "paragraph": "body", "row": "table"}
_QUESTION_HEAD_WORDS = 12
_QUOTE = re.compile(r"^[“\"‘'].+(?:[”\"’']\s*[–—-]\s*\S.*|[”\"’'][.!?]?)$", re.DOTALL)
_MARKER = re.compile(r"^(?:[·•▪◦‣∙*–-]|\(?[a-z0-9]{1,4}[.)])\s+")


@lru_cache(maxsize=1)
def _fields() -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)" + words.alternation("action_fields") + r"\s*:", re.IGNORECASE)


@lru_cache(maxsize=1)
def _tally() -> re.Pattern[str]:
    w = words.alternation("vote_words")
    return re.compile(r"\b(?P<a>" + w + r")\b\s*:?\s*\d+|\b\d+\s+(?P<b>" + w + r")\b",
                      re.IGNORECASE)


def is_row(ln: Line) -> bool:
    return bool(ln.hint and ln.hint.table) or ln.text.count(" | ") >= 2


def _labelled(text: str, name: str) -> bool:
    """``text`` starts with a label of list ``name`` and goes on after it."""
    m = label_pattern(name).match(text)
    return bool(m) and m.end() < len(text)


def role_of(kind: str, text: str) -> Role:
    """The role of a block of ``kind`` whose content (marker and number removed) is ``text``."""
    if kind == "row":
        return "table"
    text = _MARKER.sub("", text.strip(), count=1)
    text = re.sub(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+", "", text)
    if _labelled(text, "decision_labels"):
        return "decision"
    if _labelled(text, "action_labels") or _fields().search(text):
        return "action"
    if _labelled(text, "vote_labels") or len({(m.group("a") or m.group("b")).casefold()
                                            for m in _tally().finditer(text)}) >= 2:
        return "vote"
    if _QUOTE.match(text):
        return "quote"
    return _KIND_ROLES.get(kind, "body")


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


def _subheading(ln: Line, typographic: bool) -> bool:
    if ln.colon:
        return True
    if not typographic:
        return ln.short
    return ln.short and bool(ln.hint and (ln.hint.heading is not None or ln.hint.bold))


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Each line with the lines that continue it (wrapped lines) as one text, so that a
    paragraph is judged whole (its final colon, its length); the continuations stay, marked."""
    out = list(lines)
    for i, ln in enumerate(lines):
        if ln.joined:
            continue
        j = i + 1
        while j < len(lines) and lines[j].joined:
            j += 1
        if j > i + 1:
            out[i] = replace(ln, text=" ".join(x.text for x in lines[i:j]))
    return out


def make_blocks(text: str, lines: list[Line], typographic: bool = False) -> tuple[Block, ...]:
    """The blocks of a section's lines (blank lines excluded), with their roles."""
    blocks: list[Block] = []
    stack: list[tuple[int, str, int]] = []  # (block index, "head" | "colon" | "bullet", indent)
    lines = _paragraphs(lines)
    for i, ln in enumerate(lines):
        if ln.joined and blocks:
            blocks[-1] = replace(blocks[-1], end=ln.end)
            continue
        nxt = next((x for x in lines[i + 1:] if not x.joined), None)
        if is_row(ln):
            while stack and stack[-1][1] == "bullet":
                stack.pop()
            blocks.append(Block(kind="row", start=ln.start, end=ln.end, text_start=ln.start,
                                level=len(stack), parent=stack[-1][0] if stack else None))
            continue
        if ln.bullet:
            question = _question_head(ln, nxt)
            is_head = ln.colon or question
            while stack and _closes(stack[-1], ln, is_head, question, blocks[-1]):
                stack.pop()
            tag = "question" if question else "colon" if is_head else "bullet"
            kind = "subheading" if is_head else "bullet"
        else:
            stack.clear()
            kind = "subheading" if _subheading(ln, typographic) else "paragraph"
            tag = "head"
        parent = stack[-1][0] if stack else None
        blocks.append(Block(kind=kind, start=ln.start, end=ln.end, text_start=ln.text_start,
                            level=len(stack), parent=parent, marker=ln.bullet))
        if kind != "paragraph":
            stack.append((len(blocks) - 1, tag, ln.indent))
    return tuple(replace(b, role=role_of(b.kind, text[b.text_start:b.end])) for b in blocks)
