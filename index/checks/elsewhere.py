"""The question names a section, a meeting or a speaker, and the best passage is from another
one ("who chaired the workshop?" answered from the panel meeting). For "when" and "which
meeting" questions, the meeting details (role ``meeting-details``) of the meeting named, or of
the one the section named is in, are from there. A kind of meeting named ("the panel meeting")
confines the answer to the meetings of that kind. "Who is X" may be answered by any passage."""

from __future__ import annotations

from core.records import Chunk
from index.checks.base import CheckContext
from index.query import Mentions


def elsewhere(found: Mentions, top: Chunk) -> str | None:
    """Why ``top`` is from somewhere other than what ``found`` names, or None."""
    if top.role == "meeting-details" and found.intents & {"when", "meeting"}:
        if found.meetings and top.document_id not in found.meetings:  # "when did X present?"
            return "the closest passages are from another meeting than the one named"
        return None
    if found.sections and top.section not in found.sections:
        return ("the closest passages are not from " + " or ".join(sorted(found.sections))
                + ": the records may not say this about it")
    if found.documents and top.document_id not in found.documents:
        return "the closest passages are from another meeting than the one named"
    if found.kind_documents and top.document_id not in found.kind_documents:
        return "the closest passages are from another kind of meeting than the one named"
    if found.speakers and "speakers" not in found.intents and not (
            set(top.speakers) & found.speakers or any(s in top.text for s in found.speakers)):
        return ("the closest passages are not from " + " or ".join(sorted(found.speakers))
                + ": the records may not say this about them")
    return None


class Elsewhere:
    name = "elsewhere"

    def check(self, ctx: CheckContext) -> str | None:
        return elsewhere(ctx.mentions, ctx.best)
