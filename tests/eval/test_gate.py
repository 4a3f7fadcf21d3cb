"""The gate on small synthetic results: threshold drops and top-5 regressions fail, else pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.gate import (
    Baseline,
    GateConfigError,
    Thresholds,
    baseline_of,
    check,
    parse_thresholds,
    rank_changes,
    read_baseline,
    read_thresholds,
    write_baseline,
)
from eval.report import markdown
from eval.runner import EvalResult, QuestionResult, SystemResult, aggregate


def q(qid: str, rank: int | None, answerable: bool = True, said: bool | None = True,
      kind: str = "place-topic") -> QuestionResult:
    return QuestionResult(qid, kind if answerable else "unanswerable", answerable, rank,
                          1 / rank if rank else 0.0, 1.0 if rank == 1 else 0.5 if rank else 0.0,
                          300 * (rank or 10), 1 if answerable else 0, said)


def result(*questions: QuestionResult, name: str = "project") -> EvalResult:
    system = SystemResult(name, aggregate(questions), {}, tuple(questions), 10, 0.1)
    return EvalResult("gold.jsonl", len(questions), (system,))


GOOD = result(q("a", 1), q("b", 2), q("c", 4), q("d", None), q("u", None, False, False))


def test_aggregate_of_the_synthetic_result():
    m = GOOD.system("project").metrics
    assert m.recall_at_1 == 0.25 and m.recall_at_5 == 0.75 and m.recall_at_10 == 0.75
    assert m.mrr_at_10 == pytest.approx((1 + 0.5 + 0.25) / 4)
    assert m.median_chars_to_evidence == pytest.approx((600 + 1200) / 2)
    assert m.abstention_recall == 1.0 and m.abstention_precision == 1.0
    assert m.answerable_rate == 1.0


def test_passes_at_or_above_thresholds():
    limits = parse_thresholds({"project": {"recall_at_1": 0.25, "recall_at_5": 0.7,
                                           "max_median_chars_to_evidence": 900,
                                           "abstention_recall": 1.0}})
    outcome = check(GOOD, limits, baseline_of(GOOD))
    assert outcome.passed, outcome.failed
    assert {c.name for c in outcome.checks} >= {"recall_at_1", "max_median_chars_to_evidence",
                                                "top-5 regressions"}


def test_threshold_drop_fails_and_names_the_metric():
    limits = parse_thresholds({"project": {"recall_at_1": 0.3, "recall_at_5": 0.7,
                                           "max_median_chars_to_evidence": 800}})
    outcome = check(GOOD, limits, None)
    assert not outcome.passed
    failed = {c.name: c.detail for c in outcome.failed}
    assert set(failed) == {"recall_at_1", "max_median_chars_to_evidence"}
    assert "below the threshold 0.3" in failed["recall_at_1"]
    assert "above the maximum 800" in failed["max_median_chars_to_evidence"]


def test_leaving_the_top5_fails_even_when_thresholds_pass():
    base = baseline_of(GOOD)
    worse = result(q("a", 1), q("b", 2), q("c", 6), q("d", 3), q("u", None, False, False))
    outcome = check(worse, Thresholds({"recall_at_5": 0.5}, {}), base)
    assert [c.name for c in outcome.failed] == ["top-5 regressions"]
    assert "c (rank 4 → 6)" in outcome.failed[0].detail
    dropped = result(q("a", None), q("b", 2), q("c", 4), q("d", None))
    assert "a (rank 1 → >10)" in check(dropped, Thresholds({}, {}), base).failed[0].detail


def test_moves_within_the_top5_and_new_questions_pass():
    base = baseline_of(GOOD)
    moved = result(q("a", 5), q("b", 1), q("c", 2), q("d", 9), q("new", None))
    outcome = check(moved, Thresholds({}, {}), base)
    assert outcome.passed
    assert rank_changes(moved, base) == [("a", 1, 5), ("b", 2, 1), ("c", 4, 2), ("d", None, 9)]
    assert "| a | 1 | 5 |" in markdown(moved, base, outcome)


def test_missing_metric_value_fails_a_threshold():
    no_flags = result(q("a", 1, said=None))
    outcome = check(no_flags, Thresholds({"abstention_recall": 0.5}, {}), None)
    assert not outcome.passed and "n/a" in outcome.failed[0].detail


def test_thresholds_file_is_validated(tmp_path: Path):
    path = tmp_path / "t.toml"
    path.write_text("[project]\nrecall_at_5 = 0.8\nmax_median_chars_to_evidence = 500\n")
    t = read_thresholds(path)
    assert t.minimum == {"recall_at_5": 0.8} and t.maximum == {"median_chars_to_evidence": 500}
    assert read_thresholds(tmp_path / "absent.toml") == Thresholds({}, {})
    path.write_text("[project]\nrecal_at_5 = 0.8\n")
    with pytest.raises(GateConfigError, match="unknown metric 'recal_at_5'"):
        read_thresholds(path)
    path.write_text("[project]\nrecall_at_5 = 'high'\n")
    with pytest.raises(GateConfigError, match="must be a number"):
        read_thresholds(path)


def test_baseline_round_trip(tmp_path: Path):
    path = tmp_path / "baseline.json"
    written = write_baseline(GOOD, path)
    back = read_baseline(path)
    assert back == Baseline(written.ranks, written.metrics, written.created)
    assert back.ranks == {"a": 1, "b": 2, "c": 4, "d": None}
    assert back.metrics["recall_at_1"] == 0.25
    assert read_baseline(tmp_path / "absent.json") is None
    path.write_text("{}")
    with pytest.raises(GateConfigError):
        read_baseline(path)
