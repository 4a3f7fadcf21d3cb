"""Panel meetings: places presenting to a panel, each a heading followed by speakers lines
(``Speakers:``, ``Speaker:``, ``Presenters:`` …), with labelled sub-headings ("Key challenges:",
"Ask of the panel:") and bullets; closing parts ("Panel reflections", "Next steps") are sections
of their own. The text rules are in :mod:`ingest.layouts.rules`."""

from __future__ import annotations

from ingest.layouts import rules
from ingest.layouts.base import Line, Parsed
from ingest.layouts.sections import build, preamble


class PanelLayout:
    name = "panel"

    def detect(self, lines: list[Line]) -> float:
        body = [ln for ln in lines if not ln.blank]
        places = sum(rules.opens_place(body, i) for i in range(len(body)))
        return 0.0 if not places else min(1.0, 0.55 + 0.15 * places)

    def parse(self, text: str, lines: list[Line], fallback_title: str) -> Parsed:
        return parse_classic(text, lines, fallback_title)


def parse_classic(text: str, lines: list[Line], fallback_title: str,
                  extra_strong: list[int] | None = None) -> Parsed:
    """Meeting details, then sections by the text rules (and typography when there is some)."""
    nb = [ln for ln in lines if not ln.blank]
    title, date, start = preamble(
        nb, fallback_title, rules.strong_lines(nb, extra_strong),
        lambda i: rules.classic_kind(nb, i, started=True) is not None)
    body = nb[start:]
    sections = build(text, body, rules.classic_heads(body), rules.typographic(nb))
    return Parsed(title, date, tuple(sections))
