"""A question for what a meeting did ("who chaired the meeting?", "what did the board decide?",
"which members signed off the plan?", "how did the vote go?", "who sent apologies?") needs, in
one of the best passages, a record of such an act: a passage the record marks as a decision,
vote, action or attendance list (``Chunk.role``), meeting details that list people (the chair),
or notes that report the act ("the panel agreed", "chaired by Jane Smith", "a decision was
made"). Notes of what was said do not answer it; a title such as "Chair of the X Partnership"
is not the chair of the meeting, and "priorities decided by communities" is not a decision of
one. A passage under a heading that names the acts ("Agreed priorities", "Decisions") records
them. "Who attended…" needs a list of those there: an attendance list, speakers, or meeting
details that name people. The acts, bodies and actors are word lists (``core/words``)."""

from __future__ import annotations

import re

from core import words
from core.records import Chunk
from index.checks.base import CheckContext
from index.checks.subject import context_of, holds_names, proper_names, subject_stems
from index.query import content_stems

_W = words.alternation
_ANY = r"\w*"  # any ending
_BODY = rf"{_W('meeting_bodies')}s?"
_ACTORS = rf"(?:{_W('meeting_bodies')}|{_W('meeting_actors')})s?"
_DONE = _W("meeting_acts")
_DECISIONS = _W("decision_nouns")
# the question: an act done by a meeting ("the panel decided", "did the trustees vote") or to it
# ("chaired the panel meeting"), the outcome of a vote, the minutes' own items; not what a
# meeting was asked to do ("asked the panel to decide")
PROCEEDING = re.compile(
    rf"\b{_ACTORS}(\s+(?!to\b)\w+){{0,2}}\s+{_W('meeting_act_stems', suffix=_ANY)}\b"
    # "did the trustees vote…", "did members agree…": whoever they are, as a body
    rf"|\b(did|do|does)\s+(the\s+)?\w+\s+{_W('meeting_act_stems', suffix=_ANY)}\b"
    rf"|\b{_DONE}\b.{{0,50}}\b{_BODY}\b"
    rf"|\b(was|were) there (a |any )?{_DECISIONS}\b"
    rf"|\b(results?|outcomes?) of (the|a|any) (\w+ ){{0,4}}{_DECISIONS}\b"
    rf"|\b{_W('minutes_items')}\b|\baction (log|owners?)\b|\bwho owns the (\w+ )?actions?\b"
    rf"|\b{_W('conduct_acts', suffix=_ANY)}\s+(the|this|that)\s+(\w+\s+){{0,2}}{_BODY}\b",
    re.IGNORECASE)
# the notes' report of an act: "the panel agreed", "chaired by Jane Smith", "a decision was made"
REPORTED = re.compile(
    rf"\b{_ACTORS}(\s+\w+){{0,2}}\s+(?:{_DONE}|responded|replied)\b"
    rf"|\b(?:{_DONE}|{_W('conduct_done')})\s+by\s+(the\s+(\w+\s+){{0,2}}{_BODY}\b|(?-i:[A-Z]))"
    rf"|\b{_DECISIONS} (was|were) (made|taken|held)\b", re.IGNORECASE)
RECORD_ROLES = frozenset({"decision", "vote", "action", "attendance"})
# "which councillors attended…": a list of those there (speakers count as attendees)
ATTENDED = re.compile(r"\b(who|which)\b.{0,40}\b(attend(ed|ing|s)?|present at|took part)\b",
                      re.IGNORECASE)
_ACT_STEMS = frozenset(content_stems(" ".join(words.entries("meeting_acts")
                                              + words.entries("decision_nouns"))))
# words of the question's shape, not of its subject ("who chaired the board meeting")
_SHAPE = frozenset(content_stems(" ".join(
    words.entries("meeting_bodies") + words.entries("meeting_actors") + words.entries("meeting_acts")
    + words.entries("meeting_act_stems") + words.entries("conduct_acts") + words.entries("decision_nouns")
    + words.entries("minutes_items") + words.entries("action_asks") + words.entries("months")
    + words.entries("weekdays") + words.entries("proceeding_shape")
    + ("action", "actions", "outcome", "result", "log"))))


def records_proceedings(chunk: Chunk) -> bool:
    """Whether a passage records what a meeting did."""
    if chunk.role in RECORD_ROLES or chunk.section_kind == "attendance":
        return True
    if chunk.role == "meeting-details" and chunk.speakers:  # the details name the chair
        return True
    if any(_ACT_STEMS & set(content_stems(h)) for h in chunk.heading_path[1:]):
        return True  # under a heading of the record's acts ("Agreed priorities", "Decisions")
    return bool(REPORTED.search(" ".join((*chunk.speakers, chunk.text))))


class NoProceedings:
    name = "no-proceedings"

    def check(self, ctx: CheckContext) -> str | None:
        attended = bool(ATTENDED.search(ctx.question))
        if not attended and not PROCEEDING.search(ctx.question):
            return None
        found = ctx.mentions
        names = proper_names(found.residual)
        subject = subject_stems(found.residual, _SHAPE) - set(content_stems(" ".join(names)))
        for h in ctx.top:
            c = h.chunk
            if not (records_proceedings(c) or attended and c.role == "speakers"):
                continue
            # a record of the meeting named, about what was asked (the vote on *that* proposal)
            meetings = found.meetings or found.kind_documents
            if meetings and c.document_id not in meetings:
                continue
            if not holds_names(c, names):
                continue
            if subject and not subject & set(content_stems(context_of(c))):
                continue
            return None
        return ("the question asks what a meeting did (who chaired it, what it decided…) and none "
                "of the closest passages records that: the records may only say what was said")
