""""Who is the <post> of…" needs one entry (a line, or a ``;``-separated part of one) of the best
passages holding every word of the post: "Director of Public Health" is not answered by "Public
Health Consultant; Medical Director". "Who chairs X" asks for the chair of X likewise."""

from __future__ import annotations

import re

from core import glossary, words
from index.checks.base import CheckContext
from index.query import content_stems

_TITLE = words.alternation("role_titles", suffix=r"\w*")
_CAPITAL = r"(?-i:[A-Z][\w&'’-]*)"
# "who chairs the Harbour Partnership": the post as a verb, with what it is held in
HOLDS = re.compile(rf"\bwho (?P<verb>{words.alternation('post_verbs')}) (?P<of>[^?]+)", re.IGNORECASE)
ROLE = re.compile(rf"\bwho (is|was|are|were) (the |a |an )?(?P<role>(?:[a-z][\w-]*\s+){{0,3}}?"
                  rf"{_TITLE}\b(?:\s+of\s+(?:the\s+)?{_CAPITAL}(?:\s+{_CAPITAL})*)?)", re.IGNORECASE)


_LONG = {short: long for short, long in glossary.entries()}


def _spelled_out(text: str) -> str:
    """Abbreviations replaced by their long form ("PCN" → "primary care network")."""
    return re.sub(r"[\w&]+", lambda m: _LONG.get(m.group(0), m.group(0)), text)


def _holds(stem: str, stems: set[str]) -> bool:
    """``stem`` is one of ``stems``, or the start of one ("lanc" typed for a county's name)."""
    return stem in stems or (len(stem) >= 4 and any(s.startswith(stem) for s in stems))


class NoRole:
    name = "no-role"

    def check(self, ctx: CheckContext) -> str | None:
        m = ROLE.search(ctx.question)
        held = HOLDS.search(ctx.question)
        if m:
            role = set(content_stems(_spelled_out(m.group("role"))))
        elif held:
            role = set(content_stems(_spelled_out(held.group("verb") + " " + held.group("of"))))
        else:
            return None
        for h in ctx.top:
            for entry in re.split(r"[;\n]", h.chunk.text):
                held = set(content_stems(_spelled_out(glossary.expand_text(entry))))
                if all(_holds(r, held) for r in role):
                    return None
        return "the question asks who holds a role and none of the closest passages names its holder"
