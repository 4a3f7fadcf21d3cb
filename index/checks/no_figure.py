"""A question for a quantity ("how many", "what percentage", "what is the budget") needs, in one
of the best passages (of the section or meeting named, if any), a sentence or bullet that gives
a figure not taken from the question and shares two of its subject words (one if it has at most
two), in a passage that holds the proper names the question uses or whose speakers they are.
Calendar dates are not figures here; a year the question names ("spent in 2009/10") must be in
the sentence, and a question for money ("how much will the partners put in") needs a sum or a
share (£, %, million), not a count."""

from __future__ import annotations

import re

from core import words
from index import figures
from index.checks.base import CheckContext
from index.checks.elsewhere import elsewhere
from index.checks.subject import holds_names, proper_names
from index.query import content_stems

_W = words.alternation
_ANY = r"\w*"  # any ending
# words of a question's shape, not of its subject ("how many", "in which year", "in March")
_SHAPE = frozenset(content_stems(" ".join(words.entries("quantity_shape") + words.entries("months")
                                          + words.entries("weekdays"))))
_MONEY_Q = re.compile(rf"\b{_W('money_words', suffix=_ANY)}\b", re.IGNORECASE)
_HOW_MUCH = re.compile(rf"\bhow much\b|\bwhat (is|was|are|were|will be) the (\w+ )?{_W('money_sizes')}",
                       re.IGNORECASE)
class NoFigure:
    name = "no-figure"

    def check(self, ctx: CheckContext) -> str | None:
        found, q, t = ctx.mentions, ctx.question, ctx.thresholds
        if "quantity" not in found.intents:
            return None
        asked = figures.figures(q)
        names = proper_names(found.residual)
        subject = (set(content_stems(figures.FIGURE.sub(" ", found.residual))) - _SHAPE
                   - set(content_stems(" ".join(names))))  # "over ten years": "ten" is a figure
        needed = 1 if len(subject) <= t.small_subject else t.shared_words
        years = [m.group(0) for m in figures.YEAR.finditer(q)]
        money = bool(_HOW_MUCH.search(q) and _MONEY_Q.search(q))
        for hit in ctx.top:
            c = hit.chunk
            if elsewhere(found, c):
                continue
            if not holds_names(c, names):
                continue
            for a, b in c.units:
                unit = c.text[a - c.start:b - c.start]
                if (figures.figures(unit) - asked
                        and len(subject & set(content_stems(unit))) >= needed
                        and all(y in unit for y in years)
                        and (not money or figures.MONEY.search(figures.DATE.sub(" ", unit)))):
                    return None
        return "the question asks for a figure and none of the closest passages gives one for it"
