"""Abbreviations expanded for search (core/glossary.py)."""

from __future__ import annotations

import pytest

from core import glossary


def test_every_entry_is_an_abbreviation_and_an_expansion() -> None:
    entries = glossary.entries()
    assert len(entries) >= 20
    shorts = [s for s, _ in entries]
    assert len(shorts) == len(set(shorts))
    assert all(s and " " not in s and len(long.split()) >= 2 for s, long in entries)


def test_text_gets_the_expansion_after_each_whole_word_abbreviation() -> None:
    assert glossary.expand_text("address SDoH: see A&E") == \
        "address SDoH (social determinants of health): see A&E (accident and emergency)"
    assert glossary.expand_text("GPs and a GP") == \
        "GPs (general practitioners) and a GP (general practitioner)"
    # not inside a longer word, and case-sensitive
    assert glossary.expand_text("ICSs, nhs, PICS") == "ICSs, nhs, PICS"


@pytest.mark.parametrize("question, appended", [
    ("What is needed to address the social determinants of health?", " (SDH; SDoH)"),
    ("Who spoke for the voluntary, community, faith and social enterprise sector?", " (VCFSE)"),
    ("What did the VCFSE say?", " (voluntary, community, faith and social enterprise)"),
    ("What did the panel ask?", ""),
])
def test_a_question_gets_the_other_form_appended(question: str, appended: str) -> None:
    assert glossary.expand_query(question) == question + appended


def test_the_fingerprint_changes_with_the_entries(monkeypatch, tmp_path) -> None:
    before = glossary.fingerprint()
    other = tmp_path / "glossary.tsv"
    other.write_text("XYZ\tx y z\n", encoding="utf-8")
    monkeypatch.setattr(glossary, "GLOSSARY_FILE", other)
    glossary.entries.cache_clear()
    glossary._patterns.cache_clear()
    try:
        assert glossary.fingerprint() != before
        assert glossary.expand_text("XYZ") == "XYZ (x y z)"
    finally:
        monkeypatch.undo()
        glossary.entries.cache_clear()
        glossary._patterns.cache_clear()
    assert glossary.fingerprint() == before


def test_a_malformed_line_is_reported_with_its_number(monkeypatch, tmp_path) -> None:
    bad = tmp_path / "glossary.tsv"
    bad.write_text("# comment\nOK\tfine one\nno tab here\n", encoding="utf-8")
    monkeypatch.setattr(glossary, "GLOSSARY_FILE", bad)
    glossary.entries.cache_clear()
    try:
        with pytest.raises(ValueError, match="line 3"):
            glossary.entries()
    finally:
        monkeypatch.undo()
        glossary.entries.cache_clear()
