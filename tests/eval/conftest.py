"""Fixtures of the evaluation tests: a tiny gold file over the sample corpus, a tiny BEIR folder,
and the CLI with the session's model (so no test loads the model a second time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TINY_GOLD = [
    {"id": "t1", "question": "What makes governance arrangements a burden for leaders?",
     "gold": ["Governance arrangements feel like a burden"], "kind": "workshop-prompt",
     "answerable": True},
    {"id": "t2", "question": "What share of people in Workington live in the most deprived "
     "quintile?", "gold": ["45% of people who live in Workington"], "kind": "number-date",
     "answerable": True},
    {"id": "t3", "question": "Who is the Chief Operating Officer for NHS North Cumbria CCG?",
     "gold": ["Peter Rooney, Chief Operating Officer"], "kind": "speaker-role",
     "answerable": True},
    {"id": "t4", "question": "What are the key priorities for Morecambe Bay?",
     "gold": ["Increase activity around early years of life",
              "Reduce admissions and attendance at A&E"], "kind": "place-topic",
     "answerable": True},
    {"id": "t5", "question": "What was the commission's budget for the 2023 football season?",
     "gold": [], "kind": "unanswerable", "answerable": False},
]


@pytest.fixture()
def tiny_gold_rows() -> list[dict]:
    return [dict(r) for r in TINY_GOLD]


@pytest.fixture()
def tiny_gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in TINY_GOLD), encoding="utf-8")
    return path


@pytest.fixture()
def tiny_beir(tmp_path: Path) -> Path:
    folder = tmp_path / "tinybeir"
    (folder / "qrels").mkdir(parents=True)
    docs = [("d1", "Bananas", "Bananas are a yellow fruit rich in potassium."),
            ("d2", "Trains", "Steam locomotives pulled passenger trains across the country."),
            ("d3", "Moon", "The moon orbits the earth roughly every twenty-seven days."),
            ("d4", "Bread", "Sourdough bread rises with wild yeast and lactic bacteria.")]
    (folder / "corpus.jsonl").write_text("".join(
        json.dumps({"_id": i, "title": t, "text": x, "metadata": {}}) + "\n" for i, t, x in docs))
    queries = [("q1", "which fruit is rich in potassium"), ("q2", "how often does the moon orbit "
               "the earth"), ("q3", "a query without judgements")]
    (folder / "queries.jsonl").write_text("".join(
        json.dumps({"_id": i, "text": t}) + "\n" for i, t in queries))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\n"
                                               "q2\td3\t1\n")
    return folder


@pytest.fixture()
def shared_model(monkeypatch: pytest.MonkeyPatch, encoder):
    """Make the commands use the session's encoder instead of loading the model again."""
    import encoders.embedding
    import index.retriever

    monkeypatch.setattr(index.retriever, "default_query_encoder", lambda gen, info: encoder)
    monkeypatch.setattr(encoders.embedding, "TorchEncoder", lambda info: encoder)
    return encoder
