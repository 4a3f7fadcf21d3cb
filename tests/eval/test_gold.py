"""The gold loader: validation, the missing-quote error, normalisation and relevance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import GoldError, load_gold, normalise, parse_gold

CORPUS = ["Execs Workshop\n· Governance arrangements   feel like a burden\n· Don’t need more "
          "evidence about the problems", "Panel meeting\nSpeakers: Jane Doe, Director of Public "
          "Health\n“Quoted words” here"]


def line(qid="q1", question="What about governance?", gold=("Governance arrangements feel",),
         kind="place-topic", answerable=True) -> str:
    return json.dumps({"id": qid, "question": question, "gold": list(gold), "kind": kind,
                       "answerable": answerable})


def test_normalise_whitespace_quotes_and_case():
    assert normalise("Don’t  need\n\tMORE") == "don't need more"
    assert normalise("“Quoted” ‘words’") == "\"quoted\" 'words'"


def test_loads_and_matches_after_normalisation():
    gold = parse_gold([line(), line("q2", gold=("Don't need more evidence",), kind="paraphrase"),
                       line("q3", gold=('"quoted words"',), kind="speaker-role"),
                       "", line("q4", gold=(), kind="unanswerable", answerable=False)], CORPUS)
    assert [i.id for i in gold.items] == ["q1", "q2", "q3", "q4"]
    assert [i.id for i in gold.answerable] == ["q1", "q2", "q3"]
    assert gold.kinds == ("place-topic", "paraphrase", "speaker-role", "unanswerable")
    q1, q2 = gold.items[:2]
    assert q1.relevant("· Governance arrangements\nfeel like a burden")
    assert not q1.relevant("Governance feels like a burden")
    assert q2.relevant("DON’T NEED MORE EVIDENCE about it")


def test_missing_quote_names_question_and_quote():
    with pytest.raises(GoldError) as exc:
        parse_gold([line(), line("q7", gold=("Governance arrangements feel", "not in any text"))],
                   CORPUS, "gold.jsonl")
    message = str(exc.value)
    assert "q7" in message and "not in any text" in message and "gold.jsonl:2" in message


@pytest.mark.parametrize("bad, fragment", [
    ('{"id": "q1"', "not valid JSON"),
    (json.dumps({"id": "q1", "question": "x"}), "missing field"),
    (line(kind="opinion"), "kind 'opinion'"),
    (line(kind="unanswerable", answerable=False), "unanswerable question has gold []"),
    (line(gold=()), "needs at least one gold quote"),
    (line(answerable="yes"), "answerable must be true or false"),
    (line(question="  "), "question must be a non-empty string"),
    (line(gold=("",)), "gold must be a list"),
])
def test_invalid_lines_are_refused_clearly(bad, fragment):
    with pytest.raises(GoldError, match="q1|line|:1") as exc:
        parse_gold([bad], CORPUS)
    assert fragment in str(exc.value)


def test_duplicate_ids_and_empty_files_are_refused():
    with pytest.raises(GoldError, match="duplicate id 'q1'"):
        parse_gold([line(), line()], CORPUS)
    with pytest.raises(GoldError, match="no questions"):
        parse_gold(["", "  "], CORPUS)


def test_load_gold_file(tmp_path: Path):
    path = tmp_path / "gold.jsonl"
    path.write_text(line() + "\n", encoding="utf-8")
    assert load_gold(path, CORPUS).items[0].gold == ("Governance arrangements feel",)
    with pytest.raises(GoldError, match="does not exist"):
        load_gold(tmp_path / "absent.jsonl", CORPUS)


ROOT = Path(__file__).resolve().parents[2]


EVAL_CORPUS = ("data/transcripts", "eval/records")  # the evaluation corpus (Makefile EVAL_CORPUS)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    """The canonical text of every record of the evaluation corpus, as the readers give it."""
    from ingest.readers import read_text

    paths = sorted(p for d in EVAL_CORPUS for p in (ROOT / d).rglob("*") if p.is_file())
    return [read_text(p)[0] for p in paths]


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "eval/gold").glob("*.jsonl")))
def test_the_shipped_gold_sets_load_against_the_evaluation_corpus(name, corpus):
    gold = load_gold(ROOT / "eval/gold" / f"{name}.jsonl", corpus)
    assert len(gold.answerable) >= 50 and len(gold.items) - len(gold.answerable) >= 10
    for item in gold.answerable:  # every quote lies in exactly one place of the corpus
        for quote in item.gold:
            assert sum(normalise(t).count(normalise(quote)) for t in corpus) == 1, (item.id, quote)


def test_question_ids_are_unique_across_the_shipped_sets():
    ids = [json.loads(row)["id"] for f in sorted((ROOT / "eval/gold").glob("*.jsonl"))
           for row in f.read_text(encoding="utf-8").splitlines() if row.strip()]
    assert len(ids) == len(set(ids))
