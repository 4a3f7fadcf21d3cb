"""What every evaluated system returns: passages (exact slices of a document) and a flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Passage:
    """A retrievable passage: ``text`` is ``document text[start:end]``."""

    document_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Retrieved:
    passages: tuple[Passage, ...]
    answerable: bool | None  # None: the system has no answerable flag


class System(Protocol):
    name: str
    has_flag: bool

    def collection(self) -> list[Passage]: ...

    def retrieve(self, question: str, k: int) -> Retrieved: ...
