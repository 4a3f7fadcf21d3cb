"""Who has a voice in the records: "what did Cheshire and Merseyside present?" cannot be answered
by a passage that only names them ("links into Cheshire and Merseyside economy"), while "what did
Dominic say?" can, when the notes report him ("Dominic pointed out that…").

A name speaks in the records when its words are those of a place (section), a speaker or a
speakers line ("Bay Health Partners", "Chorley Council"), or when the notes give it words of its
own ("Dominic pointed out", "as Sakthi often says", "Dom set out").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.records import Chunk

# "what did Cheshire and Merseyside present", "what point did Dominic make", "what did Dominic
# contribute": the name asked for words of its own
_SAID_BY = re.compile(
    r"^\W*(what|which|how)( \w+)? (did|does|do|has|have) (?P<who>(?-i:[A-Z][\w&'’-]*)"
    r"(?:\s+(?:and\s+|&\s+|of\s+|for\s+)?(?-i:[A-Z][\w&'’-]*))*)\s+"
    r"(say|said|present|ask|propose|recommend|tell|report|suggest|think|want|make|contribute|argue|"
    r"point out|set out|raise|mention)\b", re.IGNORECASE)
_SPEECH = (r"pointed out|said|says|set out|argued|noted|mentioned|explained|suggested|presented|"
           r"asked|raised|proposed|described")
_QUOTED = re.compile(rf"\b(?-i:([A-Z][a-z]+))\s+(?:often\s+|also\s+)?({_SPEECH})\b"
                     rf"|\bas\s+(?-i:([A-Z][a-z]+))\s+(?:often\s+)?({_SPEECH}|says)\b")
_SPEAKERS_LINE = re.compile(r"(^|\n)\s*Speakers?:(?P<line>.*)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w&'’-]*")
_LINKS = {"and", "&", "of", "for", "the"}


class Voices:
    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._speaking: set[str] = set()
        self._quoted: set[str] = set()
        for c in chunks:
            if c.section:
                self._speaking.update(_words(c.section))
            for name in c.speakers:
                self._speaking.update(_words(name))
            for m in _SPEAKERS_LINE.finditer(c.text):
                self._speaking.update(_words(m.group("line")))
            for m in _QUOTED.finditer(c.text):
                self._quoted.add((m.group(1) or m.group(3)).casefold())

    def asked(self, question: str) -> tuple[str | None, bool]:
        """The name a question asks for words of ("Dominic"), and whether the notes report any
        of its words (False: the records only name it, or not at all)."""
        m = _SAID_BY.search(question)
        if not m:
            return None, False
        who = m.group("who")
        words = _words(who) - _LINKS
        if words & self._quoted:
            return who, True
        if not words or words & self._speaking:
            return None, False  # a place, a speaker or their organisation: the usual checks apply
        return who, False


def _words(text: str) -> set[str]:
    return {w.casefold().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text)}
