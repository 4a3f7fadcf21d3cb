"""A keyword query in words the records do not use."""

from __future__ import annotations

import pytest
from hand_made import context, hit

from index.checks.unfamiliar_keywords import UnfamiliarKeywords


def _reason(query: str, stems, dense: float | None = None, **kw) -> str | None:
    return UnfamiliarKeywords().check(context(query, [hit("· text", dense=dense)], stems=stems, **kw))


@pytest.mark.parametrize(("query", "abstains"), [
    ("social prescribing link workers", True),  # 3 of 4 words never in the records
    ("smoking rates in Harbourside", True),
    ("participatory budgeting", False),  # every word is in the records
    ("North Vale reflections on health equity work so far", False),  # 1 of 7 unknown
    ("What is social prescribing?", False),  # a question: left to the scores
    ("social prescribing?", False),
])
def test_keyword_queries_in_words_the_records_do_not_use(query: str, abstains: bool) -> None:
    stems = {"participatori", "budget", "link", "smoke", "north", "vale", "reflect", "health",
             "equiti", "work", "social"}
    reason = _reason(query, stems)
    assert (reason is not None) == abstains, reason


def test_unknown_keywords_do_not_matter_when_a_passage_is_close_anyway() -> None:
    q = "proportion of deprived neighbourhoods"
    stems = {"depriv", "neighbourhood"}
    assert _reason(q, stems, dense=0.40) is not None
    assert _reason(q, stems, dense=0.71) is None
    assert _reason(q, stems, dense=0.40, close_dense=0.3) is None  # the threshold is configurable


def test_function_words_are_not_search_words() -> None:
    q = "people turning off heating because they cannot pay bills"
    assert _reason(q, {"peopl", "turn", "heat", "pay", "bill"}) is None


def test_typos_and_abbreviations_are_not_unknown_words() -> None:
    q = "riverside bay recomendations for acheiving priorities"
    stems = {"riversid", "bay", "recommend", "achiev", "prioriti"}
    assert _reason(q, stems) is not None  # exact words only
    assert _reason(q, stems, familiar={"recomend", "acheiv"}.__contains__) is None


def test_the_passage_asked_for_by_name_answers() -> None:
    assert _reason("social prescribing link workers", {"social"}, shaped=True) is None
