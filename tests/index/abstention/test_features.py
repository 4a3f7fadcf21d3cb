"""The features of hand-made answers, computed by hand."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hand_made import context, hit, mentions

from index.abstention.features import CHECK_FEATURES, FEATURES, features


def scored(h, score):
    return replace(h, score=score)


@pytest.fixture
def answer():
    q = "How many beds did the hospital close in Riverside?"
    hits = [
        scored(hit("The hospital closed 40 beds last winter.", rank=1, dense=0.62, bm25=7.0), 0.9),
        scored(hit("Waiting lists grew in the town.", rank=2, dense=0.41, bm25=1.5), 0.6),
        scored(hit("Beds were discussed.", rank=3, dense=0.70, bm25=2.0), 0.5),
    ]
    found = mentions("How many beds did the hospital close", sections={"Riverside"},
                     intents={"quantity"})
    stems = {"hospit", "close", "bed", "wait", "list", "grew", "town", "discuss", "winter"}
    return context(q, hits, found=found, stems=stems)


def test_the_names_are_fixed_and_unique():
    assert len(FEATURES) == len(set(FEATURES))
    assert FEATURES[-len(CHECK_FEATURES):] == CHECK_FEATURES


def test_scores_margin_and_coverage_as_computed_by_hand(answer):
    f = features(answer).named()
    assert f["dense_1"] == pytest.approx(0.62)
    assert f["dense_max"] == pytest.approx(0.70)
    assert f["bm25_max"] == pytest.approx(math.log1p(7.0))
    assert f["fused_1"] == pytest.approx(0.9)
    assert f["fused_margin"] == pytest.approx(0.3)
    # subject stems: bed, hospit, close ("how many", "did", "the" are stop words or short)
    assert f["cover_1"] == pytest.approx(1.0)  # "closed" → close, "beds" → bed, hospital
    assert f["cover_3"] == pytest.approx(1.0)
    assert f["unknown_share"] == 0.0
    assert f["subject_log"] == pytest.approx(math.log1p(3))
    assert f["figure_missing"] == 0.0  # "40" is a figure the question does not give
    assert f["role_missing"] == 0.0  # a quantity asks for no role
    assert f["names_missing"] == 0.0  # Riverside is the passages' section


def test_a_near_miss_scores_lower_coverage_and_a_missing_figure(answer):
    miss = replace(answer, hits=tuple(
        replace(h, chunk=replace(h.chunk, text="Staff shortages were described.",
                                 embed_text="Staff shortages were described.",
                                 units=((0, 31),)))
        for h in answer.hits))
    f = features(miss).named()
    assert f["cover_1"] == 0.0 and f["cover_3"] == 0.0
    assert f["figure_missing"] == 1.0
    assert f["check_no-figure"] == 1.0 and f["check_any"] == 1.0
    assert f["checks_fired"] >= 1.0


def test_unknown_words_and_missing_names():
    q = "What did Atlantis say about zorbing?"
    found = mentions("What did Atlantis say about zorbing?")
    h = hit("Transport was a concern.", dense=0.2, bm25=0.0)
    f = features(context(q, [h], found=found, stems={"transport", "concern"})).named()
    # subject stems: atlanti and zorb are set aside or unknown; names: "Atlantis" not held
    assert f["names_missing"] == 1.0
    assert f["unknown_share"] == 1.0
    assert f["fused_margin"] == 0.0  # one passage only


def test_role_and_person_and_date_match():
    q = "Who sent apologies to the board?"
    found = mentions(q, intents={"attendance"})
    body = hit("the board agreed the budget", dense=0.5, bm25=3.0)
    listed = hit("Apologies: Sam Jones", role="attendance", speakers=("Sam Jones",), dense=0.5)
    assert features(context(q, [body], found=found)).named()["role_missing"] == 1.0
    assert features(context(q, [body], found=found)).named()["person_missing"] == 1.0
    both = features(context(q, [body, listed], found=found)).named()
    assert both["role_missing"] == 0.0 and both["person_missing"] == 0.0
    when = "When will the report be published?"
    dated = features(context(when, [hit("It is due in March 2024.")],
                             found=mentions(when, intents={"when"}))).named()
    undated = features(context(when, [hit("It is due soon.")],
                               found=mentions(when, intents={"when"}))).named()
    assert dated["date_missing"] == 0.0 and undated["date_missing"] == 1.0


def test_every_check_is_run_not_only_the_first(answer):
    f = features(replace(answer, question="When will Atlantis publish how many beds?",
                         mentions=mentions("When will Atlantis publish how many beds?",
                                           intents={"when", "quantity"},
                                           unknown=("Atlantis",))))
    fired = [n for n, v in f.named().items() if n in CHECK_FEATURES and v]
    assert "check_unknown-names" in fired and len(fired) >= 2
    assert f.first_reason == f.reasons[0]  # unknown-names runs first


def test_the_checks_read_one_by_one_are_registered_checks():
    from index.abstention.features import CHECKS_READ
    from index.checks import REGISTRY

    assert set(CHECKS_READ) <= {c.name for c in REGISTRY}, "retrain the model after renaming a check"


def test_a_check_added_later_counts_in_check_any_but_keeps_the_vector(answer, monkeypatch):
    import index.abstention.features as feats

    class AlwaysFires:
        name = "always-fires"

        def check(self, ctx):
            return "a new check's reason"

    before = features(answer)
    monkeypatch.setattr(feats, "REGISTRY", (*feats.REGISTRY, AlwaysFires()))
    after = feats.features(answer)
    assert len(after.values) == len(before.values) == len(FEATURES)
    assert after.named()["checks_fired"] == before.named()["checks_fired"] + 1
    assert after.named()["check_any"] == 1.0
    assert after.reasons[-1] == "a new check's reason"
