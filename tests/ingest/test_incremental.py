"""Re-ingest is incremental: an unchanged corpus embeds nothing; changed, removed and added files
are updated, removed and added, and only new text is embedded."""

from __future__ import annotations

import shutil

from index import store
from index.retriever import load
from ingest.pipeline import ingest

NEW_DOC = """Added Record Meeting
Tuesday 2nd of March 2021
Harbour Town
Speakers: Nora Example, Director of Harbour Services
· Ferry timetables make clinic appointments hard to reach for island residents
· A pilot of evening clinics on the island is proposed for next spring
"""


def test_unchanged_corpus_embeds_nothing(tmp_path, built_index, corpus_dir, encoder):
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    target = tmp_path / "ix" / built_index.name
    gen = store.resolve(target)
    report = ingest([corpus_dir], target, encoder=encoder)
    assert report.exit_code == 0
    assert report.embedded == 0 and not report.published
    assert {f.status for f in report.files} == {"unchanged"}
    assert all(f.chunks > 0 for f in report.files)
    assert store.resolve(target) == gen


def test_changed_removed_added(tmp_path, built_index, corpus_dir, encoder):
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    target = tmp_path / "ix" / built_index.name
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    names = sorted(p.name for p in corpus.iterdir())
    changed, removed = "2021-03-01_script-test.txt", "2021-11-04_execs-workshop.txt"
    assert {changed, removed} <= set(names)
    with open(corpus / changed, "a", encoding="utf-8") as fh:
        fh.write("· A third bullet about waiting lists for community dental services\n")
    (corpus / removed).unlink()
    (corpus / "2021-03-02_added.txt").write_text(NEW_DOC, encoding="utf-8")
    old_total = load(target, encoder=encoder).manifest.data["counts"]["chunks"]

    report = ingest([corpus], target, encoder=encoder)

    statuses = {f.source: f.status for f in report.files}
    assert statuses[changed] == "updated"
    assert statuses[removed] == "removed"
    assert statuses["2021-03-02_added.txt"] == "added"
    assert [s for n, s in statuses.items()
            if n not in (changed, removed, "2021-03-02_added.txt")] == ["unchanged"]
    assert report.exit_code == 0 and report.published
    assert 0 < report.embedded and report.reused > 0
    assert report.embedded < old_total  # the unchanged record is not embedded again

    r = load(target, encoder=encoder)
    assert {d.source for d in r.documents.values()} == set(statuses) - {removed}
    hits = r.search("community dental services waiting lists", k=3)
    assert hits[0].chunk.document_id == next(d.id for d in r.documents.values()
                                             if d.source == changed)
    assert "dental" in hits[0].chunk.text
    hits = r.search("ferry timetables island clinics", k=3)
    assert hits[0].chunk.title == "Added Record Meeting"

    again = ingest([corpus], target, encoder=encoder)  # and now nothing is left to do
    assert again.embedded == 0 and not again.published
    assert {f.status for f in again.files} == {"unchanged"}


def test_index_without_onnx_encoder_gets_one_without_embedding(tmp_path, corpus_dir, encoder):
    from ingest.pipeline import IngestOptions

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_dir / "2021-03-01_script-test.txt", corpus)
    target = tmp_path / "index"
    first = ingest([corpus], target, IngestOptions(onnx=False), encoder=encoder)
    assert first.published and not (store.resolve(target) / "model.onnx").exists()
    again = ingest([corpus], target, encoder=encoder)  # default: with the ONNX encoder
    assert again.published and again.embedded == 0
    assert {f.status for f in again.files} == {"unchanged"}
    assert (store.resolve(target) / "model.onnx").is_file()
    third = ingest([corpus], target, encoder=encoder)
    assert not third.published


def test_rechunking_from_the_cache_gives_the_vectors_of_a_fresh_build(tmp_path, sample_paths,
                                                                      encoder):
    """Other chunker settings regroup passages: a sentence that was a whole passage (its vector
    embedded with the heading header) becomes one unit of a larger passage. Reusing cached
    vectors must give exactly what a fresh build computes."""
    import faiss
    import numpy as np

    from ingest.chunking import ChunkerSettings
    from ingest.pipeline import IngestOptions

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    panel = next(p for p in sample_paths if "panel-meeting" in p.name)
    shutil.copy(panel, corpus)
    small = IngestOptions(onnx=False, chunker=ChunkerSettings(group_max_chars=120,
                                                              merge_target_chars=100))
    large = IngestOptions(onnx=False)
    ingest([corpus], tmp_path / "cached", small, encoder=encoder)
    again = ingest([corpus], tmp_path / "cached", large, encoder=encoder)
    assert again.published and again.reused > 0
    ingest([corpus], tmp_path / "fresh", large, encoder=encoder)

    def vectors(target):
        gen = store.resolve(target)
        index = faiss.read_index(str(gen / store.FAISS_FILE))
        return index.reconstruct_n(0, index.ntotal), np.load(gen / store.UNITS_FILE)

    (cached_chunks, cached_units), (fresh_chunks, fresh_units) = \
        vectors(tmp_path / "cached"), vectors(tmp_path / "fresh")
    assert cached_units.shape == fresh_units.shape
    np.testing.assert_allclose(cached_chunks, fresh_chunks, atol=1e-6)
    np.testing.assert_allclose(cached_units, fresh_units, atol=1e-6)
