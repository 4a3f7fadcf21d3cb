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
- ``no_figure``: a question for a quantity ("how many", "what percentage", "what is the
  budget") needs, in one of the best three passages (of the section or meeting named, if any),
  a sentence or bullet that gives a number not taken from the question and shares two of its
  content words (other than names; one if it has at most two), in a passage that holds the
  proper names the question uses, or whose speakers they are ("the annual budget of Healthier
  Fleetwood"). Dates ("6th of December 2021") are not figures here; a year the question names
  ("spent on prevention in 2009/10") must be in the sentence, and a question for money ("how
  much will anchor institutions put in") needs a sum or a share (£, %, million), not a count.
- the checks of ``index.asks``: what the question asks for (a date, a venue, a record of what a
  meeting did, a role's holder, a list of N items, what a video says) is in the best passages.
- ``elsewhere`` also applies to a named speaker: "what does Gary Hall think about X" needs a
  best passage of his (unless the question asks who someone is).
- a name the question asks for words of must speak in the records (``index.voices``): "what did
  Cheshire and Merseyside present?" is not answered where they are only named, and "what did
  Dominic say?" is answered by the notes of his words even when the scores are weak.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.records import Chunk, Hit
from index.asks import MONTH, future_meeting, no_date, no_list, no_media, no_proceedings, no_role, no_venue
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
_DATE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?( of)? {MONTH}( \d{{4}})?\b|\b{MONTH} \d{{4}}\b",
                   re.IGNORECASE)
# a year the question names must be in the answer; money is a sum or a share, not a count
_YEAR = re.compile(r"\b(19|20)\d\d(/\d\d(\d\d)?)?\b")
_MONEY_Q = re.compile(r"\b(money|funding|funds?|budgets?|costs?|spend|spent|spending|expenditure|"
                      r"allocat\w*|invest\w*|paid|pay|contribut\w*)\b", re.IGNORECASE)
_HOW_MUCH = re.compile(r"\bhow much\b|\bwhat (is|was|are|were|will be) the (\w+ )?(budget|cost|amount|"
                       r"funding|expenditure|spend)", re.IGNORECASE)
_MONEY = re.compile(r"[£$€]\s?\d|\d\s?%|\bper ?cent\b|\d\s?(m|bn|k)\b|\b(million|billion|pounds)\b",
                    re.IGNORECASE)
# a question rather than keywords: starts with a question word or an auxiliary
_QUESTION = re.compile(r"^\W*(whats|what|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|"
                       r"can|could|should|would|will|has|have|had|list|tell|give|show|any)\b", re.IGNORECASE)
_PROPER = re.compile(r"(?<=\w[\s,;:])\s*([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*)")


def assess(question: str, hits: list[Hit], found: Mentions, shaped: bool, stems: set[str],
           min_dense: float, min_bm25: float,
           familiar: Callable[[str], bool] | None = None) -> tuple[bool, str | None]:
    """Is the best evidence good enough to count as an answer? ``shaped``: the best passage is
    what the question asks for by name (a sub-heading, the N-th prompt, a speakers line…);
    ``stems``: every content stem of the records; ``familiar``: whether a stem not among them is
    one a typist might have meant (``MentionDetector.familiar``); otherwise the best three
    passages need a cosine of ``min_dense`` or a BM25 score of ``min_bm25``."""
    if not hits:
        return False, "no passage was found"
    if found.unknown:
        return False, ("the records do not mention " + ", ".join(found.unknown[:3])
                       + ": the closest passages are shown for you to judge")
    if found.silent:
        return False, (f"the records name {found.silent} but do not report what they said: the "
                       "closest passages are shown for you to judge")
    unknown_subject = nothing_known(found, stems, familiar)
    for reason in (elsewhere(found, hits[0].chunk), no_figure(question, found, hits),
                   future_meeting(question, found, hits), no_proceedings(question, hits),
                   no_date(question, found, hits), no_venue(question, hits), no_role(question, hits),
                   no_list(question, hits), no_media(question, hits),
                   # a speakers line (the shape asked for) is no answer to "what did Leslie Jones
                   # say about smoking?" when smoking is never mentioned
                   unknown_subject if found.speakers and "speakers" not in found.intents else None):
        if reason:
            return False, reason
    if shaped or (found.quoted and any(found.quoted in h.chunk.text for h in hits[:3])):
        return True, None  # the passage asked for by name, or the notes of what they said
    top_dense = max(h.dense_score or 0.0 for h in hits[:3])
    reason = unknown_subject or unfamiliar_keywords(question, found, stems, top_dense, familiar=familiar)
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


def unfamiliar_keywords(question: str, found: Mentions, stems: set[str],
                        top_dense: float = 0.0, close: float = 0.55,
                        familiar: Callable[[str], bool] | None = None) -> str | None:
    """A keyword query ("social prescribing link workers") in which a quarter or more of the
    content words never occur in the records, unless a passage is semantically close anyway
    (cosine ``close``: "proportion of deprived neighbourhoods" for "47% of the neighbourhoods").
    Staff typing keywords use the records' own words (held-out sets 1–3: at most one word in
    five unknown in an answerable keyword query); full questions reword freely and are left to
    the scores. A word ``familiar`` accepts (a typo or an abbreviation of a word of the records:
    "recomendations", "lancs") is not unknown."""
    if _QUESTION.search(question) or question.rstrip().endswith("?") or top_dense >= close:
        return None
    words = list(dict.fromkeys(content_stems(found.residual)))
    unknown = [w for w in words if w not in stems and not (familiar and familiar(w))]
    if words and len(unknown) >= max(1, len(words) / 4):
        return (f"{len(unknown)} of the {len(words)} search words do not occur in the records: the "
                "closest passages are shown for you to judge")
    return None


def nothing_known(found: Mentions, stems: set[str],
                  familiar: Callable[[str], bool] | None = None) -> str | None:
    names = set(content_stems(" ".join(found.speakers)))  # "Leslie Jones" is not a subject
    words = [w for w in content_stems(found.residual) if w not in names]
    if words and not any(w in stems or (familiar and familiar(w)) for w in words):
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
    years = [m.group(0) for m in _YEAR.finditer(question)]  # "spent on prevention in 2009/10"
    money = bool(_HOW_MUCH.search(question) and _MONEY_Q.search(question))
    for hit in hits[:depth]:
        c = hit.chunk
        if elsewhere(found, c):
            continue
        context = " ".join((*c.heading_path, *c.speakers, c.embed_text)).casefold()  # L&SC expanded
        if any(n.casefold() not in context for n in names):
            continue
        for a, b in c.units:
            unit = _DATE.sub(" ", c.text[a - c.start:b - c.start])
            figures = {m.group(0).casefold().rstrip(".,") for m in _FIGURE.finditer(unit)}
            if (figures - asked and len(subject & set(content_stems(unit))) >= needed
                    and all(y in unit for y in years) and (not money or _MONEY.search(unit))):
                return None
    return "the question asks for a figure and none of the closest passages gives one for it"


_NAMES_OK = {"i", "nhs", "hec"}  # capitalised words that name nothing in particular


def _proper_names(text: str) -> list[str]:
    """Capitalised words or runs of them after the first word: "Healthier Fleetwood"."""
    names = (re.sub(r"['’]s$", "", m.group(1)) for m in _PROPER.finditer(text))  # "L&SC's"
    return [n for n in names if not NUMBER.fullmatch(n)]
