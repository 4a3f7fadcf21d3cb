"""Query-side analysis: which known sections (places, prompts, topics), sub-headings ("Asks of
the panel", "Recommendations"), meetings and speakers a question names, so the retriever can boost
their passages ("what did Northside ask about…") and search the rest of the question (the
*residual*) for content; and what shape of passage it asks for (``index.intents``).

- Sections: the full name, or, for a place, its first word when that word is distinctive (≥ 5
  letters, not a stop word nor a word that begins many names such as a compass point, unique
  among sections): "Riverside" → "Riverside North" (but "money" does not name a topic "Money
  worries"). Groups of sections and the meeting details are not sections to name.
- Sub-headings: every content word of the heading (stemmed) occurs in the question: "what did X
  ask of the panel" names "Asks of the panel"; "what did X recommend" names "Recommendations".
- Meetings: a word of a document's title that no other title has and that is rare in the
  passages' own text ("workshop", "minutes"); else a kind of meeting its title says it is
  ("the panel meeting": every meeting whose title says "panel"; ``core/words/meeting_kinds.txt``).
- Speakers: the full name, or an unambiguous surname (case-sensitive).
The names found are removed from the residual, so that "ask of the panel" does not make the
heading line itself the best match for "what did X ask of the panel about governance".
The question is read with the other form of each abbreviation it uses appended
(``core.glossary``): "social determinants of health" also names a heading "… SDoH".
Word lists (stop words, words that begin many names) are data: ``core/words/*.txt``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core import glossary, words
from core.records import Chunk
from index import intents as shapes
from index.voices import Voices

_STEM = Stemmer.Stemmer("english")
_STOP = words.words("stop")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")
# words that begin many names and single none out ("North …", "Key points")
_GENERIC = words.words("generic_name_words")
_NOT_PLACES = {"group", "preamble"}  # section kinds a question does not name as a section
_PLACES = {"place", "body"}  # a place, or a section of a record whose layout is not known
_ABBREVIATIONS = dict(glossary.entries())
_KINDS = words.entries("meeting_kinds")  # section kinds a question does not name as a place


def _norm(s: str) -> str:
    return " " + re.sub(r"[^\w]+", " ", s.casefold()).strip() + " "


@dataclass(frozen=True)
class Mentions:
    sections: frozenset[str]
    speakers: frozenset[str]
    residual: str  # the question without the names found (what to search the content for)
    expansion: str = ""  # the other form of its abbreviations: " (social determinants of health)"
    headings: frozenset[str] = frozenset()  # sub-headings named ("Asks of the panel")
    documents: frozenset[str] = frozenset()  # ids of the meetings named ("the workshop")
    intents: frozenset[str] = frozenset()  # names of ``index.intents.INTENTS``: "when", …
    ordinal: int | None = None  # "the third prompt" → 3
    unknown: tuple[str, ...] = ()  # names/numbers in the question that no passage contains
    structural: bool = False  # nothing but names and question words: the names decide
    section_documents: frozenset[str] = frozenset()  # ids of the meetings the sections are in
    # a name the question asks for words of ("what did Sam say?"): ``quoted`` when the notes
    # report its words, ``silent`` when they only name it (a neighbouring area mentioned in passing)
    quoted: str | None = None
    silent: str | None = None
    # sections named that are not places ("Young people", "Next steps"): boosted like a place,
    # but a topic's name is a phrase of ordinary words, so the answer may lie elsewhere
    topics: frozenset[str] = frozenset()
    # the meetings of the kind the question names ("the panel meeting": every panel meeting),
    # when it names no meeting of its own
    kind_documents: frozenset[str] = frozenset()

    @property
    def search_text(self) -> str:
        return self.residual + self.expansion

    @property
    def meetings(self) -> frozenset[str]:
        """The meetings named, or else the meetings of the sections named."""
        return self.documents or self.section_documents

    def __bool__(self) -> bool:
        return bool(self.sections or self.topics or self.speakers or self.headings or self.documents
                    or self.intents or self.ordinal is not None)


def content_stems(text: str) -> tuple[str, ...]:
    words = [w for w in re.findall(r"[a-z]+", text.casefold()) if w not in _STOP and len(w) > 2]
    return tuple(dict.fromkeys(_STEM.stemWords(words)))


class MentionDetector:
    """Finds section names (and unambiguous first words of them) and speaker names."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        chunks = list(chunks)
        sections: set[str] = set()
        places: set[str] = set()  # sections of a place (its first word may name it)
        speakers: set[str] = set()
        headings: set[str] = set()
        titles: dict[str, str] = {}
        self.section_docs: dict[str, set[str]] = {}
        for c in chunks:
            if c.section and c.section_kind not in _NOT_PLACES:
                sections.add(c.section)
                if c.section_kind in _PLACES:
                    places.add(c.section)
                self.section_docs.setdefault(c.section, set()).add(c.document_id)
            speakers.update(c.speakers)
            if c.section_kind != "attendance":  # "Present", "Apologies": the attendance intent
                headings.update(h for h in c.heading_path[2:] if len(h.split()) <= 6)
            titles.setdefault(c.document_id, c.title)
        headings -= sections
        self.places = frozenset(places)
        self.heading_keys = [(stems, h) for h in headings if (stems := content_stems(h))]
        self.document_keys = _document_keys(titles, chunks)
        self.kind_keys = [(key, frozenset(d for d, t in titles.items() if key in _norm(t)))
                          for key in map(_norm, _KINDS)]
        # content stems of all text: each distinct word stemmed once (not every passage's text)
        seen = {w for c in chunks for w in re.findall(r"[a-z]+", c.embed_text.casefold())}
        self.stems = set(content_stems(" ".join(sorted(seen))))
        self.vocabulary = {w.casefold() for c in chunks
                           for w in re.findall(r"[A-Za-z0-9]+", " ".join(
                               (*c.heading_path, *c.speakers, c.text)))}
        self.vocabulary_stems = set(_STEM.stemWords(sorted(self.vocabulary)))  # "Citizens"
        self._sorted_vocabulary = sorted(self.vocabulary)
        self._sorted_stems = sorted(self.stems)
        self.voices = Voices(chunks)
        self.section_keys: list[tuple[str, str]] = []
        firsts: dict[str, list[str]] = {}
        for name in sections:
            if len(name.split()) <= 6:
                self.section_keys.append((_norm(name), name))
                first = name.split()[0].casefold()
                if name in places:  # "Riverside" for "Riverside North"; not "Money" for a topic
                    firsts.setdefault(first, []).append(name)
        for first, names in firsts.items():
            if (len(names) == 1 and len(first) >= 5 and first.isalpha()
                    and first not in _GENERIC and first not in _STOP):
                self.section_keys.append((f" {first} ", names[0]))
        self.speaker_keys: list[tuple[str, str, bool]] = []
        surnames: dict[str, list[str]] = {}
        for name in speakers:
            self.speaker_keys.append((_norm(name), name, False))
            parts = [p for p in name.split() if p[:1].isupper()]
            if len(parts) >= 2:
                surnames.setdefault(parts[-1], []).append(name)
        for surname, names in surnames.items():
            if len(names) == 1 and len(surname) >= 4:
                self.speaker_keys.append((surname, names[0], True))

    def find(self, question: str) -> Mentions:
        expansion = glossary.expand_query(question)[len(question):]
        q = _norm(question + expansion)
        found_sections: set[str] = set()
        found_speakers: set[str] = set()
        residual = question
        for key, name in sorted(self.section_keys, key=lambda x: -len(x[0])):
            if key in q:
                found_sections.add(name)
                residual = _remove(residual, key.strip())
        for key, name, case_sensitive in self.speaker_keys:
            if case_sensitive:
                if re.search(rf"\b{re.escape(key)}\b", question):
                    found_speakers.add(name)
            elif key in q:
                found_speakers.add(name)
        q_words = re.findall(r"[a-z]+", (question + expansion).casefold())
        q_stems = dict(zip(_STEM.stemWords(q_words), q_words, strict=True))
        found_headings: set[str] = set()
        for stems, name in self.heading_keys:
            if all(st in q_stems for st in stems):
                found_headings.add(name)
                for st in stems:
                    residual = _remove(residual, q_stems[st])
        found_docs: set[str] = set()
        for word, doc_id in self.document_keys:
            if f" {word} " in q:
                found_docs.add(doc_id)
                residual = _remove(residual, word)
        if len(found_docs) > 1:
            found_docs.clear()
        kinds: set[str] = set()
        if not found_docs:
            for key, docs in self.kind_keys:
                if docs and key in q:
                    kinds |= docs
        intents = shapes.intents(question)
        ordinal, said = shapes.ordinal(question) or (None, "")
        if said:
            residual = residual.replace(said, " ")
        if not content_stems(shapes.WHEN_WORDS.sub(" ", residual)):  # "what time was the workshop"
            residual = shapes.WHEN_WORDS.sub(" ", residual)  # only names are left: they decide
        residual = " ".join(residual.split())
        structural = not content_stems(residual)
        if structural:
            residual = question  # nothing but names left: search for the whole question
        who, quoted = self.voices.asked(question)
        topics = frozenset(found_sections - self.places)
        found_sections &= self.places
        return Mentions(frozenset(found_sections), frozenset(found_speakers), residual, expansion,
                        frozenset(found_headings), frozenset(found_docs), frozenset(intents),
                        ordinal, self._unknown(question.replace(said, " ") if said else question),
                        structural and bool(found_sections or topics or found_headings or found_docs
                                            or intents - {"quantity"} or ordinal),
                        frozenset(d for s in found_sections for d in self.section_docs[s]),
                        who if quoted else None, None if quoted else who, topics, frozenset(kinds))

    def familiar(self, stem: str) -> bool:
        """A content stem in the records, or one a typist might have meant: the start of a word
        of them ("yorks" for Yorkshire, "join" for joining; four letters or more) or one edit
        away from one of their stems or words ("recomend", "acheiv", "housng"; five letters or
        more)."""
        if stem in self.stems:
            return True
        if len(stem) >= 4:
            i = bisect_left(self._sorted_vocabulary, stem)
            if i < len(self._sorted_vocabulary) and self._sorted_vocabulary[i].startswith(stem):
                return True
        return len(stem) >= 5 and any(process.extractOne(stem, pool, scorer=OSA.distance,
                                                         score_cutoff=1) is not None
                                      for pool in (self._sorted_stems, self._sorted_vocabulary))

    def _known(self, word: str) -> bool:
        """In the records, as written or in another form ("Citizens", "GPs"), or shortened or
        mistyped ("Yorks", "Manchster": see ``familiar``)."""
        return (word in self.vocabulary or _STEM.stemWord(word) in self.vocabulary_stems
                or (word.endswith("s") and word[:-1] in self.vocabulary)
                or (word.isalpha() and self.familiar(_STEM.stemWord(word))))

    def _known_abbreviation(self, token: str) -> bool:
        """An abbreviation (``core/glossary.tsv``) whose long form the records use ("PCN" where
        they say "primary care network")."""
        long = _ABBREVIATIONS.get(token.rstrip("s’'"))
        return bool(long) and all(self._known(w) for w in re.findall(r"[a-z0-9]+", long.casefold()))

    def _unknown(self, question: str) -> tuple[str, ...]:
        """Proper names (capitalised, not first word) and numbers that no passage contains:
        "what did Atlantis ask…" — the records cannot answer for a place they never mention."""
        out = []
        for i, tok in enumerate(_NAME_TOKEN.findall(question)):
            named = (i > 0 and tok[0].isupper()) or any(ch.isdigit() for ch in tok)
            parts = re.findall(r"[A-Za-z0-9]+", tok.casefold())
            if named and parts and not all(self._known(p) for p in parts) \
                    and not self._known_abbreviation(tok):
                out.append(tok)
        return tuple(out)


def _document_keys(titles: dict[str, str], chunks: list[Chunk]) -> list[tuple[str, str]]:
    """Words of one title only, rare in the passages' text: they name that meeting."""
    if len(titles) < 2:
        return []
    words = {d: set(re.findall(r"[a-z]{4,}", t.casefold())) - _STOP for d, t in titles.items()}
    text_freq: dict[str, int] = {}
    for c in chunks:
        for w in set(re.findall(r"[a-z]{4,}", c.text.casefold())):
            text_freq[w] = text_freq.get(w, 0) + 1
    in_titles: dict[str, int] = {}  # how many titles hold each word (linear in the titles)
    for ws in words.values():
        for w in ws:
            in_titles[w] = in_titles.get(w, 0) + 1
    keys = []
    for d, ws in words.items():
        for w in ws - _GENERIC:
            if in_titles[w] == 1 and text_freq.get(w, 0) <= max(2, len(chunks) // 100):
                keys.append((w, d))
    return keys


def _remove(text: str, key: str) -> str:
    """Remove the words of ``key`` (normalised) from ``text``, case-insensitively."""
    words = key.split()
    pattern = r"\b" + r"[^\w]+".join(re.escape(w) for w in words) + r"(?:['’]s)?\b"
    return re.sub(pattern, " ", text, flags=re.IGNORECASE)
