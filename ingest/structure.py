"""Structure recovery: canonical text → ``Document`` with a tree of sections and block spans.

A thin facade over :mod:`ingest.layouts`: the layout of each record (panel, workshop, minutes,
generic) is detected and recovers the sections, blocks with their roles, and speakers. The
rules are documented in the layout modules (``ingest/layouts/``).
"""

from __future__ import annotations

from ingest.layouts.base import Line, split_lines
from ingest.layouts.people import parse_attendees, parse_date, parse_person, parse_speakers
from ingest.layouts.registry import detect, parse

__all__ = ["Line", "detect", "parse", "parse_attendees", "parse_date", "parse_person",
           "parse_speakers", "split_lines"]
