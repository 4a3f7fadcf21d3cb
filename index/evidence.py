"""Is the best passage evidence for an answer? Checks of the question's shape against the hits.

Scores alone do not tell an answerable question from a near miss ("how many children in West
Lancashire live in poverty?": every word is in the records, the answer is not). ``assess`` runs
checks of what the question asks for first; each returns the reason to abstain, or None.

- ``elsewhere``: the question names a section or a meeting, and the best passage is from
  another one ("who chaired the execs workshop?" answered from the panel meeting); for "when"
  and "which meeting" questions, the meeting details of the meeting named, or of the one the
  section named is in, are from there.
- ``nothing_known``: not one content word of the question occurs anywhere in the records;
  ``unfamiliar_keywords``: a keyword query (no question word) a quarter of whose content words
  do not, with no passage close to it (cosine < 0.55).
- ``future_meeting``: "when is the next meeting?" answered by the details of a meeting held.
- ``no_figure``: a question for a quantity ("how many", "what percentage", "what is the
  budget") needs, in one of the best three passages (of the section or meeting named, if any),
  a sentence or bullet that gives a number not taken from the question and shares two of its
  content words (other than names; one if it has at most two), in a passage that holds the
  proper names the question uses, or whose speakers they are ("the annual budget of Healthier
  Fleetwood"). Dates ("6th of December 2021") are not figures here.
- ``no_proceedings``: a question for what a meeting did ("who chaired the panel meeting?",
  "what did the commission decide?", "which board members signed off the plan?") needs, in one
  of the best three passages, a record of such an act ("the panel agreed", "chaired by Jane
  Smith", "Chair:", "Decisions:", "a decision was made"); notes of what was said do not answer
  it, a title such as "Chair of the Fylde Coast Partnership" is not the chair of the meeting,
  and "priorities decided by communities" is not a decision of one.
- ``no_date``: "when will…" (a later event) needs a date in one of the best three passages other
  than the details of a meeting already held.
- ``no_venue``: "where was it held?" needs a venue ("held at", "online", "room"…) in one of them.
- ``no_role``: "who is the <role> of…" needs one speaker entry (or line) holding every word of
  the role ("Director of Public Health" is not "Public Health Consultant; Medical Director").
- ``elsewhere`` also applies to a named speaker: "what does Gary Hall think about X" needs a
  best passage of his (unless the question asks who someone is).
"""

from __future__ import annotations

import re

from commission_qa import glossary
from commission_qa.records import Chunk, Hit
from index.boosts import NUMBER, NUMBER_WORDS, PREAMBLE_SECTION
from index.query import Mentions, content_stems

# words of a question's shape, not of its subject
_GENERIC = {"mani", "much", "long", "often", "old", "big", "larg", "over", "each", "number",
            "amount", "percentag", "proport", "figur", "total", "year", "time", "between",
            "januari", "februari", "march", "april", "may", "june", "juli", "august", "septemb",
            "octob", "novemb", "decemb", "monday", "tuesday", "wednesday", "thursday", "friday"}
# each figure of a text, as a token ("42%", "£1.2bn", "ten")
_FIGURE = re.compile(rf"£?\d[\d,.]*%?|\b({NUMBER_WORDS})\b|\bper ?cent\b", re.IGNORECASE)
# a date is not a quantity ("how many attended the 6th of December meeting": not "6")
_MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|"
          r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)")
_DATE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?( of)? {_MONTH}( \d{{4}})?\b|\b{_MONTH} \d{{4}}\b",
                   re.IGNORECASE)
_FUTURE = re.compile(r"\b(next|upcoming|forthcoming|future|scheduled|will (it |they )?be held)\b",
                     re.IGNORECASE)
# an act of a meeting: done by it ("the panel decided", "board members signed off") or to it
# ("chaired the panel meeting", "facilitated the workshop"); not what it was asked to do
_BODY = r"(meeting|panel|commission|workshop|session|board|committee)s?"
_ACT_DONE = r"decided|agreed|approved|voted|resolved|endorsed|ratified|signed off"
_PROCEEDING = re.compile(
    rf"\b{_BODY}(\s+(?!to\b)\w+){{0,2}}\s+(decid\w*|agree\w*|vot\w*|approv\w*|resolv\w*|endors\w*|"
    r"ratif\w*|sign\w* off)\b"
    rf"|\b({_ACT_DONE})\b.{{0,50}}\b{_BODY}\b"
    r"|\b(was|were) there (a |any )?(votes?|decisions?|ballots?)\b"
    r"|\b(results?|outcomes?) of (the|a|any) (votes?|ballots?)\b"
    # the minutes' own items: apologies, attendees, the action log
    r"|\bapologies\b|\baction (log|owners?)\b|\bwho owns the (agreed )?actions\b"
    r"|\b(chair|facilitat|host|minut|conven|led|ran|run)\w*\s+(the|this|that)\s+(\w+\s+){0,2}"
    rf"{_BODY}\b", re.IGNORECASE)
# its record: "the panel agreed", "chaired by Jane Smith", "Decisions:", "a decision was made"
_RECORDED = re.compile(
    rf"\b{_BODY}(\s+\w+){{0,2}}\s+({_ACT_DONE})\b"
    rf"|\b({_ACT_DONE}|chaired|facilitated|hosted|minuted|convened|led)\s+by\s+"
    rf"(the\s+(\w+\s+){{0,2}}{_BODY}\b|(?-i:[A-Z]))"
    r"|(^|\n)\s*[·•*-]?\s*(chair|chairs|chairperson|facilitators?|host|minutes|decisions?|"
    r"resolutions?|actions?|apologies|attendees|present)\s*:"
    r"|\b(decisions?|votes?|ballots?) (was|were) (made|taken|held)\b", re.IGNORECASE)
# "when will the report be published?": a date in one of the best three passages other than the
# details of a meeting already held
_WILL = re.compile(r"\b(will|next|upcoming|forthcoming|due|planned|scheduled|expected)\b", re.IGNORECASE)
_DATED = re.compile(rf"\b{_MONTH}\b\.? (\d{{4}}|\d{{1,2}}\b)|\b(19|20)\d\d\b|\b(next|this|last) (year|month|"
                    r"week|spring|summer|autumn|winter)\b|\bby the end of\b", re.IGNORECASE)
# "where was the workshop held?": a venue in one of the best three passages
_VENUE_Q = re.compile(r"\bwhere\b.{0,60}\b(held|hosted|take place|took place|taking place|located|"
                      r"meet|met)\b|\bvenue\b", re.IGNORECASE)
_VENUE = re.compile(r"\b(held (at|in|on)|venue|hosted at|took place (at|in)|room|hall|centre|center|"
                    r"hotel|online|virtual(ly)?|ms teams|zoom)\b", re.IGNORECASE)
# "who is the director of public health?": one speaker's entry holding every word of the role
_ROLE = re.compile(
    r"\bwho (is|was|are|were) (the |a |an )?(?P<role>(?:[a-z][\w-]*\s+){0,3}?(?:chair\w*|director\w*|"
    r"chief\w*|head|heads|lead|leads|leader\w*|officer\w*|executive\w*|manager\w*|secretar\w*|"
    r"consultant\w*|commissioner\w*|president\w*|ceo|coo|dph|gp)"
    r"(?:\s+of\s+(?:the\s+)?(?-i:[A-Z][\w&'’-]*)(?:\s+(?-i:[A-Z][\w&'’-]*))*)?)", re.IGNORECASE)
# a question rather than keywords: starts with a question word or an auxiliary
_QUESTION = re.compile(r"^\W*(what|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|"
                       r"can|could|should|would|will|has|have|had|list|tell|give|show|any)\b", re.IGNORECASE)
_PROPER = re.compile(r"(?<=\w[\s,;:])\s*([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*)")


def assess(question: str, hits: list[Hit], found: Mentions, shaped: bool, stems: set[str],
           min_dense: float, min_bm25: float) -> tuple[bool, str | None]:
    """Is the best evidence good enough to count as an answer? ``shaped``: the best passage is
    what the question asks for by name (a sub-heading, the N-th prompt, a speakers line…);
    ``stems``: every content stem of the records; otherwise the best three passages need a
    cosine of ``min_dense`` or a BM25 score of ``min_bm25``."""
    if not hits:
        return False, "no passage was found"
    if found.unknown:
        return False, ("the records do not mention " + ", ".join(found.unknown[:3])
                       + ": the closest passages are shown for you to judge")
    for reason in (elsewhere(found, hits[0].chunk), no_figure(question, found, hits),
                   future_meeting(question, found, hits[0].chunk), no_proceedings(question, hits),
                   no_date(question, found, hits), no_venue(question, hits), no_role(question, hits)):
        if reason:
            return False, reason
    if shaped:
        return True, None
    top_dense = max(h.dense_score or 0.0 for h in hits[:3])
    reason = nothing_known(found, stems) or unfamiliar_keywords(question, found, stems, top_dense)
    if reason:
        return False, reason
    top_bm25 = max(h.bm25_score or 0.0 for h in hits[:3])
    if top_dense >= min_dense or top_bm25 >= min_bm25:
        return True, None
    return False, (f"the closest passages are weak matches (best similarity {top_dense:.2f}, "
                   f"best keyword score {top_bm25:.1f}): the records may not answer this")


def elsewhere(found: Mentions, top: Chunk) -> str | None:
    if top.section == PREAMBLE_SECTION and found.intents & {"when", "meeting"}:
        if found.meetings and top.document_id not in found.meetings:  # "when did X present?"
            return "the closest passages are from another meeting than the one named"
        return None
    if found.sections and top.section not in found.sections:
        return ("the closest passages are not from " + " or ".join(sorted(found.sections))
                + ": the records may not say this about it")
    if found.documents and top.document_id not in found.documents:
        return "the closest passages are from another meeting than the one named"
    if found.speakers and "speakers" not in found.intents and not (
            set(top.speakers) & found.speakers or any(s in top.text for s in found.speakers)):
        return ("the closest passages are not from " + " or ".join(sorted(found.speakers))
                + ": the records may not say this about them")
    return None


def future_meeting(question: str, found: Mentions, top: Chunk) -> str | None:
    if "when" in found.intents and top.section == PREAMBLE_SECTION and _FUTURE.search(question):
        return ("the records are of meetings already held: their details do not say when a "
                "later one is")
    return None


def no_proceedings(question: str, hits: list[Hit], depth: int = 3) -> str | None:
    if not _PROCEEDING.search(question):
        return None
    if any(_RECORDED.search(" ".join((*h.chunk.speakers, h.chunk.text))) for h in hits[:depth]):
        return None
    return ("the question asks what a meeting did (who chaired it, what it decided…) and none of "
            "the closest passages records that: the records may only say what was said")


def no_date(question: str, found: Mentions, hits: list[Hit], depth: int = 3) -> str | None:
    if "when" not in found.intents or not _WILL.search(question):
        return None
    if any(h.chunk.section != PREAMBLE_SECTION and _DATED.search(h.chunk.text) for h in hits[:depth]):
        return None
    return ("the question asks when something will happen and none of the closest passages gives "
            "a date for it")


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


def unfamiliar_keywords(question: str, found: Mentions, stems: set[str],
                        top_dense: float = 0.0, close: float = 0.55) -> str | None:
    """A keyword query ("social prescribing link workers") in which a quarter or more of the
    content words never occur in the records, unless a passage is semantically close anyway
    (cosine ``close``: "proportion of deprived neighbourhoods" for "47% of the neighbourhoods").
    Staff typing keywords use the records' own words (held-out sets 1–3: at most one word in
    five unknown in an answerable keyword query); full questions reword freely and are left to
    the scores."""
    if _QUESTION.search(question) or question.rstrip().endswith("?") or top_dense >= close:
        return None
    words = list(dict.fromkeys(content_stems(found.residual)))
    unknown = [w for w in words if w not in stems]
    if words and len(unknown) >= max(1, len(words) / 4):
        return (f"{len(unknown)} of the {len(words)} search words do not occur in the records: the "
                "closest passages are shown for you to judge")
    return None


def nothing_known(found: Mentions, stems: set[str]) -> str | None:
    words = content_stems(found.residual)
    if words and not any(w in stems for w in words):
        return "no content word of the question occurs in the records"
    return None


def no_figure(question: str, found: Mentions, hits: list[Hit], depth: int = 3) -> str | None:
    """See the module's docstring; passages from a section or meeting other than the one named
    do not count."""
    if "quantity" not in found.intents:
        return None
    asked = {m.group(0).casefold().rstrip(".,") for m in _FIGURE.finditer(question)}
    names = [n for n in _proper_names(found.residual) if n.casefold() not in _NAMES_OK]
    subject = (set(content_stems(_FIGURE.sub(" ", found.residual))) - _GENERIC
               - set(content_stems(" ".join(names))))  # "over ten years": "ten" is a figure
    needed = 1 if len(subject) <= 2 else 2  # "how much did the council lose": "lost" ≠ "lose"
    for hit in hits[:depth]:
        c = hit.chunk
        if elsewhere(found, c):
            continue
        context = " ".join((*c.heading_path, *c.speakers, c.text)).casefold()
        if any(n.casefold() not in context for n in names):
            continue
        for a, b in c.units:
            unit = _DATE.sub(" ", c.text[a - c.start:b - c.start])
            figures = {m.group(0).casefold().rstrip(".,") for m in _FIGURE.finditer(unit)}
            if figures - asked and len(subject & set(content_stems(unit))) >= needed:
                return None
    return "the question asks for a figure and none of the closest passages gives one for it"


_NAMES_OK = {"i", "nhs", "hec"}  # capitalised words that name nothing in particular


def _proper_names(text: str) -> list[str]:
    """Capitalised words or runs of them after the first word: "Healthier Fleetwood"."""
    return [m.group(1) for m in _PROPER.finditer(text) if not NUMBER.fullmatch(m.group(1))]
