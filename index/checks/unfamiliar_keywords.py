"""A keyword query (no question word, no question mark) in which a share of the content words
never occur in the records, unless a passage is semantically close anyway ("proportion of
deprived neighbourhoods" for "47% of the neighbourhoods"). Staff typing keywords use the
records' own words; full questions reword freely and are left to the scores. A typo or an
abbreviation of a word of the records is not unknown."""

from __future__ import annotations

import re

from core import words
from index.checks.base import CheckContext
from index.query import content_stems

# a question rather than keywords: starts with a question word or an auxiliary
QUESTION = re.compile(rf"^\W*{words.alternation('question_words')}\b", re.IGNORECASE)


class UnfamiliarKeywords:
    name = "unfamiliar-keywords"

    def check(self, ctx: CheckContext) -> str | None:
        q = ctx.question
        if ctx.answered_by_name or QUESTION.search(q) or q.rstrip().endswith("?"):
            return None
        if max((h.dense_score or 0.0 for h in ctx.top), default=0.0) >= ctx.thresholds.close_dense:
            return None
        stems = list(dict.fromkeys(content_stems(ctx.mentions.residual)))
        unknown = [w for w in stems if not ctx.known(w)]
        if stems and len(unknown) >= max(1, len(stems) * ctx.thresholds.unknown_share):
            return (f"{len(unknown)} of the {len(stems)} search words do not occur in the "
                    "records: the closest passages are shown for you to judge")
        return None
