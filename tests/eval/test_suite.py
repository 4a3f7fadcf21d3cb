"""``eval.suite``: the pooled mean on hand-made rows, and ``commission-qa eval-suite`` end to end
on the shared test index with two gold files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from commission_qa.cli import app
from eval import suite
from eval.runner import SystemMetrics


def metrics(r1: float | None) -> SystemMetrics:
    return SystemMetrics(r1, None, None, None, None, None, None, None, None, 0, 0, 0)


def test_pooled_weights_each_set_by_its_questions():
    rows = [suite.SuiteRow("a", "project", 10, metrics(1.0)),
            suite.SuiteRow("b", "project", 30, metrics(0.5)),
            suite.SuiteRow("a", "bm25", 10, metrics(0.0)),
            suite.SuiteRow("c", "project", 50, metrics(None))]  # no value: left out
    assert suite.pooled(rows, "project", "recall_at_1") == pytest.approx((10 * 1.0 + 30 * 0.5) / 40)
    assert suite.pooled(rows, "bm25", "recall_at_1") == 0.0
    assert suite.pooled(rows, "dense", "recall_at_1") is None


def test_eval_suite_end_to_end(built_index, tiny_gold, tiny_gold_rows, shared_model, tmp_path):
    second = tmp_path / "second.jsonl"
    second.write_text("".join(json.dumps(r) + "\n" for r in tiny_gold_rows[:3]), encoding="utf-8")
    out = tmp_path / "rows.json"
    res = CliRunner().invoke(app, ["eval-suite", str(tiny_gold), str(second), "--index-dir",
                                   str(built_index), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = json.loads(out.read_text())
    assert [(r["gold"], r["system"], r["questions"]) for r in rows] == [
        ("gold", "project", 5), ("gold", "bm25", 5), ("second", "project", 3), ("second", "bm25", 3)]
    assert all(0.0 <= r["metrics"]["recall_at_5"] <= 1.0 for r in rows)
    assert "pooled" in res.output
    bad = CliRunner().invoke(app, ["eval-suite", str(tmp_path / "absent.jsonl"), "--index-dir",
                                   str(built_index)])
    assert bad.exit_code == 2
