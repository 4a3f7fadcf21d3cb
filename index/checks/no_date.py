""""When will…" (a later event) needs a date in one of the best passages other than the details
of a meeting already held; so does "when was X set up?" when the best passage is not the details
of a meeting (which answer "when was the workshop?"). A question in the words of the workshop
prompt the best passage answers ("when did you last feel treated fairly?") asks for the answers."""

from __future__ import annotations

import re

from core import words
from index import figures
from index.checks.base import CheckContext
from index.query import content_stems

_W = words.alternation
WILL = re.compile(rf"\b{_W('will_words')}\b", re.IGNORECASE)
WHEN_ASKED = re.compile(rf"^\W*(by )?when\b|\b(what|which) {_W('time_nouns')}\b", re.IGNORECASE)


def _echoes_prompt(ctx: CheckContext) -> bool:
    """The question repeats the workshop prompt the best passage answers ("when did you last
    feel…"): it asks for the answers, not for a date."""
    best = ctx.best
    if best.section_kind != "prompt":
        return False
    asked = set(content_stems(ctx.question))
    return bool(asked) and len(asked & set(content_stems(best.section))) >= max(2, len(asked) * 2 / 3)


class NoDate:
    name = "no-date"

    def check(self, ctx: CheckContext) -> str | None:
        if "when" not in ctx.mentions.intents or _echoes_prompt(ctx):
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
