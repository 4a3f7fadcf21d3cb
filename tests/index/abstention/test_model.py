"""The model file: JSON round trip, numpy's prediction equal to scikit-learn's, refusal of a file
trained on other features, and training that separates a tiny synthetic set."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import ModelError
from index.abstention import model as models
from index.abstention import train
from index.abstention.features import FEATURES

N = len(FEATURES)


def a_model(threshold=0.5) -> models.AbstentionModel:
    rng = np.random.default_rng(1)
    return models.AbstentionModel(FEATURES, tuple(rng.normal(size=N)), tuple(rng.uniform(0.5, 2, N)),
                                  tuple(rng.normal(size=N)), -0.3, threshold, "minilm",
                                  {"sets": ["a", "b"], "trained": "2026-12-05"})


def test_json_round_trip(tmp_path):
    m = a_model(0.4)
    path = m.save(tmp_path / "model.json")
    back = models.load(path)
    assert back == m
    assert back.provenance["sets"] == ["a", "b"]
    x = np.linspace(-1, 1, N)
    assert back.probability(x) == pytest.approx(m.probability(x))


def test_a_file_with_other_features_is_refused(tmp_path):
    data = a_model().to_json()
    data["features"] = [*FEATURES[:-1], "check_something-else"]
    (tmp_path / "m.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="features differ"):
        models.load(tmp_path / "m.json")
    data["features"] = list(reversed(FEATURES))  # same names, another order
    with pytest.raises(ModelError, match="features differ"):
        models.from_json(data)


@pytest.mark.parametrize("broken", [{"scale": [0.0] * N}, {"coef": [1.0] * (N - 1)},
                                    {"threshold": 1.5}, {"format": 99}, {"intercept": "x"}])
def test_a_malformed_file_is_refused(broken):
    with pytest.raises(ModelError):
        models.from_json({**a_model().to_json(), **broken})


def test_an_unreadable_file_is_refused(tmp_path):
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ModelError, match="cannot be read"):
        models.load(tmp_path / "m.json")


def test_the_shipped_model_loads_and_matches_the_code():
    m = models.load()
    assert m.features == FEATURES and 0 < m.threshold < 1
    assert m.provenance["sets"], "the shipped model records the sets it was trained on"


def test_numpy_prediction_equals_scikit_learn():
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, N))
    y = (x[:, 0] + 0.5 * x[:, 3] + rng.normal(scale=0.5, size=80) > 0).astype(int)
    scaler, clf = train._fit(x, y, 1.0)
    m = models.AbstentionModel(FEATURES, tuple(scaler.mean_), tuple(scaler.scale_),
                               tuple(clf.coef_[0]), float(clf.intercept_[0]), 0.5)
    expected = clf.predict_proba(scaler.transform(x))[:, 1]
    assert np.allclose(m.probability(x), expected, atol=1e-12)
    assert m.probability(x[0]) == pytest.approx(expected[0])


def synthetic(n_per_set=30) -> train.Examples:
    """Two sets; feature 0 (dense_1) high for the answerable questions, low for the rest."""
    rng = np.random.default_rng(3)
    questions, rows = [], []
    for s in ("a", "b"):
        for i in range(n_per_set):
            answerable = i % 3 != 0
            row = np.zeros(N)  # constant features: scaled by 1, weigh nothing
            row[0] = (0.7 if answerable else 0.2) + rng.normal(scale=0.05)
            questions.append(train.Question(f"{s}{i}", s, f"question {i}", answerable))
            rows.append(row)
    return train.Examples(tuple(questions), np.array(rows), np.ones(len(rows), dtype=bool))


def test_training_separates_a_tiny_synthetic_set():
    pytest.importorskip("sklearn")
    ex = synthetic()
    result = train.fit(ex, max_false=0.05, encoder="minilm", c_grid=(1.0,))
    assert result.cv["pooled"].recall == 1.0 and result.cv["pooled"].answerable_rate == 1.0
    p = result.model.probability(ex.x)
    assert ((p >= result.model.threshold) == (ex.y == 1)).all()
    assert result.model.coef[0] < 0  # a high cosine speaks for the answer
    assert result.model.provenance["sets"] == ["a", "b"]


def test_training_needs_two_sets():
    pytest.importorskip("sklearn")
    ex = synthetic()
    one = train.Examples(ex.questions[:30], ex.x[:30], ex.rules[:30])
    with pytest.raises(Exception, match="two gold sets"):
        train.fit(one)


def test_the_threshold_keeps_false_abstentions_within_the_bound():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.95, 0.85])
    y = np.array([0] * 10 + [1, 1])
    t = train.threshold_for(p, y, 0.1)  # one of ten answerable questions may be abstained on
    assert ((p >= t) & (y == 0)).sum() == 1  # 0.9: needed to catch 0.85
    assert ((p >= t) & (y == 1)).sum() == 2
    y2 = np.array([0] * 10 + [1, 0])  # 0.95 alone is unanswerable: no false abstention needed
    t2 = train.threshold_for(p, y2, 0.2)
    assert ((p >= t2) & (y2 == 0)).sum() == 0 and ((p >= t2) & (y2 == 1)).sum() == 1
    assert train.threshold_for(p, y, 0.0) > 0.9  # none allowed: above the highest answerable
