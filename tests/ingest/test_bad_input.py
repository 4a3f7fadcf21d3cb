"""Ingest of a folder of bad files: each is reported with its reason (report and CLI table), the
good ones are indexed, the previous index stays intact, and the exit codes say what happened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commission_qa.cli import app
from index import store
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parents[2]
UNSTRUCTURED = ("the minutes were lost and this is what someone remembered of the day "
                "people talked about housing and money and the weather for a long while "
                "and then everyone went home without agreeing on anything in particular\n")


def copy_index(built_index: Path, dest: Path) -> Path:
    """A private copy of the session index (its link and generations), to be modified freely."""
    shutil.copytree(built_index.parent, dest, symlinks=True)
    return dest / built_index.name


def snapshot(index: Path) -> dict[str, bytes]:
    gen = store.resolve(index)
    return {p.relative_to(gen).as_posix(): p.read_bytes() for p in sorted(gen.rglob("*"))
            if p.is_file()}


def make_textless_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text layer (like a scanned page)
    pdf.output(str(path))


def bad_folder(folder: Path, sample_paths: list[Path]) -> dict[str, str]:
    """Write the bad files; return {file name: a word its failure reason must contain}."""
    folder.mkdir()
    for p in sample_paths:
        shutil.copy(p, folder / p.name)
    (folder / "unstructured.txt").write_text(UNSTRUCTURED, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(512))
    (folder / "latin1.txt").write_bytes("Café meeting — naïve £5 budgets\n".encode("latin-1",
                                                                                   "replace"))
    with open(folder / "huge.txt", "wb") as fh:  # 50 MB, sparse: instant to create
        fh.write(b"Huge file\n")
        fh.truncate(50 * 1024 * 1024)
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive" * 20)
    make_textless_pdf(folder / "scanned.pdf")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    (folder / "notes.bin").write_bytes(b"whatever")
    return {"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "UTF-8",
            "huge.txt": "too large", "corrupt.docx": "corrupt", "scanned.pdf": "no extractable text",
            "loop-a.txt": "symlink loop", "loop-b.txt": "symlink loop",
            "notes.bin": "unsupported file type"}


@pytest.fixture()
def index_copy(tmp_path: Path, built_index: Path) -> Path:
    return copy_index(built_index, tmp_path / "indexes")


def test_bad_files_reported_rest_indexed(tmp_path, index_copy, sample_paths, encoder):
    before_gen = store.resolve(index_copy)
    before = snapshot(index_copy)
    expected = bad_folder(tmp_path / "in", sample_paths)

    report = ingest([tmp_path / "in"], index_copy, encoder=encoder)

    assert report.exit_code == 1
    failed = {f.source: f.reason for f in report.failed}
    assert set(failed) == set(expected)
    for name, word in expected.items():
        assert word.casefold() in failed[name].casefold(), (name, failed[name])
    assert "50 MB" not in failed["huge.txt"] and "52,428,800" in failed["huge.txt"]
    ok = {f.source: f.status for f in report.files if f.status != "failed"}
    assert ok == {"unstructured.txt": "added", "2021-03-01_script-test.txt": "removed",
                  **{p.name: "unchanged" for p in sample_paths}}
    assert report.published
    # the new generation holds the good files; the previous one is still on disk, unchanged
    from index.retriever import load

    r = load(index_copy, encoder=encoder)
    assert {d.source for d in r.documents.values()} == {"unstructured.txt",
                                                       *(p.name for p in sample_paths)}
    assert store.resolve(index_copy) != before_gen
    assert {p.relative_to(before_gen).as_posix(): p.read_bytes()
            for p in sorted(before_gen.rglob("*")) if p.is_file()} == before
    store.read_manifest(before_gen, verify_files=True)


def test_cli_table_lists_each_failure_and_exits_1(tmp_path, index_copy, sample_paths, encoder,
                                                  monkeypatch):
    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "TorchEncoder", lambda info: encoder)  # no second model load
    expected = bad_folder(tmp_path / "in", sample_paths)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--index-dir",
                                      str(index_copy), "--quiet"], env={"COLUMNS": "300"})
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for name, word in expected.items():
        row = next((ln for ln in lines if f" {name} " in ln), None)
        assert row is not None, (name, result.output)
        assert "failed" in row and word.casefold() in row.casefold(), row
    assert any(" unstructured.txt " in ln and "added" in ln for ln in lines)


def test_nothing_ingestible_exits_2_and_keeps_index(tmp_path, index_copy, sample_paths):
    expected = bad_folder(tmp_path / "in", sample_paths)
    for p in sample_paths:
        (tmp_path / "in" / p.name).unlink()
    (tmp_path / "in" / "unstructured.txt").unlink()
    before_gen, before = store.resolve(index_copy), snapshot(index_copy)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--index-dir",
                                      str(index_copy), "--quiet"], env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    assert "published: False" in result.output
    assert all(name in result.output for name in expected)
    assert store.resolve(index_copy) == before_gen and snapshot(index_copy) == before
    assert not [p for p in store.generations_dir(index_copy).iterdir()
                if p.name.startswith("tmp-")]


def test_empty_folder_exits_2(tmp_path, index_copy):
    (tmp_path / "nothing").mkdir()
    before = snapshot(index_copy)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nothing"), "--index-dir",
                                      str(index_copy), "--quiet"])
    assert result.exit_code == 2
    assert snapshot(index_copy) == before


# Linux: prctl(PR_CAPBSET_DROP) for CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, then exec: the new
# program runs as root without the two capabilities that let root read any file
_DROP_DAC = ("import ctypes, os, sys\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "for cap in (1, 2):\n"
             "    if libc.prctl(24, cap, 0, 0, 0) != 0:\n"
             "        sys.exit(97)\n"
             "os.execv(sys.executable, [sys.executable, '-m', 'commission_qa', *sys.argv[1:]])\n")


def test_unreadable_file_is_reported(tmp_path):
    """chmod 000 does not stop root. Running the ingest as another user (``nobody``) made the
    test depend on where the checkout lives: in a private folder (``mktemp -d``, mode 0700)
    that user cannot reach the interpreter, the project or the model. So when the tests run as
    root, the ingest runs as root without the capabilities that bypass file permissions: a file
    of mode 000 is then unreadable while everything the process owns stays readable."""
    folder = tmp_path / "in"
    folder.mkdir()
    secret = folder / "locked.txt"
    secret.write_text("Locked Meeting\nSpeakers: A Person\n· a bullet\n", encoding="utf-8")
    secret.chmod(0o000)
    args = ["ingest", str(folder), "--index-dir", str(tmp_path / "index"), "--quiet"]
    command = [sys.executable, "-c", _DROP_DAC, *args] if os.geteuid() == 0 else \
        [sys.executable, "-m", "commission_qa", *args]
    env = {**os.environ, "COLUMNS": "300"}
    try:
        proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
    finally:
        secret.chmod(0o600)
    if proc.returncode == 97:
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE (no CAP_SETPCAP)")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    row = next(ln for ln in proc.stdout.splitlines() if " locked.txt " in ln)
    assert "failed" in row and "permission denied" in row.casefold(), row
