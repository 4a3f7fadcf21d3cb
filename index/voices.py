"""Who has a voice in the records: "what did <a neighbouring area> present?" cannot be answered by a
passage that only names it ("links into the neighbouring economy"), while "what did Sam say?"
can, when the notes report him ("Sam pointed out that…").

A name speaks in the records when its words are those of a place (section), a speaker or a
passage of speakers (role ``speakers``: their organisations too),
or when the notes give it words of its own ("Sam pointed out", "Sam Lee, a resident, said",
"as Sam often says"); an attendance list gives no one a voice (apologies are sent by people who
did not speak). The verbs
of speech are data (``core/words/speech_verbs.txt``, ``said_by_verbs.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core import words
from core.records import Chunk

_W = words.alternation
_CAPITAL = r"(?-i:[A-Z][\w&'’-]*)"
# "what did X present", "what point did X make": the name asked for words of its own
_SAID_BY = re.compile(
    rf"^\W*(what|which|how)( \w+)? (did|does|do|has|have) (?P<who>{_CAPITAL}"
    rf"(?:\s+(?:{_W('name_links')}\s+)?{_CAPITAL})*)\s+{_W('said_by_verbs')}\b", re.IGNORECASE)
_SPEECH = _W("speech_verbs")
_QUOTED = re.compile(rf"\b(?-i:([A-Z][a-z]+))(?:,[^,.;\n]{{1,60}},)?\s+(?:often\s+|also\s+)?{_SPEECH}\b"
                     rf"|\bas\s+(?-i:([A-Z][a-z]+))\s+(?:often\s+)?(?:{_SPEECH}|says)\b")
_WORD = re.compile(r"[A-Za-z][\w&'’-]*")
_LINKS = words.words("name_links")
_VOICED_ROLES = {"speakers"}


class Voices:
    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._speaking: set[str] = set()
        self._quoted: set[str] = set()
        self.quoting: dict[str, list[int]] = {}  # a name → rows of the passages reporting its words
        for row, c in enumerate(chunks):
            if c.section and c.section_kind not in {"preamble", "group"}:
                self._speaking.update(_words(c.section))
            if c.role != "attendance":  # listed as present or absent, not heard
                for name in c.speakers:
                    self._speaking.update(_words(name))
            if c.role in _VOICED_ROLES:  # the speakers listed and their organisations
                self._speaking.update(_words(c.text))
            for m in _QUOTED.finditer(c.text):
                name = (m.group(1) or m.group(2)).casefold()
                self._quoted.add(name)
                rows = self.quoting.setdefault(name, [])
                if not rows or rows[-1] != row:
                    rows.append(row)

    def rows_quoting(self, who: str) -> list[int]:
        """The passages that report the words of ``who`` ("Sam" in "Sam pointed out…")."""
        return sorted({i for w in _words(who) - _LINKS for i in self.quoting.get(w, [])})

    def asked(self, question: str) -> tuple[str | None, bool]:
        """The name a question asks for words of ("Sam"), and whether the notes report any of
        its words (False: the records only name it, or not at all)."""
        m = _SAID_BY.search(question)
        if not m:
            return None, False
        who = m.group("who")
        named = _words(who) - _LINKS
        if named & self._quoted:
            return who, True
        if not named or named & self._speaking:
            return None, False  # a place, a speaker or their organisation: the usual checks apply
        return who, False


def _words(text: str) -> set[str]:
    return {w.casefold().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text)}
