"""People and dates named by a record: speakers lines, attendance lists, the meeting's date.

A person is written ``name – role`` (a spaced dash), ``name, role`` (the first comma; a bracket
after it stays in the role: ``Ann Lee, Director (Borough Council)``), ``name [role]`` or
``name (role)``, or ``name Role words`` where the role begins at a title word
(``core/words/role_start_words.txt``). A speakers line holds people separated by ``;``. An attendance
line holds one person, or several separated by ``;``; after the label on its own line, also
several separated by commas when every part is a bare name.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from core import words
from core.records import Speaker
from ingest.layouts.base import label_pattern

_DASH = re.compile(r"\s[–—-]\s")
_BRACKET = re.compile(r"(?P<name>[^\[(]+?)\s*[\[(](?P<role>[^\])]+)[\])]\s*(?P<rest>.*)$")
_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"


@lru_cache(maxsize=1)
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    prefixes = sorted({m.casefold()[:3] for m in words.entries("months")})
    month = r"(?P<month>(?:" + "|".join(prefixes) + r")[a-z]*)\.?"
    return (
        re.compile(r"\b" + _ORDINAL + r"(?:\s+of)?\s+" + month + r",?\s+(?P<year>\d{4})\b",
                   re.IGNORECASE),
        re.compile(r"\b" + month + r"\s+" + _ORDINAL + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE),
        re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    )


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as an ISO string, or None."""
    months = list(dict.fromkeys(m.casefold()[:3] for m in words.entries("months")))
    for pattern in _date_patterns():
        for m in pattern.finditer(s):
            try:
                if m.groupdict().get("mnum"):
                    month = int(m.group("mnum"))
                else:
                    name = m.group("month").casefold()
                    month = months.index(name[:3]) + 1
                return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
            except ValueError:
                continue
    return None


@lru_cache(maxsize=1)
def _role_words() -> re.Pattern[str]:
    return re.compile(r"\s(?=" + words.alternation("role_start_words") + r"\b)")


def parse_person(part: str, status: str | None = None) -> Speaker:
    """One person: ``name – role``, ``name, role``, ``name [role]`` or ``name Role words``."""
    part = " ".join(part.split()).rstrip(";").strip()
    dash = _DASH.search(part)
    comma = part.find(",")
    bracket = _BRACKET.match(part)
    if dash and (comma < 0 or dash.start() < comma):
        name, role = part[:dash.start()], part[dash.end():]
    elif comma >= 0 and (not bracket or comma < len(bracket.group("name"))):
        name, role = part[:comma], part[comma + 1:]
    elif bracket:
        name = bracket.group("name")
        role = bracket.group("role") + (f" {bracket.group('rest')}" if bracket.group("rest") else "")
    else:
        pieces = _role_words().split(part, maxsplit=1)
        if len(pieces) == 2 and len(pieces[0].split()) >= 2:
            name, role = pieces
        else:
            name, role = part, ""
    return Speaker(name.strip(), role.strip() or None, status)


def parse_speakers(s: str) -> tuple[Speaker, ...]:
    """People on a speakers line (``Speakers: …``; the label may be absent)."""
    s = label_pattern("speaker_labels").sub("", s.strip(), count=1)
    return tuple(parse_person(p) for p in s.split(";") if p.strip())


def parse_attendees(s: str, status: str, inline: bool = False) -> tuple[Speaker, ...]:
    """People on one line of an attendance list (the label already removed); on the label's
    own line (``inline``) bare names may also be separated by commas."""
    s = s.strip().rstrip(".")
    if not s:
        return ()
    if ";" in s or not inline:
        parts = s.split(";")
    else:
        parts = s.split(",")
        if len(parts) > 1 and not all(_name_like(p) for p in parts):
            parts = [s]
    return tuple(parse_person(p, status) for p in parts if p.strip())


def _name_like(s: str) -> bool:
    """A bare name, perhaps with a bracketed role: 1-5 capitalised words, no title word after
    the first, and a first title word ("Professor") only before two more words."""
    core = re.sub(r"[\[(][^\])]*[\])]", "", s).split()
    if not 1 <= len(core) <= 5 or not all(w[:1].isupper() for w in core):
        return False
    titled = _role_words().search(" " + " ".join(core))
    return not titled or (titled.start() == 0 and len(core) >= 3
                          and not _role_words().search(" " + " ".join(core[1:])))
