"""Per-passage string columns for filters (document, section, speakers, date).

A column is stored as int32 codes into its distinct values, which are few (a handful of
documents, dozens of sections): a filter is tested once per distinct value and mapped to every
passage with one gather — milliseconds at a million passages, no loop over them in Python."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SEP = "\x1f"  # between a passage's speakers in the speakers column


class Column:
    def __init__(self, values: list[str]) -> None:
        index: dict[str, int] = {}
        self.codes = np.fromiter((index.setdefault(v, len(index)) for v in values),
                                 dtype=np.int32, count=len(values))
        self.values: list[str] = list(index)

    def where(self, test: Callable[[str], bool]) -> np.ndarray:
        """Per passage: does its value pass ``test``?"""
        passed = np.fromiter((bool(test(v)) for v in self.values), dtype=bool,
                             count=len(self.values))
        return passed[self.codes]
