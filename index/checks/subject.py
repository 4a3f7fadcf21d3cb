"""What a question is about, for the checks that need the best passages to be about it too: the
proper names it uses ("Harbour Trust") and its subject words (content stems other than the
words of its shape)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core import words
from core.records import Chunk
from index import figures
from index.query import content_stems

_PROPER = re.compile(r"(?<=\w[\s,;:])\s*([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*)")
_NOT_NAMES = words.words("not_names") | words.words("months") | words.words("weekdays")


def proper_names(text: str) -> list[str]:
    """Capitalised words or runs of them after the first word ("Harbour Trust"), except those
    that name nothing in particular, months and days."""
    names = (re.sub(r"['’]s$", "", m.group(1)) for m in _PROPER.finditer(text))
    return [n for n in names if not figures.NUMBER.fullmatch(n) and n.casefold() not in _NOT_NAMES]


def context_of(chunk: Chunk) -> str:
    """A passage with its headings and speakers, casefolded (abbreviations expanded)."""
    return " ".join((*chunk.heading_path, *chunk.speakers, chunk.embed_text)).casefold()


def holds_names(chunk: Chunk, names: Iterable[str]) -> bool:
    """Every name is in the passage, its headings or its speakers."""
    context = context_of(chunk)
    return all(n.casefold() in context for n in names)


def subject_stems(text: str, shape: Iterable[str] = ()) -> set[str]:
    """The content stems of ``text`` other than those of the ``shape`` words."""
    return set(content_stems(text)) - set(shape)
