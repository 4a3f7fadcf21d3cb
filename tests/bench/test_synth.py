"""The synthetic transcript generator writes files that the real ingest parses as intended."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import write_corpus
from ingest.readers import read_text
from ingest.structure import parse


def test_generated_files_parse_into_the_expected_sections(tmp_path: Path) -> None:
    made = write_corpus(tmp_path, sections=60, seed=3, per_file=25)
    files = sorted(tmp_path.glob("*.txt"))
    assert made.files == len(files) == 3  # 25 + 25 + 10
    assert made.sections == 60
    total, speakers = 0, 0
    for path in files:
        text, fmt = read_text(path, 10_000_000)
        doc = parse(text, path.name, fmt)
        leaves = doc.leaf_sections()
        total += len(leaves)
        assert doc.date is not None and doc.date.startswith(path.name[:4])
        assert doc.title.startswith("Health Equity Commission Panel Meeting")
        assert all(section.speakers for _, section in leaves)
        speakers += sum(len(section.speakers) for _, section in leaves)
    assert total == made.sections
    assert speakers >= made.sections


def test_generation_is_deterministic_and_varied(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", sections=30, seed=7)
    b = write_corpus(tmp_path / "b", sections=30, seed=7)
    c = write_corpus(tmp_path / "c", sections=30, seed=8)
    ta = [p.read_text() for p in sorted((tmp_path / "a").glob("*.txt"))]
    assert ta == [p.read_text() for p in sorted((tmp_path / "b").glob("*.txt"))]
    assert ta != [p.read_text() for p in sorted((tmp_path / "c").glob("*.txt"))]
    assert a == b and c.sections == 30
    words = set(" ".join(ta).split())
    assert len(words) > 300


def test_ingest_indexes_generated_files(tmp_path: Path, encoder) -> None:
    from ingest.pipeline import IngestOptions, ingest

    write_corpus(tmp_path / "corpus", sections=8, seed=1, per_file=4)
    report = ingest([tmp_path / "corpus"], tmp_path / "index", IngestOptions(onnx=False),
                    encoder=encoder)
    assert report.exit_code == 0
    assert [f.status for f in report.files] == ["added", "added"]
    assert sum(f.chunks for f in report.files) >= 8


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_corpus(tmp_path, sections=0)
