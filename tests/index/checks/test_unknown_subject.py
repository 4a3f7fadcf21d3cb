"""No content word of the question occurs in the records."""

from __future__ import annotations

from hand_made import context, hit, mentions

from index.checks.unknown_subject import UnknownSubject

STEMS = {"govern", "panel", "robust"}


def _reason(residual: str, stems=STEMS, **kw) -> str | None:
    return UnknownSubject().check(context(residual, [hit("· Robust governance")],
                                          kw.pop("found", None) or mentions(residual),
                                          stems=stems, **kw))


def test_only_when_no_content_word_occurs_in_the_records() -> None:
    assert _reason("What is the smoking prevalence?")
    assert _reason("What about robust smoking?") is None
    assert _reason("Who spoke for ?", stems={"x"}) is not None
    assert _reason("What was it?") is None  # no content word at all


def test_a_mistyped_or_shortened_word_is_known() -> None:
    stems = {"pennin", "prioriti"}
    assert _reason("yorks key priorites", stems=stems) is not None
    assert _reason("yorks key priorites", stems=stems, familiar={"york", "priorit"}.__contains__) is None


def test_a_speaker_s_name_is_not_a_subject_even_on_the_passage_asked_for() -> None:
    q = "What did Lee Jones say about smoking?"
    found = mentions(q, speakers={"Lee Jones"})
    assert _reason(q, stems={"lee", "jone", "health"}, found=found, shaped=True) is not None
    # without a speaker named, the passage asked for by name answers
    assert _reason("smoking?", stems={"health"}, shaped=True) is None
