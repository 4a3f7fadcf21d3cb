"""The index folder under concurrent writers: the ingest lock, build folders that cleanup leaves
alone while their writer lives, and publish refusing an incomplete generation."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.errors import IndexBusy, IndexCorrupt
from index import store

ROOT = Path(__file__).resolve().parents[2]


def fake_build(target: Path, skip: tuple[str, ...] = (), tag: str = "x") -> Path:
    """A build folder holding every required file (tiny placeholders) except ``skip``."""
    build = store.new_build_dir(target)
    for name in store.REQUIRED_FILES:
        if name not in skip:
            (build / name).write_text(tag, encoding="utf-8")
    (build / store.BM25_DIR).mkdir()
    (build / store.BM25_DIR / "params.index.json").write_text("{}", encoding="utf-8")
    store.write_manifest(build, {"model": {}, "documents": []})
    return build


def test_cleanup_leaves_a_live_build_and_removes_an_abandoned_one(tmp_path):
    target = tmp_path / "ix" / "index"
    build = store.new_build_dir(target)
    assert build.name.startswith("tmp-")
    assert build not in store.cleanup(target) and build.is_dir()  # its writer still holds it
    store.release_builds(target)  # the writer gave up (or died)
    assert build in store.cleanup(target) and not build.exists()


def test_cleanup_leaves_another_process_build_alone(tmp_path):
    target = tmp_path / "ix" / "index"
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from index import store\n"
         "print(store.new_build_dir(Path(sys.argv[1])), flush=True)\ntime.sleep(60)\n",
         str(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        build = Path(child.stdout.readline().strip())
        assert build.is_dir()
        store.cleanup(target)
        assert build.is_dir()  # the other process is still writing it
    finally:
        child.kill()
        child.wait(30)
    store.cleanup(target)
    assert not build.exists()  # its writer is gone: a leftover


def test_cleanup_races_builds_without_losing_one(tmp_path):
    """A writer building and publishing 40 generations while another thread runs cleanup in a
    loop: every publish succeeds and the index always points at a complete generation."""
    target = tmp_path / "ix" / "index"
    stop, errors = threading.Event(), []

    def cleaner() -> None:
        while not stop.is_set():
            try:
                store.cleanup(target)
            except Exception as exc:  # noqa: BLE001 - recorded, asserted below
                errors.append(exc)

    thread = threading.Thread(target=cleaner)
    thread.start()
    try:
        for i in range(40):
            build = fake_build(target, tag=str(i))
            store.publish(build, target)
            gen = store.resolve(target)
            store.read_manifest(gen, verify_files=True)
            assert (gen / store.FAISS_FILE).read_text(encoding="utf-8") == str(i)
    finally:
        stop.set()
        thread.join(30)
    assert errors == []


def test_publish_refuses_an_incomplete_build(tmp_path):
    target = tmp_path / "ix" / "index"
    store.publish(fake_build(target, tag="good"), target)
    good = store.resolve(target)
    for missing in (store.CHUNKS_FILE, store.FAISS_FILE, store.DOCUMENTS_FILE):
        build = fake_build(target, skip=(missing,))
        with pytest.raises(IndexCorrupt, match=missing):
            store.publish(build, target)
        assert store.resolve(target) == good
    store.release_builds(target)
    store.cleanup(target)
    assert store.resolve(target) == good and good.is_dir()


def test_publish_refuses_a_build_whose_files_went_missing(tmp_path):
    target = tmp_path / "ix" / "index"
    build = fake_build(target)
    (build / store.UNITS_FILE).unlink()  # listed in the manifest, gone from the disk
    with pytest.raises(IndexCorrupt, match=store.UNITS_FILE):
        store.publish(build, target)
    assert not target.exists()


def test_manifest_without_files_is_refused_even_without_hashes(tmp_path):
    target = tmp_path / "ix" / "index"
    gen = store.publish(fake_build(target), target)
    data = json.loads((gen / store.MANIFEST).read_text(encoding="utf-8"))
    del data["files"]
    (gen / store.MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    for verify in (True, False):
        with pytest.raises(IndexCorrupt, match="incomplete"):
            store.read_manifest(gen, verify_files=verify)


def test_ingest_lock_is_exclusive_and_waits(tmp_path):
    target = tmp_path / "ix" / "index"
    with store.ingest_lock(target):
        t0 = time.monotonic()
        with pytest.raises(IndexBusy, match="another ingest"):
            with store.ingest_lock(target, wait=0.3):
                pass
        assert time.monotonic() - t0 >= 0.3
    released = threading.Event()

    def hold() -> None:
        with store.ingest_lock(target):
            released.wait(5)
            time.sleep(0.2)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    released.set()
    with store.ingest_lock(target, wait=10):  # waits for the holder, then gets it
        assert not holder.is_alive()
    holder.join(10)


def test_ingest_lock_is_released_when_its_process_dies(tmp_path):
    target = tmp_path / "ix" / "index"
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from index import store\n"
         "with store.ingest_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n"
         "    time.sleep(60)\n", str(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusy):
            with store.ingest_lock(target):
                pass
    finally:
        child.kill()
        child.wait(30)
    with store.ingest_lock(target):  # no stale lock after a kill
        pass
