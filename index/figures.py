"""Figures and dates in text: the general mechanics of "42%", "£1.2bn", "ten", "6 May 2022",
"2009/10", built from the word lists of ``core/words`` (number words, months, money units)."""

from __future__ import annotations

import re

from core import words

_W = words.alternation
NUMBER_WORDS = _W("number_words")
MONTH = _W("months")

# a passage that gives a figure at all: a digit, a share, an amount in words
NUMBER = re.compile(rf"\d|%|\bper ?cent|\b{NUMBER_WORDS}\b", re.IGNORECASE)
# each figure of a text, as a token ("42%", "£1.2bn", "ten")
FIGURE = re.compile(rf"£?\d[\d,.]*%?|\b{NUMBER_WORDS}\b|\bper ?cent\b", re.IGNORECASE)
# a calendar date is not a quantity ("the 6th of December meeting": not "6")
DATE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?( of)? {MONTH}( \d{{4}})?\b|\b{MONTH} \d{{4}}\b",
                  re.IGNORECASE)
# a time of day is not a quantity either ("15.00 – 16.50", "9am")
TIME = re.compile(r"(?<![£$€\d.,])\b\d{1,2}[.:][0-5]\d\b(?![.,]?\d|\s*%)|\b\d{1,2}\s?[ap]\.?m\b",
                  re.IGNORECASE)
# a year or a financial year ("2009/10")
YEAR = re.compile(r"\b(19|20)\d\d(/\d\d(\d\d)?)?\b")
# a sum or a share, not a count
MONEY = re.compile(rf"[£$€]\s?\d|\d\s?%|\d\s?(m|bn|k)\b|\b{_W('money_units')}\b", re.IGNORECASE)
# a date in a passage: "March 2022", "14 March", "2015", "next year", "by the end of"
DATED = re.compile(rf"\b{MONTH}\b\.? (\d{{4}}|\d{{1,2}}\b)|\b\d{{1,2}}(st|nd|rd|th)? {MONTH}\b"
                   rf"|\b(19|20)\d\d\b|\b(next|this|last) {_W('relative_times')}\b|\bby the end of\b",
                   re.IGNORECASE)


def figures(text: str) -> set[str]:
    """The figures of ``text`` other than those of calendar dates and times of day, normalised."""
    plain = TIME.sub(" ", DATE.sub(" ", text))
    return {m.group(0).casefold().rstrip(".,") for m in FIGURE.finditer(plain)}
