"""Checks of what a question asks for against the best passages: a date, a venue, a record of a
meeting's acts, a role's holder, a list of N items, what a video says. Each returns the reason
to abstain, or None; ``index.evidence.assess`` runs them.

- ``no_proceedings``: a question for what a meeting did ("who chaired the panel meeting?",
  "what did the commission decide?", "which board members signed off the plan?", "which idea
  did the execs vote for?") needs, in one of the best three passages, a record of such an act
  ("the panel agreed", "chaired by Jane Smith", "Chair:", "Decisions:", "a decision was made");
  notes of what was said do not answer it, a title such as "Chair of the Fylde Coast
  Partnership" is not the chair of the meeting, and "priorities decided by communities" is not
  a decision of one.
- ``future_meeting``: "when is the next meeting?" answered by the details of a meeting held.
- ``no_date``: "when will…" (a later event) needs a date in one of the best three passages other
  than the details of a meeting already held; so does "when was X set up?" when the best passage
  is not the details of a meeting (which answer "when was the workshop?").
- ``no_venue``: "where was it held?" needs a venue ("held at", "online", "room"…) in one of them.
- ``no_role``: "who is the <role> of…" needs one speaker entry (or line) holding every word of
  the role ("Director of Public Health" is not "Public Health
  Consultant; Medical Director").
- ``no_list``: "what are the five priorities?" needs a list of that many: a line naming the
  count and that many items after it, or a lead-in line followed by that many bullets ("MM's 5
  priorities" in passing is not the list; neither is "the Marmot principles" with no items).
- ``no_media``: "what did Christine say in her video?" is not answered by "See also the video
  from Christine": when the best passages mention the video (slides, report…) only to point at
  it, the records do not say what is in it.
"""

from __future__ import annotations

import re

from core import glossary
from core.records import Hit
from index.boosts import NUMBER_WORDS, PREAMBLE_SECTION
from index.query import Mentions, content_stems

MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|"
         r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)")
_FUTURE = re.compile(r"\b(next|upcoming|forthcoming|future|scheduled|will (it |they )?be held)\b",
                     re.IGNORECASE)
# an act of a meeting: done by it ("the panel decided", "board members signed off", "did the
# execs vote") or to it ("chaired the panel meeting", "facilitated the workshop"); not what it
# was asked to do
_BODIES = "meeting|panel|commission|workshop|session|board|committee"
_BODY = rf"({_BODIES})s?"
_ACTORS = rf"({_BODIES}|execs|executives|members|participants|attendees|delegates)s?"
_ACT_DONE = r"decided|agreed|approved|voted|resolved|endorsed|ratified|signed off"
_PROCEEDING = re.compile(
    rf"\b{_ACTORS}(\s+(?!to\b)\w+){{0,2}}\s+(decid\w*|agree\w*|vot\w*|approv\w*|resolv\w*|endors\w*|"
    r"ratif\w*|sign\w* off|respond(s|ed)?|repl(y|ied))\b"
    rf"|\b({_ACT_DONE})\b.{{0,50}}\b{_BODY}\b"
    r"|\b(was|were) there (a |any )?(votes?|decisions?|ballots?)\b"
    r"|\b(results?|outcomes?) of (the|a|any) (\w+ ){0,4}(votes?|ballots?|decisions?)\b"
    # the minutes' own items: apologies, attendees, the action log
    r"|\bapologies\b|\baction (log|owners?)\b|\bwho owns the (agreed )?actions\b"
    r"|\b(chair|facilitat|host|minut|conven|led|ran|run)\w*\s+(the|this|that)\s+(\w+\s+){0,2}"
    rf"{_BODY}\b", re.IGNORECASE)
# its record: "the panel agreed", "chaired by Jane Smith", "Decisions:", "a decision was made"
_RECORDED = re.compile(
    rf"\b{_ACTORS}(\s+\w+){{0,2}}\s+({_ACT_DONE}|responded|replied)\b"
    rf"|\b({_ACT_DONE}|chaired|facilitated|hosted|minuted|convened|led)\s+by\s+"
    rf"(the\s+(\w+\s+){{0,2}}{_BODY}\b|(?-i:[A-Z]))"
    r"|(^|\n)\s*[·•*-]?\s*(chair|chairs|chairperson|facilitators?|host|minutes|decisions?|"
    r"resolutions?|actions?|apologies|attendees|present)\s*:"
    r"|\b(decisions?|votes?|ballots?) (was|were) (made|taken|held)\b", re.IGNORECASE)
# "when will the report be published?": a date in one of the best three passages other than the
# details of a meeting already held; "when was Healthier Fleetwood set up?" likewise, unless the
# details of a meeting are the best passage
_WILL = re.compile(r"\b(will|next|upcoming|forthcoming|due|planned|scheduled|expected)\b", re.IGNORECASE)
_WHEN_ASKED = re.compile(r"^\W*(by )?when\b|\b(what|which) (date|day|year|month)\b", re.IGNORECASE)
_DATED = re.compile(rf"\b{MONTH}\b\.? (\d{{4}}|\d{{1,2}}\b)|\b(19|20)\d\d\b|\b(next|this|last) (year|month|"
                    r"week|spring|summer|autumn|winter)\b|\bby the end of\b", re.IGNORECASE)
# "where was the workshop held?": a venue in one of the best three passages
_VENUE_Q = re.compile(r"\bwhere\b.{0,60}\b(held|hosted|take place|took place|taking place|located|"
                      r"meet|met)\b|\bvenue\b", re.IGNORECASE)
_VENUE = re.compile(r"\b(held (at|in|on)|venue|hosted at|took place (at|in)|room|hall|centre|center|"
                    r"hotel|online|virtual(ly)?|ms teams|zoom)\b", re.IGNORECASE)
# "who is the director of public health?": one speaker's entry holding every word of the role
_ROLE_WORDS = (r"(?P<role>(?:[a-z][\w-]*\s+){0,3}?(?:chair\w*|director\w*|chief\w*|head|heads|lead|"
               r"leads|leader\w*|officer\w*|executive\w*|manager\w*|secretar\w*|consultant\w*|"
               r"commissioner\w*|president\w*|representative\w*|ceo|coo|dph|gp)"
               r"(?:\s+of\s+(?:the\s+)?(?-i:[A-Z][\w&'’-]*)(?:\s+(?-i:[A-Z][\w&'’-]*))*)?)")
_ROLE = re.compile(rf"\bwho (is|was|are|were) (the |a |an )?{_ROLE_WORDS}", re.IGNORECASE)
# "what are MM's 5 priorities?": the count and the plural it counts
_COUNT_Q = re.compile(rf"\b(what|which|list|name)\b.{{0,40}}?(?<![-–/\d.])\b(?P<n>\d{{1,2}}|{NUMBER_WORDS})"
                      r"\s+(?!(?:years?|months?|weeks?|days?|hours?|minutes?|per|percent|of|and|or|the|to|"
                      r"in|is|are|was|were|refers?|stands?|means?)\b)"
                      r"(?P<what>(?:[\w'’-]+\s+){0,2}[\w'’-]+s)\b", re.IGNORECASE)
_COUNTS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)}
_ITEM = re.compile(r"^\s*([·•*-]|\d{1,2}[.)])\s*\S", re.MULTILINE)
_SEPARATOR = re.compile(r"[,;]|\band\b|\s[–-]\s")
# "what did Christine say in her video?", "whats in christine blythe's video"
_MEDIA = r"(videos?|films?|slides?|presentations?|recordings?|reports?|papers?|documents?|podcasts?)"
_MEDIA_Q = re.compile(
    rf"\b{_MEDIA}\b.{{0,40}}\b(say|said|says|show\w*|cover\w*|contain\w*|explain\w*|conclu\w*|"
    r"recommend\w*|found|find\w*|include\w*|about)\b"
    r"|\b(say|said|says|show\w*|cover\w*|explain\w*|talk\w*)\b.{0,30}\b(in|on) (his|her|their|the|its|"
    rf"that|this) (\w+ )?{_MEDIA}\b"
    rf"|\bwhat(['’]?s| is| was| were)? (in|on) (the |his |her |their |[\w ]{{0,30}}['’]s )?(\w+ )?{_MEDIA}\b",
    re.IGNORECASE)
_POINTER = re.compile(r"^\W*(see|watch|view|refer to|read)\b", re.IGNORECASE)


def no_proceedings(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    if not _PROCEEDING.search(question):
        return None
    if any(_RECORDED.search(" ".join((*h.chunk.speakers, h.chunk.text))) for h in hits[:depth]):
        return None
    return ("the question asks what a meeting did (who chaired it, what it decided…) and none of "
            "the closest passages records that: the records may only say what was said")


def future_meeting(question: str, found: Mentions, hits: list[Hit]) -> str | None:
    if "when" in found.intents and hits[0].chunk.section == PREAMBLE_SECTION and _FUTURE.search(question):
        return ("the records are of meetings already held: their details do not say when a "
                "later one is")
    return None


def no_date(question: str, found: Mentions, hits: list[Hit], depth: int = 3) -> str | None:
    if "when" not in found.intents:
        return None
    if any(h.chunk.section != PREAMBLE_SECTION and _DATED.search(h.chunk.text) for h in hits[:depth]):
        return None
    if _WILL.search(question):
        return ("the question asks when something will happen and none of the closest passages "
                "gives a date for it")
    if hits[0].chunk.section != PREAMBLE_SECTION and _WHEN_ASKED.search(question):
        return "the question asks when something happened and none of the closest passages says"
    return None


def no_venue(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    if not _VENUE_Q.search(question) or any(_VENUE.search(h.chunk.text) for h in hits[:depth]):
        return None
    return "the question asks where a meeting took place and none of the closest passages says"


def no_role(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    m = _ROLE.search(question)
    if not m:
        return None
    role = set(content_stems(m.group("role")))
    for h in hits[:depth]:
        for entry in re.split(r"[;\n]", h.chunk.text):
            if role <= set(content_stems(glossary.expand_text(entry))):
                return None
    return "the question asks who holds a role and none of the closest passages names its holder"


def no_list(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    m = _COUNT_Q.search(question)
    if not m:
        return None
    raw = m.group("n").casefold()
    n = _COUNTS.get(raw) or (int(raw) if raw.isdigit() else 0)
    if not 2 <= n <= 12:  # "the 20 most deprived": a share, not a list
        return None
    noun = content_stems(m.group("what"))[-1:]  # "priorities" of "MM's 5 priorities"
    for h in hits[:depth]:
        lines = h.chunk.text.splitlines()
        for i, line in enumerate(lines):
            stems = content_stems(line)
            if not noun or noun[0] not in stems:
                continue
            counted = re.search(rf"\b({raw}|{n})\b", line, re.IGNORECASE)
            after = line[counted.end():] if counted else ""
            if len(_SEPARATOR.findall(after)) >= n - 1:
                return None
            # a lead-in naming the list first ("Key priorities for the area:"), that many bullets after
            if stems[0] == noun[0] and len(_ITEM.findall("\n".join(lines[i + 1:]))) >= n:
                return None
    return (f"the question asks for {m.group('n')} {m.group('what')} and none of the closest "
            "passages lists them")


def no_media(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    m = _MEDIA_Q.search(question)
    if not m:
        return None
    kind = next(g for g in reversed(m.groups()) if g and re.fullmatch(_MEDIA, g, re.IGNORECASE))
    stem = content_stems(kind)[0]
    mentions = [line for h in hits[:depth] for line in h.chunk.text.splitlines()
                if stem in content_stems(line)]
    if mentions and all(_POINTER.search(line) for line in mentions):
        return (f"the records point to the {kind.casefold()} but do not say what is in it: the "
                "closest passages are shown for you to judge")
    return None
