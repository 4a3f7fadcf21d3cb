"""The index directory: what is on disk, how it is written, verified and published atomically.

Layout of one index generation (all plain files, no pickle)::

    manifest.json    format version, model (name, weights sha256, dim), chunker settings,
                     documents (id, source, content hash), counts, versions, and the sha256 and
                     size of every other file
    index.faiss      FAISS index, inner product over L2-normalised vectors (row i = chunk i)
    chunks.jsonl     one Chunk per line, in FAISS row order
    documents.jsonl  one document per line: metadata, sections with spans, speakers and text
    units.npy        float32 vectors of every chunk's units (sentences/bullets), for highlights
    bm25/            bm25s index (numpy arrays + JSON vocabulary and parameters)

A generation built on the Milvus backend (``index.backends``) holds the manifest, chunks.jsonl
and documents.jsonl only: its vectors and BM25 index are collections in Milvus that the
manifest's ``backend`` record names.

Publishing: a build is written into ``.<name>.generations/tmp-<id>/`` beside the target, every
file and the folder are fsynced, the folder is renamed to its generation id, and the target — a
symbolic link — is replaced with ``os.replace`` (atomic on POSIX). A crash at any point leaves
the previous generation in place and the link pointing at it; leftovers are removed by the next
build (:func:`cleanup`). Readers resolve the link once, so they always see one whole generation.

Concurrency: an ingest holds an exclusive ``flock`` on ``.<name>.ingest.lock`` beside the target
(:func:`ingest_lock`), so a second ingest of the same index waits or stops. Each build folder is
also ``flock``-ed by the process writing it until it is published or abandoned
(:func:`release_builds`); :func:`cleanup` removes only build folders whose lock is free (their
writer is gone), never another live build. :func:`publish` refuses a build whose manifest does
not list every required file.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import IndexCorrupt, IndexError_, IndexMismatch, IndexNotFound
from encoders.embedding import file_sha256
from index.locks import (  # ingest_lock and lock_path: re-exported, part of the store's API
    held_by_someone,
    ingest_lock,  # noqa: F401
    lock_folder,
    lock_path,  # noqa: F401
)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FAISS_FILE = "index.faiss"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
UNITS_FILE = "units.npy"
BM25_DIR = "bm25"
KEEP_GENERATIONS = 2
# every generation holds these (besides the manifest); the manifest must list them all
REQUIRED_FILES = (FAISS_FILE, CHUNKS_FILE, DOCUMENTS_FILE, UNITS_FILE)
REQUIRED_PREFIXES = (BM25_DIR + "/",)
REMOTE_REQUIRED_FILES = (CHUNKS_FILE, DOCUMENTS_FILE)  # vectors and BM25 in Milvus
# a folder being created (before its lock is taken) is named .new-*; one older than this is a
# leftover of a crash in that instant and is removed by cleanup
_NEW_STALE_SECONDS = 3600
_build_locks: dict[Path, int] = {}  # build folder (as created) -> fd holding its flock


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def model(self) -> dict[str, Any]:
        return self.data["model"]

    @property
    def documents(self) -> list[dict[str, Any]]:
        return self.data["documents"]

    def summary(self) -> dict[str, Any]:
        keys = ("format_version", "created_at", "package_version", "model", "counts", "index")
        return {k: self.data.get(k) for k in keys} | {"generation": self.data.get("generation")}


def generations_dir(target: Path) -> Path:
    return target.parent / f".{target.name}.generations"


def new_build_dir(target: Path) -> Path:
    """A new build folder ``tmp-<id>``, locked by this process until :func:`publish` or
    :func:`release_builds`. It is created under another name and renamed once locked, so no
    :func:`cleanup` can see it unlocked."""
    gens = generations_dir(target)
    gens.mkdir(parents=True, exist_ok=True)
    now = time.time()  # microseconds: generations sort in the order they were built
    ident = f"{time.strftime('%Y%m%dT%H%M%S', time.localtime(now))}.{int(now % 1 * 1e6):06d}-" \
            f"{uuid.uuid4().hex[:8]}"
    fresh, path = gens / f".new-{ident}", gens / f"tmp-{ident}"
    fresh.mkdir()
    fd = lock_folder(fresh)  # a new folder: nobody else can hold it
    os.rename(fresh, path)
    _build_locks[path] = fd
    return path


def release_builds(target: Path) -> None:
    """Drop this process's locks on the build folders of ``target`` (after publish or failure);
    an unpublished one becomes a leftover for the next :func:`cleanup`."""
    gens = generations_dir(target)
    for path in [p for p in _build_locks if p.parent == gens]:
        os.close(_build_locks.pop(path))


def _fsync_tree(path: Path) -> None:
    for root, dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        for name in dirs + ["."]:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def file_digests(build: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(build.rglob("*")):
        if p.is_file() and p.name != MANIFEST:
            rel = p.relative_to(build).as_posix()
            out[rel] = {"sha256": file_sha256(p), "bytes": p.stat().st_size}
    return out


def write_manifest(build: Path, data: dict[str, Any]) -> Manifest:
    data = dict(data)
    data["format_version"] = FORMAT_VERSION
    data["generation"] = build.name
    data["files"] = file_digests(build)
    tmp = build / (MANIFEST + ".part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, build / MANIFEST)
    return Manifest(data)


def missing_files(gen: Path, files: Any, backend: Any = None) -> list[str]:
    """Required files the manifest's ``files`` does not list, or that are not on disk. A
    generation whose vectors live in Milvus (``backend`` record) holds only its metadata."""
    listed = files if isinstance(files, dict) else {}
    remote = isinstance(backend, dict) and backend.get("name") == "milvus"
    required, prefixes = (REMOTE_REQUIRED_FILES, ()) if remote else (REQUIRED_FILES, REQUIRED_PREFIXES)
    missing = [name for name in required if name not in listed]
    missing += [p + "…" for p in prefixes if not any(k.startswith(p) for k in listed)]
    missing += [rel for rel in listed if not (gen / rel).is_file()]
    return missing


def publish(build: Path, target: Path) -> Path:
    """Make ``build`` the index at ``target``, atomically. Returns the generation folder.
    Refuses (:class:`IndexCorrupt`) a build whose manifest does not list every required file or
    whose files are not all there."""
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"build {build.name} has no readable {MANIFEST}: {exc}") from exc
    missing = missing_files(build, manifest.get("files"), manifest.get("backend"))
    if missing:
        raise IndexCorrupt(f"build {build.name} is incomplete (missing {', '.join(missing)}); "
                           "not published")
    try:
        return _publish(build, target, manifest)
    except FileNotFoundError as exc:
        raise IndexError_(f"build {build.name} disappeared while being published "
                          f"({exc.strerror}: {Path(str(exc.filename)).name})") from exc


def _publish(build: Path, target: Path, manifest: dict[str, Any]) -> Path:
    _fsync_tree(build)
    final = build.with_name(build.name.removeprefix("tmp-"))
    os.rename(build, final)
    if manifest.get("generation") != final.name:  # the id readers see once published
        manifest["generation"] = final.name
        tmp = final / (MANIFEST + ".part")
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, final / MANIFEST)
    _fsync_tree(final)
    if target.exists() and not target.is_symlink():
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        else:
            raise IndexError_(f"{target} exists and is not an index link; move it away first")
    link = target.parent / f".{target.name}.link-{final.name}"  # cleanup: stray once unlocked
    os.symlink(os.path.relpath(final, target.parent), link)
    os.replace(link, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if build in _build_locks:  # published: the folder is no longer a build
        os.close(_build_locks.pop(build))
    return final


def cleanup(target: Path, keep: int = KEEP_GENERATIONS) -> list[Path]:
    """Remove abandoned builds (their lock is free: the process that wrote them is gone), stray
    links and all but the newest ``keep`` generations. A build another process is still
    writing is left alone."""
    removed: list[Path] = []
    gens = generations_dir(target)
    current = target.resolve() if target.is_symlink() else None
    for link in target.parent.glob(f".{target.name}.link-*"):
        if not held_by_someone(gens / link.name.split(".link-", 1)[1]):  # not being published
            link.unlink(missing_ok=True)
            removed.append(link)
    if not gens.is_dir():
        return removed
    finished = []
    for p in gens.iterdir():
        if p.name.startswith("tmp-"):
            if not held_by_someone(p):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
        elif p.name.startswith(".new-"):
            try:
                stale = time.time() - p.stat().st_mtime > _NEW_STALE_SECONDS
            except OSError:
                continue
            if stale:
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
        elif p.is_dir() and not held_by_someone(p):  # (a held one is being published)
            finished.append(p)
    finished.sort(key=lambda p: p.name, reverse=True)
    kept = 0
    for p in finished:
        if current is not None and p.resolve() == current:
            continue
        kept += 1
        if kept >= keep and p != _current(target):  # (the link may have moved meanwhile)
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def _current(target: Path) -> Path | None:
    return target.resolve() if target.is_symlink() else None


def resolve(index_dir: Path) -> Path:
    """The generation folder an index path points at (the path itself if it is a folder)."""
    if not index_dir.exists():
        raise IndexNotFound(f"no index at {index_dir}; build one with: commission-qa ingest "
                            f"data/transcripts --index-dir {index_dir}")
    real = index_dir.resolve()
    if real.name.startswith("tmp-"):
        raise IndexCorrupt(f"{index_dir} points at an unfinished build ({real.name})")
    return real


def read_manifest(gen: Path, expect_model: dict[str, Any] | None = None,
                  verify_files: bool = True) -> Manifest:
    """Read and validate a generation's manifest (and, by default, every file's hash)."""
    path = gen / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexCorrupt(f"{gen} has no {MANIFEST}: not an index, or an unfinished one") from exc
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path} is unreadable: {exc}") from exc
    if data.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(f"index format {data.get('format_version')!r} is not the supported "
                            f"format {FORMAT_VERSION}; rebuild the index with this version")
    if expect_model is not None:
        built = data.get("model", {})
        for key in ("name", "weights_sha256", "dim"):
            if built.get(key) != expect_model.get(key):
                local = any(str(m.get("name", "")).startswith("local:") for m in (built, expect_model))
                hint = ("; rebuild the index, or load it with --model-dir (COMMISSION_QA_MODEL_DIR) "
                        "set to the model folder it was built with" if local
                        else "; rebuild the index")
                raise IndexMismatch(
                    f"index was built with model {key}={built.get(key)!r} but "
                    f"this service uses {expect_model.get(key)!r}{hint}")
    files = data.get("files")
    missing = missing_files(gen, files, data.get("backend"))
    if missing:  # checked even without hashes: a generation without them cannot be served
        raise IndexCorrupt(f"index generation {gen.name} is incomplete: its manifest lists no "
                           f"or missing files ({', '.join(missing)}); rebuild the index")
    if verify_files:
        for rel, meta in files.items():
            p = gen / rel
            if not p.is_file():
                raise IndexCorrupt(f"index file {rel} is missing in {gen}")
            if p.stat().st_size != meta["bytes"] or file_sha256(p) != meta["sha256"]:
                raise IndexCorrupt(f"index file {rel} does not match the manifest's hash "
                                   "(truncated or edited); rebuild the index")
    return Manifest(data)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path.name} is unreadable: {exc}") from exc
