"""Workshops: key points (topics with labelled sub-headings), numbered prompts with the
contributions under each, and groups of prompts ("Online contributions", or a heading whose
sub-headings are the prompts). The text rules are in :mod:`ingest.layouts.rules`."""

from __future__ import annotations

from ingest.layouts import rules
from ingest.layouts.base import Line, Parsed
from ingest.layouts.panel import parse_classic


class WorkshopLayout:
    name = "workshop"

    def detect(self, lines: list[Line]) -> float:
        body = [ln for ln in lines if not ln.blank]
        prompts = [i for i, ln in enumerate(body) if rules.is_prompt_head(ln)]
        if len(prompts) < 2:
            return 0.0
        return min(1.0, 0.5 + 0.1 * len(prompts))

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed:
        body = [ln for ln in lines if not ln.blank]
        prompts = [i for i, ln in enumerate(body) if rules.is_prompt_head(ln)]
        groups = [i - 1 for i in prompts if i > 0 and rules.classic_kind(body, i - 1, True)
                  == "group"]
        return parse_classic(text, lines, fallback_title, prompts[:1] + groups[:1])
