"""Question shapes: what kind of passage a question asks for, rather than which words are in it.

Each intent is a pattern built from the word lists of ``core/words`` (general English: "who
spoke", "when was…", "the third prompt", "how many…", "who sent apologies", "what was decided",
"who owns the action", "how did the vote go"); the retriever boosts the passages of the role an
intent asks for (``index.boosts``) and the answer checks read them (``index.checks``).
"""

from __future__ import annotations

import re

from core import words

_W = words.alternation
_ANY = r"\w*"
_ATTEND = _W("attendance_verbs", suffix=_ANY)  # "attended", "attendees": near "who" or a meeting
_OWNED = r"(?:\w+\s+){0,3}?[\w'’-]+['’]s"  # "the council's", "North Shore CCG's"

INTENTS: dict[str, re.Pattern[str]] = {
    # who spoke or presented, or what someone's post is
    "speakers": re.compile(
        rf"\bwho\b.*\b{_W('speaker_words', suffix=_ANY)}|\b(speakers?|presenters?)\b"
        rf"|\b(role|job title)\b|\bwho (is|was)\b|['’]s {_W('post_words')}\b", re.IGNORECASE),
    "when": re.compile(rf"\bwhen\b|\b(what|which) {_W('time_nouns')}\b", re.IGNORECASE),
    "prompt": re.compile(rf"\b{_W('prompt_words')}\b", re.IGNORECASE),
    # the prompt itself ("what was the first prompt"), not what was said under it
    "prompt_text": re.compile(rf"\bwhat (was|is|were) the (\w+ ){{0,3}}{_W('prompt_words')}\b",
                              re.IGNORECASE),
    # the meeting itself: its theme or title, what it was held for
    "meeting": re.compile(
        rf"\bheld for\b|\b{_W('theme_words')}\b.{{0,40}}\b{_W('meeting_words')}\b"
        rf"|\b{_W('meeting_words')}\b.{{0,40}}\b{_W('theme_words')}\b", re.IGNORECASE),
    "quantity": re.compile(
        rf"\bhow {_W('how_much')}\b|\bwhat {_W('quantity_nouns')}\b|\bper ?cent"
        rf"|\bwhat (is|was|are|were) the (\w+ )?{_W('quantity_nouns')}s?\b"
        rf"|\bwhat (is|was|are|were) (the )?{_OWNED} (\w+ )?{_W('spend_nouns')}s?\b"
        rf"|\bwhat (is|was|are|were) (the )?(\w+ ){{0,2}}{_W('spend_nouns')}\b"
        rf"|\bwhat (\w+ )?{_W('money_words')}\b.{{0,30}}\b{_W('allocation_verbs')}\b",
        re.IGNORECASE),
    # the proceedings of minutes: who attended, what was decided, the actions, the votes
    "attendance": re.compile(
        rf"\b{_W('attendance_asks', suffix=_ANY)}\b|\bwho\b.{{0,20}}\b{_W('conduct_done')}\b"
        rf"|\b(who|how many)\b.{{0,30}}\b{_ATTEND}\b"
        rf"|\b{_ATTEND}\b.{{0,40}}\b{_W('meeting_words')}s?\b"
        rf"|\b{_W('meeting_words')}s?\b.{{0,40}}\b{_ATTEND}\b",
        re.IGNORECASE),
    "decision": re.compile(rf"\b{_W('decision_asks', suffix=_ANY)}\b", re.IGNORECASE),
    "action": re.compile(rf"\bactions?\b.{{0,60}}\b{_W('action_asks')}\b|\bwho owns\b",
                         re.IGNORECASE),
    "vote": re.compile(rf"\b{_W('vote_asks')}\b", re.IGNORECASE),
}
# a figure asked for by name ("smoking rates in X", "waiting times"), or a bare unit ("… £")
FIGURE_NOUN = re.compile(rf"\b{_W('figure_nouns')}\b|\bper \d[\d,]*\b", re.IGNORECASE)
BARE_UNIT = re.compile(r"(?<![\d.])\s*%|£(?!\s*\d)")
# …unless the question asks what was said about it ("did anyone mention smoking rates?")
TALK = re.compile(rf"\b{_W('talk_words', suffix=_ANY)}\b", re.IGNORECASE)
WHEN_WORDS = re.compile(rf"\b(what|which) {_W('time_nouns')}\b", re.IGNORECASE)

_ORDINALS = {k: int(v) for k, v in words.table("ordinals").items()}
_ORDINAL = re.compile(
    rf"\b(?:(?P<word>{'|'.join(_ORDINALS)})|(?P<nth>\d{{1,2}})(?:st|nd|rd|th))\s+(?:\w+\s+){{0,2}}?"
    rf"{_W('prompt_words')}\b"
    rf"|\b{_W('prompt_words')}\s+(?:number\s+)?(?P<num>\d{{1,2}})\b|\bq(?P<q>\d{{1,2}})\b",
    re.IGNORECASE)


def intents(question: str) -> set[str]:
    """The names of the intents the question's wording matches."""
    found = {name for name, rx in INTENTS.items() if rx.search(question)}
    if (FIGURE_NOUN.search(question) or BARE_UNIT.search(question)) and not TALK.search(question):
        found.add("quantity")
    return found


def ordinal(question: str) -> tuple[int, str] | None:
    """The prompt a question asks for by its place ("the third prompt", "question 5", "Q1"),
    and the words that say so."""
    m = _ORDINAL.search(question)
    if not m:
        return None
    if m.group("word"):
        return _ORDINALS[m.group("word").casefold()], m.group(0)
    return int(m.group("nth") or m.group("num") or m.group("q")), m.group(0)
