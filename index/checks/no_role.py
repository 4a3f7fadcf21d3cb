""""Who is the <post> of…" needs one entry (a line, or a ``;``-separated part of one) of the best
passages holding every word of the post: "Director of Public Health" is not answered by "Public
Health Consultant; Medical Director"."""

from __future__ import annotations

import re

from core import glossary, words
from index.checks.base import CheckContext
from index.query import content_stems

_TITLE = words.alternation("role_titles", suffix=r"\w*")
_CAPITAL = r"(?-i:[A-Z][\w&'’-]*)"
ROLE = re.compile(rf"\bwho (is|was|are|were) (the |a |an )?(?P<role>(?:[a-z][\w-]*\s+){{0,3}}?"
                  rf"{_TITLE}\b(?:\s+of\s+(?:the\s+)?{_CAPITAL}(?:\s+{_CAPITAL})*)?)", re.IGNORECASE)


class NoRole:
    name = "no-role"

    def check(self, ctx: CheckContext) -> str | None:
        m = ROLE.search(ctx.question)
        if not m:
            return None
        role = set(content_stems(m.group("role")))
        for h in ctx.top:
            for entry in re.split(r"[;\n]", h.chunk.text):
                if role <= set(content_stems(glossary.expand_text(entry))):
                    return None
        return "the question asks who holds a role and none of the closest passages names its holder"
