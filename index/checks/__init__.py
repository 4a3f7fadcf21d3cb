"""Answer checks: is the best evidence an answer, or should the service say the records do not
answer ("answerable": false, with a human-readable reason)?

Scores alone do not tell an answerable question from a near miss ("how many children in the
district live in poverty?": every word is in the records, the answer is not). Each check is a
plug-in (``Check``: a ``name`` and ``check(ctx) -> reason | None``) in a module of its own;
``REGISTRY`` lists them in the order they run, and ``run_checks`` returns the first reason to abstain:

1. ``unknown-names``: a name or number the records never mention.
2. ``silent-voice``: a name asked for its words that the records only name.
3. ``elsewhere``: the best passage is from another section, meeting or speaker than the one named.
4. ``no-figure``: a question for a figure with no figure for it in the best passages.
5. ``future-meeting``: "when is the next meeting?" answered by a past meeting's details.
6. ``no-proceedings``: what a meeting did (chaired, decided, voted) with no record of the act.
7. ``no-date``: "when will / when was X" with no date in the best passages.
8. ``no-venue``: "where was it held?" with no venue.
9. ``no-role``: "who is the <post>" with no entry holding every word of the post.
10. ``no-list``: "the five priorities" with no list of five.
11. ``no-media``: what a video says, when the records only point to it.
12. ``off-subject``: the place or speaker named has no passage on what the question asks about.
13. ``unknown-subject``: no content word of the question occurs in the records.
14. ``unfamiliar-keywords``: a keyword query in words the records do not use.
15. ``weak-evidence``: the scores are too low.

The last four do not apply when the best passage is the one the question asks for by name (a
sub-heading, the N-th prompt, the speakers line, the meeting details) or reports the words of
the person asked about. Thresholds: ``CheckThresholds`` (``RetrieverConfig.checks``).
"""

from __future__ import annotations

from index.checks.base import Check, CheckContext, CheckThresholds
from index.checks.elsewhere import Elsewhere
from index.checks.future_meeting import FutureMeeting
from index.checks.no_date import NoDate
from index.checks.no_figure import NoFigure
from index.checks.no_list import NoList
from index.checks.no_media import NoMedia
from index.checks.no_proceedings import NoProceedings
from index.checks.no_role import NoRole
from index.checks.no_venue import NoVenue
from index.checks.off_subject import OffSubject
from index.checks.silent_voice import SilentVoice
from index.checks.unfamiliar_keywords import UnfamiliarKeywords
from index.checks.unknown_names import UnknownNames
from index.checks.unknown_subject import UnknownSubject
from index.checks.weak_evidence import WeakEvidence

REGISTRY: tuple[Check, ...] = (
    UnknownNames(), SilentVoice(), Elsewhere(), NoFigure(), FutureMeeting(), NoProceedings(),
    NoDate(), NoVenue(), NoRole(), NoList(), NoMedia(), OffSubject(), UnknownSubject(),
    UnfamiliarKeywords(), WeakEvidence(),
)

__all__ = ["REGISTRY", "Check", "CheckContext", "CheckThresholds", "run_checks"]


def run_checks(ctx: CheckContext, checks: tuple[Check, ...] = REGISTRY) -> tuple[bool, str | None]:
    """(answerable, reason): the first check that finds a reason to abstain decides."""
    if not ctx.hits:
        return False, "no passage was found"
    for check in checks:
        reason = check.check(ctx)
        if reason:
            return False, reason
    return True, None
