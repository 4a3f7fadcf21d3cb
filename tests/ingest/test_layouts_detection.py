"""Detection: the highest score wins, generic is the fallback; the development records and the
sample records get the layout they are written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.layouts.registry import detect, parse
from ingest.readers import read
from tests.ingest.layout_records import GENERIC, MINUTES, PANEL, WORKSHOP

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "eval" / "records" / "dev"


@pytest.mark.parametrize(("text", "name"), [(PANEL, "panel"), (MINUTES, "minutes"),
                                            (WORKSHOP, "workshop"), (GENERIC, "generic")])
def test_hand_written_records(text, name):
    layout, scores = detect(text)
    assert layout.name == name
    assert scores[name] == max(scores.values())


def test_sample_records():
    for path, name in [("2021-11-04_execs-workshop.txt", "workshop"), (
            "2021-12-06_panel-meeting_learning-from-integrated-care-partnerships.txt", "panel")]:
        assert detect(read(ROOT / "data" / "transcripts" / path).text)[0].name == name


DEV_LAYOUTS = {"panel-meeting": "panel", "board-minutes": "minutes",
               "community-workshop": "workshop", "listening-event": "generic"}


@pytest.mark.parametrize("path", sorted(DEV.glob("*.*")) if DEV.is_dir() else [],
                         ids=lambda p: p.name)
def test_development_records(path):
    kind = next((v for k, v in DEV_LAYOUTS.items() if k in path.name), None)
    if kind is None:
        pytest.skip("a development record of a kind this test does not know")
    src = read(path)
    doc = parse(src.text, path.name, src.format, hints=src.hints)
    assert doc.layout == kind
    assert doc.date is not None and len(doc.sections) >= 3
    assert not any(s.name == "Introduction" for s in doc.sections)
    for s in doc.sections:
        assert doc.text[s.heading_start:s.heading_end].rstrip(":").startswith(s.name) or \
            s.kind == "attendance"
