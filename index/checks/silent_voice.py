"""A name the question asks for words of ("what did X present?") that the records only name and
never give words to (``index.voices``)."""

from __future__ import annotations

from index.checks.base import CheckContext


class SilentVoice:
    name = "silent-voice"

    def check(self, ctx: CheckContext) -> str | None:
        silent = ctx.mentions.silent
        if not silent:
            return None
        return (f"the records name {silent} but do not report what they said: the closest "
                "passages are shown for you to judge")
