"""The question names a place or a speaker and asks about something ("what did <a speaker> say
about smoking?"), and none of the best passages of that place or speaker has a word of that
something, even allowing for other forms and typos: the records say nothing of it there, however
often they mention it elsewhere. A passage asked for by name (a sub-heading, the notes of the
person's words) answers."""

from __future__ import annotations

from core import words
from index.checks.base import CheckContext
from index.checks.subject import context_of, proper_names
from index.query import content_stems

# words of a question's shape ("what did X say about…", "how many…"), not of its subject
_SHAPE = frozenset(content_stems(" ".join(
    words.entries("talk_words") + words.entries("said_by_verbs") + words.entries("speech_verbs")
    + words.entries("quantity_shape") + words.entries("question_words") + words.entries("role_titles")
    + words.entries("post_words") + words.entries("organisation_words") + words.entries("conduct_acts"))))


class OffSubject:
    name = "off-subject"

    def check(self, ctx: CheckContext) -> str | None:
        found = ctx.mentions
        if ctx.answered_by_name or not (found.sections or found.speakers):
            return None
        if "speakers" in found.intents:  # "who spoke for X": the speakers line is the answer
            return None
        names = set(content_stems(" ".join([*proper_names(found.residual), *found.speakers])))
        subject = set(content_stems(found.residual)) - _SHAPE - names
        if not subject:
            return None
        scoped = [h.chunk for h in ctx.top
                  if h.chunk.section in found.sections or set(h.chunk.speakers) & found.speakers]
        for c in scoped:
            held = set(content_stems(context_of(c)))
            if any(s in held or any(h.startswith(s) or s.startswith(h) for h in held if len(h) >= 4
                                    and len(s) >= 4) for s in subject):
                return None
        if not scoped:
            return None  # the elsewhere check speaks for this case
        where = " or ".join(sorted(found.sections | found.speakers))
        return (f"the closest passages from {where} do not mention what the question asks about: "
                "the records may not say this about it")
