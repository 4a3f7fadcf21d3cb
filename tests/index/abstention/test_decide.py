"""The decision and its reason: a check's reason when one fired, else the features' sentence."""

from __future__ import annotations

import numpy as np
from hand_made import context, hit, mentions

from index.abstention import Abstainer, explain
from index.abstention.features import FEATURES
from index.abstention.model import AbstentionModel

N = len(FEATURES)


def model_weighing(name: str, weight: float, intercept: float = 0.0) -> AbstentionModel:
    coef = np.zeros(N)
    coef[FEATURES.index(name)] = weight
    return AbstentionModel(FEATURES, (0.5,) * N, (1.0,) * N, tuple(coef), intercept, 0.5)


def test_explain_names_the_features_that_weighed_against_the_answer():
    said = explain({"cover_3": 1.2, "figure_missing": 0.8, "dense_1": -2.0, "check_any": 3.0})
    assert said == ("the records may not answer this: the best passages share few of the "
                    "question's words and none of them gives a figure")
    assert "records may not answer" in explain({"dense_1": -1.0})


def test_a_low_coverage_answer_is_refused_with_the_features_sentence():
    q = "What did the panel say about dentistry?"
    ctx = context(q, [hit("Transport links are poor.", dense=0.3, bm25=0.5)], found=mentions(q),
                  stems={"panel", "dentistri", "transport", "link", "poor"})
    decided = Abstainer(model_weighing("cover_1", -4.0)).decide(ctx)  # cover 0: z = -0.5
    assert decided.answerable is False and decided.probability > 0.5
    assert decided.reason == ("the records may not answer this: the best passage shares few of "
                              "the question's words")
    covered = context(q, [hit("The panel said dentistry is hard to reach.")], found=mentions(q),
                      stems={"panel", "dentistri"})
    assert Abstainer(model_weighing("cover_1", -4.0)).decide(covered).answerable is True


def test_a_fired_check_gives_its_reason():
    q = "What did Atlantis say?"
    ctx = context(q, [hit("Transport links are poor.")],
                  found=mentions(q, unknown=("Atlantis",)), stems={"transport"})
    decided = Abstainer(model_weighing("check_unknown-names", 10.0)).decide(ctx)
    assert decided.answerable is False and "Atlantis" in decided.reason


def test_no_hits_is_no_answer():
    decided = Abstainer(model_weighing("cover_1", -4.0)).decide(context("anything?", []))
    assert decided.answerable is False and decided.reason == "no passage was found"
