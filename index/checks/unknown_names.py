"""A name or a number the question uses that the records never mention ("what did Atlantis ask
of the panel?", "the budget for 2031"): the records cannot answer for it. Typos and
abbreviations of the records' words are not unknown (``MentionDetector.familiar``)."""

from __future__ import annotations

from index.checks.base import CheckContext


class UnknownNames:
    name = "unknown-names"

    def check(self, ctx: CheckContext) -> str | None:
        unknown = ctx.mentions.unknown
        if not unknown:
            return None
        return ("the records do not mention " + ", ".join(unknown[:3])
                + ": the closest passages are shown for you to judge")
