""""When is the next meeting?" answered by the details of a meeting already held: the records
are of meetings held, and their details do not say when a later one is, unless another of the
best passages gives a date ("Date of next meeting: 5 September")."""

from __future__ import annotations

import re

from core import words
from index import figures
from index.checks.base import CheckContext

FUTURE = re.compile(rf"\b{words.alternation('future_words')}\b|\bwill (it |they )?be held\b",
                    re.IGNORECASE)


class FutureMeeting:
    name = "future-meeting"

    def check(self, ctx: CheckContext) -> str | None:
        if ("when" in ctx.mentions.intents and ctx.best.role == "meeting-details"
                and FUTURE.search(ctx.question)
                and not any(h.chunk.role != "meeting-details" and figures.DATED.search(h.chunk.text)
                            for h in ctx.top)):
            return ("the records are of meetings already held: their details do not say when a "
                    "later one is")
        return None
