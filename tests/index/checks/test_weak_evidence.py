"""The scores of the best passages."""

from __future__ import annotations

from hand_made import context, hit

from index.checks.weak_evidence import WeakEvidence


def test_weak_scores_abstain_unless_the_passage_is_asked_for_by_name() -> None:
    weak = [hit("· text", dense=0.1, bm25=1.0)]
    reason = WeakEvidence().check(context("q", weak))
    assert reason is not None and "weak matches" in reason and "0.10" in reason
    assert WeakEvidence().check(context("q", weak, shaped=True)) is None
    assert WeakEvidence().check(context("q", [hit("· text", dense=0.3, bm25=1.0)])) is None
    assert WeakEvidence().check(context("q", [hit("· text", dense=0.1, bm25=4.0)])) is None
    assert WeakEvidence().check(context("q", weak, min_dense=0.05)) is None  # configurable


def test_any_of_the_best_three_may_carry_the_score() -> None:
    hits = [hit("· a", dense=0.1, rank=1), hit("· b", dense=0.1, rank=2), hit("· c", dense=0.1, rank=3),
            hit("· d", dense=0.9, rank=4)]
    assert WeakEvidence().check(context("q", hits)) is not None
    assert WeakEvidence().check(context("q", hits, depth=4)) is None
