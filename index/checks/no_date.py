""""When will…" (a later event) needs a date in one of the best passages other than the details
of a meeting already held; so does "when was X set up?" when the best passage is not the details
of a meeting (which answer "when was the workshop?")."""

from __future__ import annotations

import re

from core import words
from index import figures
from index.checks.base import CheckContext

_W = words.alternation
WILL = re.compile(rf"\b{_W('will_words')}\b", re.IGNORECASE)
WHEN_ASKED = re.compile(rf"^\W*(by )?when\b|\b(what|which) {_W('time_nouns')}\b", re.IGNORECASE)


class NoDate:
    name = "no-date"

    def check(self, ctx: CheckContext) -> str | None:
        if "when" not in ctx.mentions.intents:
            return None
        if any(h.chunk.role != "meeting-details" and figures.DATED.search(h.chunk.text)
               for h in ctx.top):
            return None
        if WILL.search(ctx.question):
            return ("the question asks when something will happen and none of the closest "
                    "passages gives a date for it")
        if ctx.best.role != "meeting-details" and WHEN_ASKED.search(ctx.question):
            return "the question asks when something happened and none of the closest passages says"
        return None
