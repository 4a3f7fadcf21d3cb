"""Not one content word of the question occurs in the records (allowing for typos and
abbreviations of their words). A person's name is not a subject: "what did <a speaker> say about
<something never mentioned>?" is not answered by that speaker's passage, even when it is the
shape asked for; otherwise a passage asked for by name answers."""

from __future__ import annotations

from index.checks.base import CheckContext
from index.query import content_stems


def nothing_known(ctx: CheckContext) -> str | None:
    found = ctx.mentions
    names = set(content_stems(" ".join(found.speakers)))
    subject = [w for w in content_stems(found.residual) if w not in names]
    if subject and not any(ctx.known(w) for w in subject):
        return "no content word of the question occurs in the records"
    return None


class UnknownSubject:
    name = "unknown-subject"

    def check(self, ctx: CheckContext) -> str | None:
        found = ctx.mentions
        if ctx.answered_by_name and not (found.speakers and "speakers" not in found.intents):
            return None
        return nothing_known(ctx)
