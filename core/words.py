"""Word lists kept as data: ``core/words/<name>.txt``, one entry per line, ``#`` starts a comment.

An entry is a word or a phrase ("signed off"); a line may hold a key and a value separated by a
tab (``table``). Lists are read once and cached; a missing list raises ``FileNotFoundError`` (a packaging
error), a malformed ``table`` line ``ValueError``. ``alternation`` turns a list into a regular
expression group, longest entries first, so that patterns are built from the data rather than
spelled out in code.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import MappingProxyType

WORDS_DIR = Path(__file__).with_name("words")


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of ``words/<name>.txt`` in file order (comments and blank lines dropped)."""
    out = []
    for line in (WORDS_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.append(entry)
    return tuple(dict.fromkeys(out))


@cache
def words(name: str) -> frozenset[str]:
    """The entries of a list as a set, casefolded."""
    return frozenset(e.casefold() for e in entries(name))


@cache
def table(name: str) -> MappingProxyType[str, str]:
    """A list of ``key<TAB>value`` lines as a read-only mapping (keys casefolded)."""
    out: dict[str, str] = {}
    for n, entry in enumerate(entries(name), 1):
        key, sep, value = entry.partition("\t")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"word list {name!r} entry {n}: expected 'KEY<TAB>value'")
        out[key.strip().casefold()] = value.strip()
    return MappingProxyType(out)


def alternation(*names: str, suffix: str = "") -> str:
    """A non-capturing regex group matching any entry of the lists ``names`` (longest first;
    the spaces of a phrase match any run of whitespace); ``suffix`` is appended to each entry
    (e.g. ``r"\\w*"`` for any ending)."""
    items = sorted({e for n in names for e in entries(n)}, key=lambda e: (-len(e), e))
    return "(?:" + "|".join(r"\s+".join(map(re.escape, e.split())) + suffix for e in items) + ")"
