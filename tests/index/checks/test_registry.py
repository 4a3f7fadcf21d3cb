"""The registry of answer checks and how they are run."""

from __future__ import annotations

import dataclasses

import pytest
from hand_made import context, hit, mentions

from index.checks import REGISTRY, CheckContext, CheckThresholds, run_checks


def test_every_check_has_a_unique_name_and_the_score_check_runs_last() -> None:
    names = [c.name for c in REGISTRY]
    assert len(names) == len(set(names)) == 15
    assert names[0] == "unknown-names" and names[-1] == "weak-evidence"


def test_the_first_reason_decides_and_no_reason_answers() -> None:
    q = "What did Atlantis ask of the panel?"
    good = [hit("· Robust governance", dense=0.6, bm25=5.0)]
    found = mentions(q, unknown=("Atlantis",))
    answerable, reason = run_checks(context(q, good, found, stems={"robust", "govern"}))
    assert not answerable and "Atlantis" in reason
    assert run_checks(context("governance?", good, stems={"govern"})) == (True, None)
    assert run_checks(context(q, [])) == (False, "no passage was found")


def test_a_check_is_a_plug_in() -> None:
    class Never:
        name = "never"

        def check(self, ctx: CheckContext) -> str | None:
            return "never answered: " + ctx.question

    good = [hit("· Robust governance", dense=0.6, bm25=5.0)]
    assert run_checks(context("governance?", good), (Never(),)) == (False, "never answered: governance?")


def test_the_context_and_thresholds_are_frozen() -> None:
    ctx = context("q", [hit("· text")])
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.question = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CheckThresholds().depth = 5  # type: ignore[misc]


@pytest.mark.parametrize(("q", "found", "passage", "reason"), [
    ("Who chaired the panel meeting?", {},
     hit("Speakers: Sam Fogg, Chair of the Harbourside Partnership", role="speakers"), "what a meeting did"),
    ("What did Lee Jones say about smoking rates?", {"speakers": frozenset({"Lee Jones"})},
     hit("Speakers: Lee Jones, Public Health Consultant", role="speakers"), "no content word"),
    ("What did Northshire present to the panel?", {"silent": "Northshire"},
     hit("· Consider links into Northshire economy"), "do not report what they said"),
])
def test_abstains_with_the_reason_even_on_a_passage_of_the_shape_asked(q, found, passage, reason) -> None:
    mentioned = dataclasses.replace(mentions(q), **found)
    answerable, why = run_checks(context(q, [passage], mentioned, shaped=True,
                                         stems={"lee", "jone", "chair", "present", "panel"}))
    assert not answerable and reason in why


def test_the_notes_of_what_a_named_person_said_answer_despite_weak_scores() -> None:
    q = "What did Sam say at the workshop?"
    passage = [hit("· Sam pointed out that health has focused on hospitals", dense=0.1, bm25=0.5)]
    assert run_checks(context(q, passage, mentions(q, quoted="Sam"), stems={"sam"}))[0]
    assert not run_checks(context(q, passage, mentions(q), stems={"sam"}))[0]
    other = [hit("· Health has focused on hospitals", dense=0.1, bm25=0.5)]  # no name in it
    assert not run_checks(context(q, other, mentions(q, quoted="Sam"), stems={"sam"}))[0]
