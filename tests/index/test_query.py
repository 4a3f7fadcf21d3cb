"""Query-side analysis (index/query.py, index/boosts.py) and what it does to rankings."""

from __future__ import annotations

import pytest

from core.records import Chunk
from index.query import MentionDetector


def _chunk(i: int, section: str, heading: tuple[str, ...] = (), text: str = "· some text",
           title: str = "Panel Meeting", doc: str = "d1", speakers: tuple[str, ...] = (),
           role: str = "bullet", kind: str = "place") -> Chunk:
    return Chunk(id=f"c{i}", document_id=doc, start=i * 100, end=i * 100 + len(text), text=text,
                 section=section, heading_path=(title, section, *heading), speakers=speakers,
                 date="2021-12-06", title=title, line_start=i, line_end=i, embed_text=text,
                 section_kind=kind, role=role)


@pytest.fixture(scope="module")
def detector() -> MentionDetector:
    chunks = [
        _chunk(0, "Pennine Lancashire", ("Asks of the panel",), "· Robust governance",
               speakers=("Martin Hodgson",)),
        _chunk(1, "Fylde Coast", ("Recommendations",), "· Housing benefit control"),
        _chunk(2, "3. What are the obstacles?", (), "· Short-term funding",
               title="Execs Workshop", doc="d2", kind="prompt"),
        _chunk(3, "Fylde Coast", (), "Speakers: Steve Fogg, Chair", role="speakers"),
    ]
    return MentionDetector(chunks)


def test_section_and_subheading_are_found_and_removed_from_the_residual(detector) -> None:
    m = detector.find("What did Pennine Lancashire ask of the panel about governance?")
    assert m.sections == {"Pennine Lancashire"}
    assert m.headings == {"Asks of the panel"}
    assert "governance" in m.residual
    assert "Pennine" not in m.residual and "panel" not in m.residual


def test_a_question_of_names_only_searches_the_whole_question(detector) -> None:
    m = detector.find("What were Fylde Coast's recommendations?")
    assert m.headings == {"Recommendations"} and m.sections == {"Fylde Coast"}
    assert m.residual == "What were Fylde Coast's recommendations?"


def test_meeting_named_by_a_distinctive_title_word(detector) -> None:
    assert detector.find("What was said at the workshop about funding?").documents == {"d2"}
    assert detector.find("What was said about funding?").documents == frozenset()


@pytest.mark.parametrize("question, intents, ordinal", [
    ("Who spoke for Fylde Coast?", {"speakers"}, None),
    ("What is Martin Hodgson's role?", {"speakers"}, None),
    ("When was the workshop held?", {"when"}, None),
    ("What was the third prompt?", {"prompt", "prompt_text"}, 3),
    ("What was said under the third prompt?", {"prompt"}, 3),
    ("What was the theme of the panel session?", {"meeting"}, None),
    ("Which commission was the workshop held for?", {"meeting"}, None),
    ("What is the smoking prevalence in Fylde Coast?", {"quantity"}, None),
    ("What was the annual budget of the programme?", {"quantity"}, None),
    ("What is the life expectancy in Blackpool?", {"quantity"}, None),
    ("Answers to question 5 of the workshop", {"prompt"}, 5),
    ("Nearpod Q1: how do we make progress?", set(), 1),  # "Q1" is the first question
    ("How many neighbourhoods are deprived?", {"quantity"}, None),
    ("What percentage of people live in poverty?", {"quantity"}, None),
    ("What did Fylde Coast ask about housing?", set(), None),
    ("What budget has been allocated to the commission?", {"quantity"}, None),
    ("smoking rates in Burnley", {"quantity"}, None),  # a figure asked for by name
    ("Blackpool life expectancy gap in years", {"quantity"}, None),
    ("mental health waiting times on the Fylde Coast", {"quantity"}, None),
    ("Did anyone mention smoking rates?", set(), None),  # what was said, not a figure
    ("ring-fenced protected budget for prevention", set(), None),  # a budget, not its size
    ("What is North Cumbria CCG's annual budget?", {"quantity"}, None),  # a possessive
    ("What was public health expenditure in 2009/10?", {"quantity"}, None),
    ("size of the better care fund £", {"quantity"}, None),  # a bare unit asks for a figure
    ("NHS committing 1% of its budget", set(), None),  # a figure given, not asked for
])
def test_intents(detector, question: str, intents: set[str], ordinal: int | None) -> None:
    m = detector.find(question)
    assert set(m.intents) == intents
    assert m.ordinal == ordinal


def test_an_expanded_abbreviation_names_a_heading_that_uses_the_short_form() -> None:
    d = MentionDetector([_chunk(0, "Central Lancashire", ("Investment in SDoH",), "· Build")])
    m = d.find("What was said on investment in the social determinants of health?")
    assert m.headings == {"Investment in SDoH"}
    assert m.expansion == " (SDH; SDoH)" and "SDoH" in m.search_text
    assert "SDoH" not in m.residual  # the question as asked, for the answer checks
    assert d.find("What did the VCFSE say?").expansion == \
        " (voluntary, community, faith and social enterprise)"


@pytest.mark.parametrize(("stem", "familiar"), [
    ("robust", True),  # a stem of the records
    ("lanc", True),  # "lancs": the start of a word of them ("Lancashire")
    ("govenr", True),  # "govenrance": one transposition from "govern"
    ("housng", True),  # one letter dropped from "housing"
    ("fund", True),  # the start of "funding"
    ("smoke", False),
    ("bus", False),  # too short to guess at
    ("gov", False),
])
def test_familiar_stems_allow_for_typos_and_abbreviations(stem: str, familiar: bool) -> None:
    detector = MentionDetector([_chunk(0, "Lancashire", (), "· Robust governance and housing funding")])
    assert detector.familiar(stem) is familiar


def test_unknown_names_and_numbers(detector) -> None:
    assert detector.find("What did Greater Manchester ask of the panel?").unknown == \
        ("Greater", "Manchester")
    assert detector.find("What was the budget for 2024?").unknown == ("2024",)
    assert detector.find("What did Pennine Lancashire ask about governance?").unknown == ()
    assert detector.find("Governance in Pennine?").unknown == ()  # first word is not a name
    assert detector.find("Nearpod Q1 on governance").unknown == ()  # a question number
    assert detector.find("Nearpod Q1 on Manchester").unknown == ("Manchester",)
    # another form of a word the records use is not an unknown name ("Hodgson's" → "Hodgsons")
    assert detector.find("What did Martin Hodgsons ask about Housing Benefits?").unknown == ()
    gp = MentionDetector([_chunk(0, "Fylde Coast", (), "Speakers: Mark Spencer, GP")])
    assert gp.find("How many GPs are there?").unknown == ()  # a plural the stemmer keeps


# --- on the sample corpus ------------------------------------------------------------------

def test_who_spoke_for_a_place_ranks_its_speakers_line_first(retriever) -> None:
    top = retriever.search("Who spoke for West Lancashire?", 3)[0].chunk
    assert top.section == "West Lancashire"
    assert "Speakers:" in top.text


def test_the_nth_prompt_ranks_that_prompt_first(retriever) -> None:
    top = retriever.search("What was the fifth question put to the workshop?", 3)[0].chunk
    assert top.section.startswith("5.")
    assert top.start == min(c.start for c in retriever.chunks
                            if c.section == top.section and c.document_id == top.document_id)


def test_when_questions_find_the_meeting_details(retriever) -> None:
    top = retriever.search("When was the execs workshop held?", 3)[0].chunk
    assert top.section == "Meeting details"
    assert "November 2021" in top.text


def test_a_sub_heading_named_inside_a_place_beats_the_same_sub_heading_elsewhere(retriever) -> None:
    # North Cumbria's ask is an inline label ("· Ask of panel: what does good look like…"),
    # not a sub-heading; other places have "Asks of the panel:" sub-headings
    for question in ("What was North Cumbria's ask of the panel?",
                     "What did the chief operating officer of NHS North Cumbria CCG ask the panel?"):
        top = retriever.search(question, 3)[0].chunk
        assert top.section == "North Cumbria"
        assert "Ask of panel: what does good look like" in top.text


def test_a_question_bullet_heads_its_answers(retriever) -> None:
    answer = retriever.answer("What did Central Lancashire see as the main challenges?", 3)
    top = answer.hits[0].chunk
    assert top.heading_path[-1] == "Main challenges?"
    assert "Making sure that the system is working together" in top.text
    assert answer.answerable is True  # the sub-heading it names is evidence enough


@pytest.mark.parametrize("question, reason", [
    ("How many children in West Lancashire live in poverty?", "not from West Lancashire"),
    ("Who chaired the execs workshop?", "another meeting"),
    ("What is the smoking prevalence in Pennine Lancashire?", "figure"),
    ("What was the annual budget of Healthier Fleetwood?", "figure"),
    ("When is the next Health Equity Commission panel meeting scheduled?", "already held"),
])
def test_near_misses_are_not_answerable(retriever, question: str, reason: str) -> None:
    answer = retriever.answer(question, 5)
    assert answer.answerable is False
    assert reason in answer.reason


@pytest.mark.parametrize("question, figure", [
    ("What percentage of Fylde Coast children live in households receiving universal credit?",
     "42%"),
    ("How many days of early life did Pennine Lancashire prioritise for proactive action?",
     "1000 days"),
    ("Over how many years did a workshop participant want a shared vision to be reached?",
     "10 years"),
])
def test_questions_for_figures_find_them_and_are_answerable(retriever, question, figure) -> None:
    answer = retriever.answer(question, 5)
    assert answer.answerable is True
    assert figure in answer.hits[0].chunk.text


@pytest.mark.parametrize("question", [
    "When did North Cumbria present to the panel?",
    "On what date did Fylde Coast speak?",
    "What was the theme of the meeting at which Morecambe Bay spoke?",
])
def test_when_a_place_spoke_is_its_meetings_details(retriever, question: str) -> None:
    answer = retriever.answer(question, 3)
    top = answer.hits[0].chunk
    assert top.section == "Meeting details"
    assert "Learning from Integrated Care Partnerships" in top.text  # the panel, not the workshop
    assert answer.answerable is True


def test_a_place_the_records_never_mention_is_not_answerable(retriever) -> None:
    answer = retriever.answer("What did Greater Manchester ask of the panel?", 5)
    assert answer.answerable is False
    assert "Manchester" in answer.reason
    assert answer.hits  # the closest passages are still returned


def test_the_governance_ask_is_answerable_and_first(retriever) -> None:
    answer = retriever.answer("What did Pennine Lancashire ask about governance?", 5)
    assert answer.answerable is True
    assert "robust governance" in answer.hits[0].chunk.text


@pytest.mark.parametrize("question", [
    "What did Morecambe Bay ask of the panel?",
    "What were the asks of the panel from Fylde Coast?",
    "What are the key priorities for Pennine Lancashire?",
])
def test_highlights_mark_content_not_the_sub_heading_that_introduces_it(retriever, question) -> None:
    for hit in retriever.search(question, 5):
        c = hit.chunk
        spans = [c.text[a - c.start:b - c.start] for a, b in c.units]
        (h,) = hit.highlights
        marked = c.text[h.start - c.start:h.end - c.start]
        assert marked in spans
        if any(not s.rstrip().endswith(":") for s in spans):
            assert not marked.rstrip().endswith(":"), (question, marked)


def test_boosts_for_a_sub_heading_asked_of_two_places() -> None:
    from index.boosts import BoostWeights, MetadataBoosts
    from index.query import Mentions

    chunks = [_chunk(0, "Fylde Coast", (), "Fylde Coast\nSpeakers: Steve Fogg, Chair", role="speakers"),
              _chunk(1, "Fylde Coast", ("Asks of the panel",), "· Promote the work"),
              _chunk(2, "West Lancashire", (), "West Lancashire\nSpeakers: Greg Mitten, Chair",
                     role="speakers"),
              _chunk(3, "West Lancashire", ("Asks of the panel",), "· Don't forget about us"),
              _chunk(4, "Morecambe Bay", ("Asks of the panel",), "· To agree system oversight")]
    found = Mentions(frozenset({"Fylde Coast", "West Lancashire"}), frozenset(), "what",
                     headings=frozenset({"Asks of the panel"}))
    bonus, shaped = MetadataBoosts(chunks).compute(found, BoostWeights(0.4, 0.4, 0.1, 0.1, 0.4))
    assert shaped == {1, 3}  # the sub-heading inside the places named, not Morecambe Bay's
    assert bonus[1] == bonus[3] == pytest.approx(0.8)
    assert bonus[0] == bonus[2] == pytest.approx(0.0)  # speakers lines: place bonus taken back
    assert 4 not in bonus


# --- boosts read roles, not text -------------------------------------------------------------

def _weights():
    from index.boosts import BoostWeights
    return BoostWeights(0.5, 0.4, 0.2, 0.1, 0.4)


MINUTES = [
    _chunk(0, "Meeting details", (), "Board\nMonday 9 May 2022", doc="m", role="meeting-details",
           kind="preamble"),
    _chunk(1, "Attendance", (), "Apologies:\nJo Bell", doc="m", role="attendance", kind="attendance"),
    _chunk(2, "3. Grants", (), "3.4 The Board approved option A", doc="m", role="decision", kind="item"),
    _chunk(3, "3. Grants", (), "3.5 For 7, against 2", doc="m", role="vote", kind="item"),
    _chunk(4, "3. Grants", (), "Publish it — Owner: Jo Bell", doc="m", role="action", kind="item"),
    _chunk(5, "3. Grants", (), "3.1 The paper was introduced", doc="m", role="body", kind="item"),
    # notes that look like a speakers line or meeting details but are not
    _chunk(6, "Meeting details", (), "Speakers: nobody", doc="n", role="body", kind="topic"),
]


@pytest.mark.parametrize(("intent", "rows"), [
    ("attendance", {1}), ("decision", {2, 3}), ("vote", {2, 3}), ("action", {4}), ("when", {0}),
    ("speakers", set()),
])
def test_intents_boost_the_passages_of_their_role(intent: str, rows: set[int]) -> None:
    from index.boosts import MetadataBoosts
    from index.query import Mentions

    found = Mentions(frozenset(), frozenset(), "x", intents=frozenset({intent}))
    bonus, _ = MetadataBoosts(MINUTES).compute(found, _weights())
    assert {i for i, v in bonus.items() if v > 0} == rows


def test_the_nth_prompt_is_the_nth_prompt_section_of_its_record() -> None:
    from index.boosts import MetadataBoosts
    from index.query import Mentions

    chunks = [_chunk(0, "Warm-up", (), "· hello", doc="w", kind="topic"),
              _chunk(1, "When did you last feel heard?", (), "When did you last feel heard?\n· a",
                     doc="w", kind="prompt"),
              _chunk(2, "When did you last feel heard?", (), "· b", doc="w", kind="prompt"),
              _chunk(3, "9. What gets in the way?", (), "9. What gets in the way?\n· c", doc="w",
                     kind="prompt")]
    boosts = MetadataBoosts(chunks)
    assert boosts.by_number[1] == [1, 2] and boosts.by_number[2] == [3]  # not "9"
    found = Mentions(frozenset(), frozenset(), "x", intents=frozenset({"prompt", "prompt_text"}),
                     ordinal=2)
    bonus, shaped = boosts.compute(found, _weights())
    assert shaped == {3} and 0 not in bonus


def test_groups_and_meeting_details_are_not_places_to_name() -> None:
    d = MentionDetector([_chunk(0, "Online contributions", (), "Online contributions", role="heading",
                                kind="group"),
                         _chunk(1, "Meeting details", (), "Board\n9 May 2022", role="meeting-details",
                                kind="preamble"),
                         _chunk(2, "Riverside North", (), "· housing")])
    assert d.find("What were the online contributions?").sections == frozenset()
    assert d.find("What are the meeting details?").sections == frozenset()
    assert d.find("What did Riverside say about housing?").sections == {"Riverside North"}


@pytest.mark.parametrize("question, intents", [
    ("Who sent apologies to the board on 9 May?", {"attendance"}),
    ("Who attended for Riverside?", {"attendance", "speakers"}),
    ("attendance at the session in May", {"attendance"}),
    # "attend" without "who" or a meeting near it asks about something else
    ("What did one attendee say should be fixed first?", set()),
    ("Why have older people stopped attending the lunch club?", set()),
    ("How did the vote on the grants go?", {"vote"}),
    ("What was decided about the underspend?", {"decision"}),
    ("ethnicity audit action owner and due date", {"action"}),
    ("Who owns the action to publish the prospectus?", {"action"}),
])
def test_intents_of_minutes(detector, question: str, intents: set[str]) -> None:
    assert set(detector.find(question).intents) == intents


def test_the_headings_of_an_attendance_list_are_not_sub_headings_to_name() -> None:
    d = MentionDetector([_chunk(0, "Attendance", ("Present",), "Present:\nAda Okon", role="attendance",
                                kind="attendance"),
                         _chunk(1, "Riverside", ("Recommendations",), "· housing")])
    assert d.find("What did Riverside present?").headings == frozenset()
    assert d.find("What did Riverside recommend?").headings == {"Recommendations"}


def test_a_stop_word_is_no_key_to_a_section_and_abbreviations_of_known_words_are_known() -> None:
    d = MentionDetector([_chunk(0, "About the workshop", (), "· 57 residents took part", kind="topic"),
                         _chunk(1, "Harbour", (), "· the primary care network", kind="place")])
    assert d.find("What was decided about the underspend?").sections == frozenset()
    assert d.find("Who is the clinical director of Harbour PCN?").unknown == ()
    assert d.find("Who leads the Harbour ICS?").unknown == ("ICS",)  # its long form is not used


def test_only_a_place_is_named_by_its_first_word() -> None:
    d = MentionDetector([_chunk(0, "Money worries and mental health", (), "· debts", kind="topic"),
                         _chunk(1, "Riverside North", (), "· housing", kind="place")])
    assert d.find("How much money was spent?").sections == frozenset()
    named = d.find("What about money worries and mental health?")
    assert named.topics == {"Money worries and mental health"}  # named, boosted…
    assert named.sections == frozenset()  # …but a topic's words do not confine the answer
    assert d.find("What did Riverside say?").sections == {"Riverside North"}


def test_the_notes_of_the_words_of_a_person_asked_about_are_boosted() -> None:
    from index.boosts import MetadataBoosts
    from index.query import Mentions

    chunks = [_chunk(0, "Key points", (), "· Sam pointed out that health has focused on hospitals",
                     doc="w", kind="topic"),
              _chunk(1, "Key points", (), "· Health has focused on hospitals", doc="w", kind="topic"),
              _chunk(2, "Notes", (), "· Sam Lee, a resident, said buses stop at six", doc="e", kind="topic")]
    boosts = MetadataBoosts(chunks)
    bonus, _ = boosts.compute(Mentions(frozenset(), frozenset(), "x", quoted="Sam"), _weights())
    assert {i for i, v in bonus.items() if v > 0} == {0}  # "Sam Lee…, said" quotes "Lee"
    bonus, _ = boosts.compute(Mentions(frozenset(), frozenset(), "x", quoted="Sam Lee"), _weights())
    assert {i for i, v in bonus.items() if v > 0} == {0, 2}


def test_a_kind_of_meeting_names_every_meeting_of_that_kind() -> None:
    d = MentionDetector([_chunk(0, "Riverside", (), "· housing", title="Vale Panel Meeting: Homes", doc="p1"),
                         _chunk(1, "Hillside", (), "· jobs", title="Vale Panel Meeting: Work", doc="p2"),
                         _chunk(2, "1. Welcome", (), "· quorate", title="Programme Board Minutes", doc="b",
                                kind="item")])
    assert d.find("Who chaired the panel meeting?").kind_documents == {"p1", "p2"}
    assert d.find("Who chaired the programme board?").kind_documents == frozenset()  # its own key
    assert d.find("Who chaired the programme board?").documents == {"b"}
    assert d.find("Who chaired the meeting?").kind_documents == frozenset()


def test_document_keys_are_words_of_one_title_only_and_rare_in_the_text() -> None:
    from index.query import _document_keys

    titles = {"a": "Harbour Housing Workshop", "b": "Harbour Transport Panel",
              "c": "Moorland Transport Panel"}
    chunks = [_chunk(i, "Place", (), "· buses and trains") for i in range(5)]
    # "harbour", "transport", "panel": in two titles, so they name no one meeting
    assert sorted(_document_keys(titles, chunks)) == [
        ("housing", "a"), ("moorland", "c"), ("workshop", "a")]
    # a title word common in the passages' text names nothing either
    chunks += [_chunk(9 + i, "Place", (), "· housing") for i in range(3)]
    assert sorted(_document_keys(titles, chunks)) == [("moorland", "c"), ("workshop", "a")]
