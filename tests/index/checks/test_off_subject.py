"""A place or speaker named, asked about something its passages never mention."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.off_subject import OffSubject


def _reason(q: str, hits, **named) -> str | None:
    return OffSubject().check(context(q, hits, mentions(q, **named)))


def test_the_passages_of_the_speaker_named_must_mention_the_subject() -> None:
    q = "What did Lee Jones say about smoking rates?"
    line = hit("North Vale\nSpeakers: Lee Jones, Public Health Consultant", section="North Vale",
               role="speakers", speakers=("Lee Jones",))
    reason = _reason(q, [line], speakers={"Lee Jones"})
    assert reason is not None and "Lee Jones" in reason
    said = hit("· Smoking rates are the highest in the region", section="North Vale", speakers=("Lee Jones",))
    assert _reason(q, [line, said], speakers={"Lee Jones"}) is None


def test_other_forms_of_a_word_count_and_nothing_named_means_nothing_to_check() -> None:
    q = "What did Riverside say about governance?"
    robust = hit("· Robust governance and delivery", section="Riverside")
    assert _reason("What did Riverside say about governing?", [robust], sections={"Riverside"}) is None
    assert _reason(q, [hit("· Housing first", section="Riverside")], sections={"Riverside"}) is not None
    assert _reason(q, [hit("· Housing first", section="Riverside")]) is None  # no place named
    asked = context(q, [hit("· Housing first", section="Riverside")], mentions(q, sections={"Riverside"}),
                    shaped=True)
    assert OffSubject().check(asked) is None  # the passage asked for by name


def test_who_spoke_questions_are_answered_by_the_speakers_line() -> None:
    q = "Who spoke for Riverside about housing?"
    line = hit("Riverside\nSpeakers: Ann Hale", section="Riverside", role="speakers")
    assert _reason(q, [line], sections={"Riverside"}, intents={"speakers"}) is None


def test_a_question_about_a_speaker_s_post_or_organisation_is_not_off_subject() -> None:
    line = hit("Riverside\nSpeakers: Ann Hale, Chief Executive, Harbour Advice", section="Riverside",
               role="speakers", speakers=("Ann Hale",))
    q = "Which organisation does Ann Hale lead?"
    assert _reason(q, [line], speakers={"Ann Hale"}) is None
