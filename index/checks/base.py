"""The interface of an answer check: a ``Check`` reads a ``CheckContext`` (the question, the
hits, what the question names and asks for, the records' vocabulary, the thresholds) and returns
the human-readable reason to abstain, or None."""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from typing import Protocol

from core.records import Chunk, Hit
from index.query import Mentions


@dataclass(frozen=True)
class CheckThresholds:
    """The numbers the answer checks use (``RetrieverConfig.checks``)."""

    depth: int = 3  # how many of the best passages a check reads
    min_dense: float = 0.25  # answerable on scores when a top passage's cosine reaches this…
    min_bm25: float = 3.0  # …or its BM25 score reaches this
    close_dense: float = 0.55  # a passage this close answers a keyword query in other words
    unknown_share: float = 0.25  # a keyword query with this share of unknown words is refused
    small_subject: int = 2  # a figure question with at most this many subject words needs one
    shared_words: int = 2  # …else a figure's sentence must share this many of them
    min_list: int = 2  # "the N things": a count from min_list…
    max_list: int = 12  # …to max_list asks for a list


@dataclass(frozen=True)
class CheckContext:
    question: str
    hits: tuple[Hit, ...]
    mentions: Mentions
    shaped: bool = False  # the best passage is what the question asks for by name
    stems: Set[str] = frozenset()  # every content stem of the records
    familiar: Callable[[str], bool] | None = None  # a stem a typist might have meant
    thresholds: CheckThresholds = CheckThresholds()

    @property
    def top(self) -> tuple[Hit, ...]:
        """The best passages, as many as the checks read."""
        return self.hits[:self.thresholds.depth]

    @property
    def best(self) -> Chunk:
        return self.hits[0].chunk

    @property
    def answered_by_name(self) -> bool:
        """The best passage is the one asked for by name (a sub-heading, the N-th prompt, a
        speakers line…), or the notes of what the person asked about said."""
        quoted = self.mentions.quoted
        return self.shaped or bool(quoted and any(quoted in h.chunk.text for h in self.top))

    def known(self, stem: str) -> bool:
        """A stem of the records, or one a typist might have meant."""
        return stem in self.stems or bool(self.familiar and self.familiar(stem))


class Check(Protocol):
    name: str

    def check(self, ctx: CheckContext) -> str | None:
        """The reason to abstain, or None."""
        ...
