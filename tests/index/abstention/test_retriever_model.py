"""The retriever with abstention "model": the shipped model decides, with a readable reason."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.errors import CommissionQAError
from index.abstention.features import FEATURES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def with_model(retriever):
    return retriever.with_config(replace(retriever.config, abstention="model"))


def test_the_model_decides(with_model):
    assert with_model.abstainer is not None and with_model.abstainer.model is not None


def test_an_obviously_unanswerable_question_is_flagged(with_model):
    a = with_model.answer("What is the recommended dose of ibuprofen for a sprained ankle?", 5)
    assert a.answerable is False
    assert isinstance(a.reason, str) and len(a.reason.split()) >= 5
    assert set(a.features) == set(FEATURES)  # the features it decided on come with the answer


def test_an_answerable_question_is_answered(with_model):
    a = with_model.answer("What did Fylde Coast ask of the panel?", 5)
    assert a.answerable is True and a.reason is None and a.hits


def test_rules_record_no_features_and_an_unknown_setting_is_refused(retriever):
    rules = retriever.with_config(replace(retriever.config, abstention="rules"))
    assert rules.abstainer is None
    assert rules.answer("What did Fylde Coast ask of the panel?", 5).features == {}
    with pytest.raises(CommissionQAError, match="abstention must be"):
        retriever.with_config(replace(retriever.config, abstention="coin-toss"))


def test_a_model_of_another_embedding_model_leaves_the_rules_in_charge(tmp_path, retriever):
    from index.abstention import model as models

    other = replace(models.load(), encoder="some-other-model")
    path = other.save(tmp_path / "model.json")
    r = retriever.with_config(replace(retriever.config, abstention="model",
                                      abstention_model=str(path)))
    assert r.abstainer is None


def test_another_configuration_shares_what_was_derived_from_the_passages(retriever):
    other = retriever.with_config(replace(retriever.config, alpha=0.5))
    assert other.mentions is retriever.mentions and other.chunks is retriever.chunks
    assert other.config.alpha == 0.5 and retriever.config.alpha != 0.5
    assert other.abstainer is retriever.abstainer  # the same abstention settings
    q = "What did Fylde Coast ask of the panel?"
    assert [h.chunk.id for h in other.search(q, 5)] != [] and other._qcache is not retriever._qcache


def test_bm25_cover_is_the_share_of_the_questions_content_words_in_bm25s_best_passage(retriever):
    import numpy as np

    c = retriever.chunks[5]
    cand, sparse = np.array([4, 5]), np.array([1.0, 3.0])  # BM25's best: passage 5
    assert retriever._bm25_cover(c.text, cand, sparse) == 1.0
    assert retriever._bm25_cover("zebras juggling quantum marmalade", cand, sparse) == 0.0
    off = retriever.with_config(replace(retriever.config, bm25_cover=0.0))
    assert off._bm25_cover("zebras juggling quantum marmalade", cand, sparse) == 1.0
