""""Where was it held?" needs a venue ("held at", "online", "room"…) in one of the best
passages."""

from __future__ import annotations

import re

from core import words
from index.checks.base import CheckContext

_W = words.alternation
VENUE_Q = re.compile(rf"\bwhere\b.{{0,60}}\b{_W('venue_verbs')}\b|\bvenue\b", re.IGNORECASE)
VENUE = re.compile(rf"\b{_W('venue_words')}\b", re.IGNORECASE)


class NoVenue:
    name = "no-venue"

    def check(self, ctx: CheckContext) -> str | None:
        if not VENUE_Q.search(ctx.question) or any(VENUE.search(h.chunk.text) for h in ctx.top):
            return None
        return "the question asks where a meeting took place and none of the closest passages says"
