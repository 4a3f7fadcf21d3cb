""""What are the five priorities?" needs a list of that many in one of the best passages: a line
naming the counted things followed, on the same line, by that many items, or a lead-in line that
names them ("Key priorities for the area:") followed by that many lines. A count in passing
("our 5 priorities") is not the list; neither is a named set with no items."""

from __future__ import annotations

import re

from core import words
from index.checks.base import CheckContext
from index.figures import NUMBER_WORDS
from index.query import content_stems

_NOT_COUNTED = words.alternation("not_counted")
# "what are the 5 priorities?": the count and the plural it counts
COUNT_Q = re.compile(
    rf"\b(what|which|list|name)\b.{{0,40}}?(?<![-–/\d.])\b(?P<n>\d{{1,2}}|{NUMBER_WORDS})"
    rf"\s+(?!{_NOT_COUNTED}\b)(?P<what>(?:[\w'’-]+\s+){{0,2}}[\w'’-]+s)\b", re.IGNORECASE)
_COUNTS = {w: n for n, w in enumerate(words.entries("number_words")[:12], 1)}
_SEPARATOR = re.compile(r"[,;]|\band\b|\s[–-]\s")


class NoList:
    name = "no-list"

    def check(self, ctx: CheckContext) -> str | None:
        m = COUNT_Q.search(ctx.question)
        if not m:
            return None
        raw = m.group("n").casefold()
        n = _COUNTS.get(raw) or (int(raw) if raw.isdigit() else 0)
        if not ctx.thresholds.min_list <= n <= ctx.thresholds.max_list:
            return None  # "the 20 most deprived": a share, not a list
        noun = content_stems(m.group("what"))[-1:]  # "priorities" of "our 5 priorities"
        for h in ctx.top:
            lines = [line for line in h.chunk.text.splitlines() if line.strip()]
            for i, line in enumerate(lines):
                stems = content_stems(line)
                if not noun or noun[0] not in stems:
                    continue
                counted = re.search(rf"\b({re.escape(raw)}|{n})\b", line, re.IGNORECASE)
                after = line[counted.end():] if counted else ""
                if len(_SEPARATOR.findall(after)) >= n - 1:
                    return None
                if stems[0] == noun[0] and len(lines) - i - 1 >= n:  # a lead-in, n lines after
                    return None
        return (f"the question asks for {m.group('n')} {m.group('what')} and none of the closest "
                "passages lists them")
