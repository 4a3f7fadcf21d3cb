"""Abbreviations of health and care (``glossary.tsv``), for search only.

Passages keep their text; what the model and BM25 see gets the expansion after each
abbreviation (``SDoH`` → ``SDoH (social determinants of health)``), and a question gets the other
form appended, so "social determinants of health" finds a passage that only says "SDoH" and
"VCFSE" finds "voluntary, community, faith and social enterprise".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.tsv")


@lru_cache(maxsize=1)
def entries() -> tuple[tuple[str, str], ...]:
    out = []
    for n, line in enumerate(GLOSSARY_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        short, sep, long = line.partition("\t")
        if not sep or not short.strip() or not long.strip():
            raise ValueError(f"{GLOSSARY_FILE.name} line {n}: expected 'ABBREVIATION<TAB>expansion'")
        out.append((short.strip(), long.strip()))
    return tuple(out)


def _word(s: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"(?<![\w&])" + re.escape(s) + r"(?![\w&])", flags)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], re.Pattern[str], str, str], ...]:
    return tuple((_word(short), _word(_norm(long), re.IGNORECASE), short, long)
                 for short, long in entries())


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", s).split())


def fingerprint() -> str:
    """Changes when the glossary does (recorded with the chunker settings)."""
    from commission_qa.records import content_hash
    return content_hash(*(f"{a}\t{b}" for a, b in entries()))


def expand_text(text: str) -> str:
    """``text`` with each abbreviation followed by its expansion in brackets."""
    for short_rx, _, _, long in _patterns():
        text = short_rx.sub(lambda m, long=long: f"{m.group(0)} ({long})", text)
    return text


def expand_query(question: str) -> str:
    """``question`` plus the other form of every abbreviation or expansion it contains."""
    flat = _norm(question)
    extra: list[str] = []
    for short_rx, long_rx, short, long in _patterns():
        if short_rx.search(question):
            extra.append(long)
        elif long_rx.search(flat):
            extra.append(short)
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"
