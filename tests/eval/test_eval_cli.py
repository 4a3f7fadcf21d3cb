"""``commission-qa eval`` and ``eval-beir`` end to end, through typer's CliRunner, on the shared
test index with a tiny gold file, and on a generated 4-document BEIR folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commission_qa.cli import app
from eval.gold import normalise

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    try:
        text = result.output + (result.stderr or "")
    except ValueError:  # stderr not captured separately
        text = result.output
    return result, " ".join(text.split())


def eval_args(index: Path, gold: Path, tmp: Path, *extra: str) -> list[str]:
    return ["eval", "--index-dir", str(index), "--gold", str(gold), "--out", str(tmp / "out"),
            "--baseline", str(tmp / "baseline.json"), "--thresholds", str(tmp / "t.toml"), *extra]


def test_eval_end_to_end(built_index, tiny_gold, tiny_gold_rows, shared_model, retriever,
                          tmp_path):
    res, text = invoke(*eval_args(built_index, tiny_gold, tmp_path, "--update-baseline"))
    assert res.exit_code == 0, text
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [s["name"] for s in report["systems"]] == ["project", "bm25", "dense", "langchain", "rrf"]
    png = (tmp_path / "out" / "metrics.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| project |" in md and "| langchain |" in md and "## Project, by question kind" in md

    for system in report["systems"]:
        m = system["metrics"]
        assert 0.0 <= m["recall_at_1"] <= m["recall_at_5"] <= m["recall_at_10"] <= 1.0
        assert m["answerable_questions"] == 4 and m["unanswerable_questions"] == 1
        ranks = [q["rank"] for q in system["questions"] if q["answerable"]]
        assert m["recall_at_5"] == sum(r is not None and r <= 5 for r in ranks) / 4
        if system["name"] == "project":
            assert m["answerable_rate"] is not None and m["abstention_recall"] is not None
        else:  # the baselines have no answerable flag
            assert m["answerable_rate"] is None and m["abstention_recall"] is None

    # the project's ranks are what the retriever itself returns for the questions
    project = {q["id"]: q for q in report["systems"][0]["questions"]}
    for item in tiny_gold_rows[:4]:
        hits = retriever.search(item["question"], 10)
        quotes = [normalise(g) for g in item["gold"]]
        expected = next((h.rank for h in hits if any(g in normalise(h.chunk.text) for g in quotes)),
                        None)
        assert project[item["id"]]["rank"] == expected

    baseline = json.loads((tmp_path / "baseline.json").read_text())
    assert baseline["ranks"] == {k: v["rank"] for k, v in project.items() if v["answerable"]}
    assert "baseline updated" in text


def test_gate_fails_on_thresholds_and_passes_with_no_gate(built_index, tiny_gold, shared_model,
                                                          tmp_path):
    (tmp_path / "t.toml").write_text("[project]\nrecall_at_10 = 0.0\n"
                                     "max_median_chars_to_evidence = 1\n")
    args = eval_args(built_index, tiny_gold, tmp_path, "--systems", "project")
    res, text = invoke(*args)
    assert res.exit_code == 1, text
    assert "FAIL max_median_chars_to_evidence" in text and "pass recall_at_10" in text
    assert "gate failed" in text
    res, text = invoke(*args, "--no-gate")
    assert res.exit_code == 0, text
    assert "not enforced" in text


def test_missing_index_says_how_to_build_it(tiny_gold, tmp_path):
    res, text = invoke(*eval_args(tmp_path / "no-index", tiny_gold, tmp_path))
    assert res.exit_code == 2
    assert "make index" in text and "commission-qa ingest data/transcripts" in text


def test_gold_quote_not_in_corpus_is_a_clear_error(built_index, shared_model, tmp_path):
    gold = tmp_path / "bad.jsonl"
    gold.write_text(json.dumps({"id": "x9", "question": "q?", "gold": ["words nobody wrote"],
                                "kind": "paraphrase", "answerable": True}) + "\n")
    res, text = invoke(*eval_args(built_index, gold, tmp_path))
    assert res.exit_code == 2
    assert "x9" in text and "words nobody wrote" in text


def test_unknown_system_is_refused(built_index, tiny_gold, tmp_path):
    res, text = invoke(*eval_args(built_index, tiny_gold, tmp_path, "--systems", "project,bogus"))
    assert res.exit_code == 2 and "choose from" in text


def test_eval_beir_on_a_tiny_folder(tiny_beir, shared_model, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "beir-out"
    args = ["eval-beir", str(tiny_beir), "--cache-dir", str(cache), "--out", str(out)]
    res, text = invoke(*args)
    assert res.exit_code == 0, text
    first = json.loads((out / "beir-tinybeir.json").read_text())
    assert first["built"] is True and first["documents"] == 4 and first["queries"] == 2
    assert [r["system"] for r in first["results"]] == ["dense", "bm25", "hybrid"]
    for r in first["results"]:
        assert 0.0 <= r["ndcg_at_10"] <= 1.0 and 0.0 <= r["mrr_at_10"] <= 1.0
        assert r["recall_at_100"] == 1.0  # 4 documents: every one is within the top 100
    res, text = invoke(*args, "--max-queries", "1", "--systems", "bm25")
    assert res.exit_code == 0, text
    second = json.loads((out / "beir-tinybeir.json").read_text())
    assert second["built"] is False and "(cached)" in text  # no second embedding
    assert second["queries"] == 1 and [r["system"] for r in second["results"]] == ["bm25"]


def test_eval_beir_bad_folder(tmp_path):
    res, text = invoke("eval-beir", str(tmp_path), "--cache-dir", str(tmp_path / "c"))
    assert res.exit_code == 2 and "corpus.jsonl" in text


@pytest.mark.parametrize("systems", ["hybrid,dense", "dense, bm25"])
def test_eval_beir_systems_option(systems, tiny_beir, shared_model, tmp_path):
    out = tmp_path / "o"
    res, text = invoke("eval-beir", str(tiny_beir), "--cache-dir", str(tmp_path / "c"),
                       "--out", str(out), "--systems", systems)
    assert res.exit_code == 0, text
    got = [r["system"] for r in json.loads((out / "beir-tinybeir.json").read_text())["results"]]
    assert got == [s.strip() for s in systems.split(",")]
