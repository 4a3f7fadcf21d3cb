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


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, list[str]]]:
    """One alternation for the abbreviations (case-sensitive) and one for the expansions
    (case-insensitive, on ``_norm`` text), longest first; and the maps between the forms."""
    to_long = dict(entries())
    to_short: dict[str, list[str]] = {}
    for short, long in entries():
        to_short.setdefault(_norm(long).casefold(), []).append(short)

    def alternation(words: list[str]) -> str:
        return r"(?<![\w&])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) \
            + r")(?![\w&])"

    return (re.compile(alternation(list(to_long))),
            re.compile(alternation([_norm(v) for v in to_long.values()]), re.IGNORECASE),
            to_long, to_short)


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", s).split())


def fingerprint() -> str:
    """Changes when the glossary does (recorded with the chunker settings)."""
    from core.records import content_hash
    return content_hash(*(f"{a}\t{b}" for a, b in entries()))


def expand_text(text: str) -> str:
    """``text`` with each abbreviation followed by its expansion in brackets."""
    short_rx, _, to_long, _ = _patterns()
    return short_rx.sub(lambda m: f"{m.group(0)} ({to_long[m.group(0)]})", text)


def expand_query(question: str) -> str:
    """``question`` plus the other form of every abbreviation or expansion it contains."""
    short_rx, long_rx, to_long, to_short = _patterns()
    extra = [to_long[m.group(0)] for m in short_rx.finditer(question)]
    extra += [s for m in long_rx.finditer(_norm(question)) for s in to_short[m.group(0).casefold()]]
    extra = [e for e in dict.fromkeys(extra) if not re.search(
        r"(?<![\w&])" + re.escape(e) + r"(?![\w&])", question, re.IGNORECASE)]
    return question if not extra else f"{question} ({'; '.join(extra)})"
