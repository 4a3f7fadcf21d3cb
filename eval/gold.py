"""The gold question set: loading, validation against the corpus, and passage relevance.

One JSON object a line: ``{"id", "question", "gold": [exact quotes], "kind", "answerable"}``.
A passage is relevant to a question when it contains one of the question's quotes after
normalisation (:func:`normalise`). Every quote must occur in the corpus, or loading fails with
the question id and the quote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

KINDS = ("place-topic", "paraphrase", "general", "speaker-role", "number-date", "workshop-prompt",
         "decision-action", "attendance", "unanswerable")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u2032": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"',
                         "\u201e": '"', "\u201f": '"', "\u2033": '"'})


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the line, question id and quote."""


def normalise(text: str) -> str:
    """Curly quotes and apostrophes → straight, runs of whitespace → one space, case folded."""
    return " ".join(text.translate(_QUOTES).split()).casefold()


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    gold: tuple[str, ...]
    kind: str
    answerable: bool

    def relevant(self, passage_text: str, normalised: bool = False) -> bool:
        """Whether a passage contains one of the quotes (pass ``normalised=True`` when the
        passage text is already :func:`normalise`-d)."""
        text = passage_text if normalised else normalise(passage_text)
        return any(normalise(q) in text for q in self.gold)


@dataclass(frozen=True)
class GoldSet:
    path: str
    items: tuple[GoldItem, ...]

    @property
    def answerable(self) -> tuple[GoldItem, ...]:
        return tuple(i for i in self.items if i.answerable)

    @property
    def kinds(self) -> tuple[str, ...]:
        present = {i.kind for i in self.items}
        return tuple(k for k in KINDS if k in present)


def _item(row: object, where: str) -> GoldItem:
    if not isinstance(row, dict):
        raise GoldError(f"{where}: expected a JSON object")
    missing = [k for k in ("id", "question", "gold", "kind", "answerable") if k not in row]
    if missing:
        raise GoldError(f"{where}: missing field(s) {', '.join(missing)}")
    qid, question, gold, kind, answerable = (row["id"], row["question"], row["gold"],
                                             row["kind"], row["answerable"])
    where = f"{where} (id {qid!r})"
    if not isinstance(qid, str) or not qid.strip():
        raise GoldError(f"{where}: id must be a non-empty string")
    if not isinstance(question, str) or not question.strip():
        raise GoldError(f"{where}: question must be a non-empty string")
    if not isinstance(gold, list) or not all(isinstance(q, str) and q.strip() for q in gold):
        raise GoldError(f"{where}: gold must be a list of non-empty strings")
    if kind not in KINDS:
        raise GoldError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(answerable, bool):
        raise GoldError(f"{where}: answerable must be true or false")
    if kind == "unanswerable" and (answerable or gold):
        raise GoldError(f"{where}: an unanswerable question has gold [] and answerable false")
    if answerable and not gold:
        raise GoldError(f"{where}: an answerable question needs at least one gold quote")
    if not answerable and gold:
        raise GoldError(f"{where}: a question with answerable false must have gold []")
    return GoldItem(qid, question, tuple(gold), kind, answerable)


def parse_gold(lines: Iterable[str], corpus: Sequence[str], source: str = "<gold>") -> GoldSet:
    """Parse and validate gold lines against ``corpus`` (the documents' texts)."""
    haystack = [normalise(t) for t in corpus]
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{where}: not valid JSON: {exc}") from exc
        item = _item(row, where)
        if item.id in seen:
            raise GoldError(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = n
        for quote in item.gold:
            if not any(normalise(quote) in text for text in haystack):
                raise GoldError(f"{where}: question {item.id!r}: quote not found in the corpus: "
                                f"{quote!r}")
        items.append(item)
    if not items:
        raise GoldError(f"{source}: no questions")
    return GoldSet(source, tuple(items))


def load_gold(path: Path, corpus: Sequence[str]) -> GoldSet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldError(f"gold file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"gold file {path} cannot be read: {exc}") from exc
    return parse_gold(text.splitlines(), corpus, str(path))
