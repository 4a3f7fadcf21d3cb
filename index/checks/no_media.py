""""What did X say in her video?" is not answered by "See also the video from X": when the best
passages mention the video (slides, report…) only to point at it, the records do not say what
is in it."""

from __future__ import annotations

import re

from core import words
from index.checks.base import CheckContext
from index.query import content_stems

_W = words.alternation
_MEDIA = _W("media_words")
_ASKED = _W("media_verbs", suffix=r"\w*")
MEDIA_Q = re.compile(
    rf"\b(?P<a>{_MEDIA})\b.{{0,40}}\b{_ASKED}\b"
    rf"|\b{_ASKED}\b.{{0,30}}\b(in|on) (his|her|their|the|its|that|this) (\w+ )?(?P<b>{_MEDIA})\b"
    rf"|\bwhat(['’]?s| is| was| were)? (in|on) (the |his |her |their |[\w ]{{0,30}}['’]s )?(\w+ )?"
    rf"(?P<c>{_MEDIA})\b", re.IGNORECASE)
POINTER = re.compile(rf"^\W*{_W('pointer_words')}\b", re.IGNORECASE)


class NoMedia:
    name = "no-media"

    def check(self, ctx: CheckContext) -> str | None:
        m = MEDIA_Q.search(ctx.question)
        if not m:
            return None
        kind = m.group("a") or m.group("b") or m.group("c")
        stem = content_stems(kind)[0]
        mentions = [line for h in ctx.top for line in h.chunk.text.splitlines()
                    if stem in content_stems(line)]
        if mentions and all(POINTER.search(line) for line in mentions):
            return (f"the records point to the {kind.casefold()} but do not say what is in it: "
                    "the closest passages are shown for you to judge")
        return None
