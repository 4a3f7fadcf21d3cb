"""The features of an answer for the abstention model: a pure function of what the retriever
has when it decides (the question, the hits with their dense, BM25 and fused scores, what the
question names and asks for, the records' vocabulary) and of every answer check's verdict.

``FEATURES`` names them in order; ``features(ctx)`` returns them as a vector in that order
(with the verdicts of the checks, so the retriever need not run them twice). "The best
passages" are the first ``ctx.thresholds.depth`` hits (three), as the checks read them.

Scores
- ``dense_1``: cosine of the best passage; ``dense_max``: the highest cosine of the best passages.
- ``bm25_max``: log(1 + the highest BM25 score of the best passages).
- ``fused_1``: fused score of the best passage; ``fused_margin``: it minus the second's (0 alone).

Coverage of the question's content stems (what it is about, the names it uses left out of it)
- ``cover_1`` / ``cover_3``: the share found in the best passage / in any of the best passages
  (text, headings and speakers).
- ``pairs_3``: the share of the question's neighbouring content stems ("waiting times") that
  are neighbours in a best passage too.
- ``rare_cover_3``: ``cover_3`` with each stem weighed by its rarity in the records (``Rarity``);
  ``rarest_missing``: the rarity of the rarest stem no best passage has (0: none missing).
- ``cover_unit``: the highest share found in one sentence or bullet of a best passage (with its
  headings and speakers).
- ``unknown_share``: the share the records never use (allowing for typos: ``ctx.known``).
- ``subject_log``: log(1 + how many content stems the question has).

Names
- ``names_missing``: the share of the question's proper names ("Harbour Trust") that no best
  passage holds (0 when it uses none); ``unknown_names``: 1 when a name or number of the
  question occurs nowhere in the records (``Mentions.unknown``).

Answer type (each 0 unless the question asks for that type)
- ``figure_missing``: asks for a quantity, and no best passage gives a figure other than those
  of the question.
- ``date_missing``: asks "when", and no best passage gives a date (the meeting details count).
- ``time_missing``: asks "what time" or for hours, and no best passage gives a time of day.
- ``person_missing``: asks "who", and no best passage has speakers or a capitalised name.
- ``role_missing``: asks for a kind of passage (speakers, attendance, decision, action, vote,
  meeting details), and no best passage is of that role.

Shape
- ``shaped``: the best passage is the one asked for by name (a sub-heading, the N-th prompt…);
  ``by_name``: that, or it reports the words of the person asked about.
- ``structural``: the question only names things (no content words left).

Checks: ``check_any`` is 1 when any registered check fires, ``checks_fired`` counts them, and
``check_<name>`` is 1 when the answer check ``<name>`` of ``CHECKS_READ`` (a fixed list: a check
added to ``index.checks.REGISTRY`` later counts in the first two only) gives a reason to abstain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import Stemmer

from core import words
from core.records import Chunk, Hit
from index import figures
from index.boosts import ROLE_INTENTS
from index.checks import REGISTRY, CheckContext
from index.checks.subject import context_of, proper_names
from index.query import content_stems

# the roles of passage each shape of question asks for
ROLES_ASKED: dict[str, frozenset[str]] = {
    **ROLE_INTENTS,
    "speakers": frozenset({"speakers", "attendance"}),
    "meeting": frozenset({"meeting-details"}),
}
_WHO = re.compile(r"\bwho(m|se)?\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=\w[\s,;:])[A-Z][a-z]+")
_STEM = Stemmer.Stemmer("english")
_STOP = words.words("stop")
_TIME_ASKED = re.compile(r"\b(what|which) times?\b|\bhours\b", re.IGNORECASE)

BASE_FEATURES: tuple[str, ...] = (
    "dense_1", "dense_max", "bm25_max", "fused_1", "fused_margin",
    "cover_1", "cover_3", "cover_unit", "pairs_3", "rare_cover_3", "rarest_missing",
    "unknown_share", "subject_log",
    "names_missing", "unknown_names",
    "figure_missing", "date_missing", "time_missing", "person_missing", "role_missing",
    "shaped", "by_name", "structural", "check_any", "checks_fired",
)
# the checks the model reads one by one: a fixed list, so that a check added to the registry
# changes ``check_any``/``checks_fired`` but never the model's inputs (retrain to read it alone)
CHECKS_READ: tuple[str, ...] = (
    "unknown-names", "silent-voice", "elsewhere", "no-figure", "future-meeting", "no-proceedings",
    "no-date", "no-venue", "no-role", "no-list", "no-media", "unknown-subject",
    "unfamiliar-keywords", "weak-evidence", "off-subject",
)
CHECK_FEATURES: tuple[str, ...] = tuple(f"check_{name}" for name in CHECKS_READ)
FEATURES: tuple[str, ...] = BASE_FEATURES + CHECK_FEATURES


@dataclass(frozen=True)
class Features:
    """The feature vector (in ``FEATURES`` order) and each registered check's reason (None: it
    passed), in ``REGISTRY`` order."""

    values: np.ndarray
    reasons: tuple[str | None, ...]

    def named(self) -> dict[str, float]:
        return dict(zip(FEATURES, (float(v) for v in self.values), strict=True))

    @property
    def first_reason(self) -> str | None:
        return next((r for r in self.reasons if r), None)


def subject_of(ctx: CheckContext) -> list[str]:
    """The content stems of the question left once the names it uses are set aside."""
    names = set(content_stems(" ".join((*ctx.mentions.speakers, *proper_names(ctx.question)))))
    stems = [s for s in content_stems(ctx.mentions.residual) if s not in names]
    return stems or list(content_stems(ctx.question))


def _cover(stems: list[str], texts: list[set[str]]) -> float:
    if not stems:
        return 1.0
    return sum(1 for s in stems if any(s in t for t in texts)) / len(stems)


def _pairs(text: str) -> set[tuple[str, str]]:
    """Neighbouring content stems (stop words skipped): "waiting times" → (wait, time)."""
    stems = _STEM.stemWords([w for w in re.findall(r"[a-z]+", text.casefold())
                             if w not in _STOP and len(w) > 2])
    return set(zip(stems, stems[1:], strict=False))


def _pairs_cover(question: str, texts: list[str]) -> float:
    asked = _pairs(question)
    if not asked:
        return 1.0
    found = set().union(*(_pairs(t) for t in texts))
    return len(asked & found) / len(asked)


def _units(hit: Hit) -> list[str]:
    c = hit.chunk
    return [c.text[a - c.start:b - c.start] for a, b in c.units] or [c.text]


@dataclass(frozen=True)
class Rarity:
    """How rare each content stem is in the records: in how many passages it occurs."""

    passages: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, chunks: Iterable[Chunk]) -> Rarity:
        counts: Counter[str] = Counter()
        n = 0
        for c in chunks:
            n += 1
            counts.update(content_stems(" ".join((*c.heading_path, c.embed_text))))
        return cls(n, counts)

    def weight(self, stem: str) -> float:
        """0 (in every passage) to 1 (in none): log((N+1)/(n+1)) / log(N+1); 1 unknown."""
        if self.passages == 0:
            return 1.0
        return math.log((self.passages + 1) / (self.counts.get(stem, 0) + 1)) / \
            math.log(self.passages + 1)


def features(ctx: CheckContext, rarity: Rarity = Rarity()) -> Features:
    """The named features of an answer (see the module's documentation); ``rarity`` of the
    records' stems weighs the coverage (without it every stem weighs 1)."""
    reasons = tuple(check.check(ctx) or None for check in REGISTRY) if ctx.hits else \
        (None,) * len(REGISTRY)
    top = ctx.top
    found = ctx.mentions
    dense = [h.dense_score or 0.0 for h in top]
    bm25 = [h.bm25_score or 0.0 for h in top]
    fused = [h.score for h in ctx.hits[:2]]
    contexts = [context_of(h.chunk) for h in top]
    stems_of = [set(content_stems(c)) for c in contexts]
    heads = [set(content_stems(" ".join((*h.chunk.heading_path, *h.chunk.speakers)))) for h in top]
    subject = subject_of(ctx)
    names = proper_names(ctx.question)
    asked = figures.figures(ctx.question)
    roles = set().union(*(ROLES_ASKED[i] for i in found.intents if i in ROLES_ASKED))
    v = {
        "dense_1": dense[0] if dense else 0.0,
        "dense_max": max(dense, default=0.0),
        "bm25_max": math.log1p(max(0.0, max(bm25, default=0.0))),
        "fused_1": fused[0] if fused else 0.0,
        "fused_margin": fused[0] - fused[1] if len(fused) > 1 else 0.0,
        "cover_1": _cover(subject, stems_of[:1]),
        "cover_3": _cover(subject, stems_of),
        "cover_unit": max((_cover(subject, [s | set(content_stems(u))]) for h, s in
                           zip(top, heads, strict=True) for u in _units(h)), default=0.0),
        "rare_cover_3": (sum(rarity.weight(s) for s in subject if any(s in t for t in stems_of))
                         / total if (total := sum(rarity.weight(s) for s in subject)) else 1.0),
        "rarest_missing": max((rarity.weight(s) for s in subject
                               if not any(s in t for t in stems_of)), default=0.0),
        "pairs_3": _pairs_cover(ctx.mentions.residual, [h.chunk.text for h in top]),
        "unknown_share": (sum(1 for s in subject if not ctx.known(s)) / len(subject)
                          if subject else 0.0),
        "subject_log": math.log1p(len(subject)),
        "names_missing": (sum(1 for n in names if not any(n.casefold() in c for c in contexts))
                          / len(names) if names else 0.0),
        "unknown_names": float(bool(found.unknown)),
        "figure_missing": float("quantity" in found.intents and not any(
            figures.figures(h.chunk.text) - asked for h in top)),
        "date_missing": float("when" in found.intents and not any(
            h.chunk.role == "meeting-details" or figures.DATED.search(h.chunk.text) for h in top)),
        "time_missing": float(bool(_TIME_ASKED.search(ctx.question)) and not any(
            figures.TIME.search(h.chunk.text) for h in top)),
        "person_missing": float(bool(_WHO.search(ctx.question)) and not any(
            h.chunk.speakers or _CAPITALISED.search(h.chunk.text) for h in top)),
        "role_missing": float(bool(roles) and not any(h.chunk.role in roles for h in top)),
        "shaped": float(ctx.shaped),
        "by_name": float(bool(top) and ctx.answered_by_name),
        "structural": float(found.structural),
        "check_any": float(any(reasons)),
        "checks_fired": float(sum(1 for r in reasons if r)),
    }
    fired = {check.name for check, r in zip(REGISTRY, reasons, strict=True) if r}
    values = [v[name] for name in BASE_FEATURES] + [float(name in fired) for name in CHECKS_READ]
    return Features(np.array(values, dtype=np.float64), reasons)
