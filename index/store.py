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

Publishing: a build is written into ``.<name>.generations/tmp-<id>/`` beside the target, every
file and the folder are fsynced, the folder is renamed to its generation id, and the target — a
symbolic link — is replaced with ``os.replace`` (atomic on POSIX). A crash at any point leaves
the previous generation in place and the link pointing at it; leftovers are removed by the next
build (:func:`cleanup`). Readers resolve the link once, so they always see one whole generation.
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

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FAISS_FILE = "index.faiss"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
UNITS_FILE = "units.npy"
BM25_DIR = "bm25"
KEEP_GENERATIONS = 2


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
    gens = generations_dir(target)
    gens.mkdir(parents=True, exist_ok=True)
    path = gens / f"tmp-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


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


def publish(build: Path, target: Path) -> Path:
    """Make ``build`` the index at ``target``, atomically. Returns the generation folder."""
    _fsync_tree(build)
    final = build.with_name(build.name.removeprefix("tmp-"))
    os.rename(build, final)
    manifest = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
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
    link = target.parent / f".{target.name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(final, target.parent), link)
    os.replace(link, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return final


def cleanup(target: Path, keep: int = KEEP_GENERATIONS) -> list[Path]:
    """Remove unfinished builds, stray links and all but the newest ``keep`` generations."""
    removed: list[Path] = []
    gens = generations_dir(target)
    current = target.resolve() if target.is_symlink() else None
    for link in target.parent.glob(f".{target.name}.link-*"):
        link.unlink(missing_ok=True)
        removed.append(link)
    if not gens.is_dir():
        return removed
    finished = []
    for p in gens.iterdir():
        if p.name.startswith("tmp-"):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.is_dir():
            finished.append(p)
    finished.sort(key=lambda p: p.name, reverse=True)
    kept = 0
    for p in finished:
        if current is not None and p.resolve() == current:
            continue
        kept += 1
        if kept >= keep:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


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
    if verify_files:
        for rel, meta in data.get("files", {}).items():
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
