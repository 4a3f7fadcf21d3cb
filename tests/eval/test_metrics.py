"""Metrics on hand-computed rankings, and a cross-check against ir-measures (trec_eval's
definitions) on a generated run."""

from __future__ import annotations

import math
import random

import ir_measures
import pytest
from ir_measures import RR, R, Success, nDCG

from eval import metrics

T, F = True, False


def test_first_relevant_rank_and_success():
    ranking = [F, F, T, F, T]
    assert metrics.first_relevant_rank(ranking) == 3
    assert metrics.first_relevant_rank([F, F]) is None
    assert metrics.success_at_k(ranking, 1) == 0.0
    assert metrics.success_at_k(ranking, 2) == 0.0
    assert metrics.success_at_k(ranking, 3) == 1.0
    assert metrics.success_at_k([], 5) == 0.0


def test_success_differs_from_trec_recall_with_several_relevant():
    ranking = [T, F, F, F, F]  # one of four relevant passages at rank 1
    assert metrics.success_at_k(ranking, 5) == 1.0
    assert metrics.recall_at_k(ranking, n_relevant=4, k=5) == 0.25
    assert metrics.recall_at_k(ranking, n_relevant=0, k=5) == 0.0


def test_reciprocal_rank_is_cut_at_k():
    assert metrics.reciprocal_rank([F, F, T], 10) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([F, F, T], 2) == 0.0
    assert metrics.reciprocal_rank([T], 10) == 1.0
    assert metrics.reciprocal_rank([], 10) == 0.0


def test_binary_ndcg_by_hand():
    # relevant at ranks 2 and 4; two relevant passages in the collection
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 / math.log2(2) + 1 / math.log2(3)
    assert metrics.binary_ndcg_at_k([F, T, F, T], 2, 10) == pytest.approx(dcg / idcg)
    # a third relevant passage exists but was not retrieved: the ideal grows
    idcg3 = idcg + 1 / math.log2(4)
    assert metrics.binary_ndcg_at_k([F, T, F, T], 3, 10) == pytest.approx(dcg / idcg3)
    assert metrics.binary_ndcg_at_k([T, F], 1, 10) == 1.0
    assert metrics.binary_ndcg_at_k([F, F], 0, 10) == 0.0
    # cut at k: the relevant passage at rank 4 does not count at k=3
    assert metrics.binary_ndcg_at_k([F, T, F, T], 2, 3) == pytest.approx(
        (1 / math.log2(3)) / idcg)


def test_graded_ndcg_by_hand():
    gains = [0, 2, 1]
    ideal = [2, 1, 1]
    dcg = 2 / math.log2(3) + 1 / math.log2(4)
    idcg = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at_k(gains, ideal, 10) == pytest.approx(dcg / idcg)


def test_chars_to_evidence_by_hand():
    lengths = [100, 250, 40, 500]
    assert metrics.chars_to_evidence(lengths, [T, F, F, F]) == 100
    assert metrics.chars_to_evidence(lengths, [F, F, T, T]) == 390  # up to and including rank 3
    assert metrics.chars_to_evidence(lengths, [F, F, F, F]) == 890  # none relevant: all of them
    assert metrics.chars_to_evidence(lengths, [F, F, F, T], k=3) == 390  # only the top k read
    with pytest.raises(ValueError):
        metrics.chars_to_evidence([1, 2], [T])


def test_mean_and_median():
    assert metrics.mean([1.0, 0.0, 0.5]) == 0.5
    assert metrics.mean([]) is None
    assert metrics.median([300, 100, 200, 1000]) == 250.0
    assert metrics.median([]) is None


def test_abstention_by_hand():
    gold = [T, T, T, F, F, F]   # three answerable, three unanswerable
    said = [T, F, T, F, F, T]   # abstains on q2 (wrongly), q4, q5 (rightly)
    a = metrics.abstention(gold, said)
    assert a.abstained == 3 and a.unanswerable == 3
    assert a.precision == pytest.approx(2 / 3)
    assert a.recall == pytest.approx(2 / 3)
    assert a.answerable_rate == pytest.approx(2 / 3)
    never = metrics.abstention([T, F], [T, T])
    assert never.precision is None and never.recall == 0.0 and never.answerable_rate == 1.0
    with pytest.raises(ValueError):
        metrics.abstention([T], [])


@pytest.mark.parametrize("k", [0, -1, 1.5, True])
def test_bad_k_is_refused(k):
    with pytest.raises(ValueError):
        metrics.success_at_k([T], k)


def _generated_run(seed: int = 7, queries: int = 40, docs: int = 30):
    rng = random.Random(seed)
    qrels, run, rankings = [], [], {}
    for q in range(queries):
        qid = f"q{q}"
        ids = [f"d{i}" for i in range(docs)]
        relevant = {d: rng.choice([1, 1, 2, 3]) for d in rng.sample(ids, rng.randint(1, 5))}
        qrels += [ir_measures.Qrel(qid, d, g) for d, g in relevant.items()]
        ranked = rng.sample(ids, 10)
        run += [ir_measures.ScoredDoc(qid, d, 100.0 - r) for r, d in enumerate(ranked)]
        rankings[qid] = ([relevant.get(d, 0) for d in ranked], list(relevant.values()))
    return qrels, run, rankings


def test_cross_check_against_ir_measures():
    qrels, run, rankings = _generated_run()
    measures = [Success @ 1, Success @ 5, Success @ 10, RR @ 10, nDCG @ 10, R @ 5, R @ 10]
    theirs: dict[tuple[str, str], float] = {}
    for m in ir_measures.iter_calc(measures, qrels, run):
        theirs[(m.query_id, str(m.measure))] = m.value
    assert len(theirs) == len(rankings) * len(measures)
    for qid, (gains, ideal) in rankings.items():
        rel = [g > 0 for g in gains]
        ours = {"Success@1": metrics.success_at_k(rel, 1), "Success@5": metrics.success_at_k(rel, 5),
                "Success@10": metrics.success_at_k(rel, 10),
                "RR@10": metrics.reciprocal_rank(rel, 10),
                "nDCG@10": metrics.ndcg_at_k(gains, ideal, 10),
                "R@5": metrics.recall_at_k(rel, len(ideal), 5),
                "R@10": metrics.recall_at_k(rel, len(ideal), 10)}
        for name, value in ours.items():
            assert value == pytest.approx(theirs[(qid, name)], abs=1e-6), (qid, name)


def test_cross_check_binary_ndcg_against_ir_measures():
    qrels, run, rankings = _generated_run(seed=11)
    binary_qrels = [ir_measures.Qrel(q.query_id, q.doc_id, 1) for q in qrels]
    theirs = {m.query_id: m.value for m in ir_measures.iter_calc([nDCG @ 10], binary_qrels, run)}
    for qid, (gains, ideal) in rankings.items():
        ours = metrics.binary_ndcg_at_k([g > 0 for g in gains], len(ideal), 10)
        assert ours == pytest.approx(theirs[qid], abs=1e-6)
