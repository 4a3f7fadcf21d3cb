"""The ingest pipeline: files → documents → chunks → vectors → a published index.

The index mirrors the paths given: files no longer present are removed from it. Re-ingest is
incremental: a chunk whose embedding text was embedded by the previous index with the same model
is not embedded again (content-hash cache), and an unchanged corpus rebuilds nothing at all.
A file that cannot be read is reported with its reason and left out; the rest goes on. When no
file at all could be read the previous index is left untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from core.errors import CommissionQAError, ReaderError
from core.records import Chunk, Document
from encoders import registry
from encoders.embedding import (
    Encoder,
    ModelInfo,
    TorchEncoder,  # noqa: F401 - tests/ingest replace it
    token_counter,
)
from index import backends, store
from index.builder import BuildSettings, Progress, build_index, previous_state
from ingest.chunking import ChunkerSettings, chunk_document
from ingest.layouts.registry import parse
from ingest.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, read

Status = Literal["added", "updated", "unchanged", "removed", "failed"]


@dataclass(frozen=True)
class FileResult:
    source: str
    status: Status
    reason: str | None = None
    document_id: str | None = None
    chunks: int = 0


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileResult, ...]
    index_dir: Path
    published: bool
    embedded: int
    reused: int
    generation: str | None
    seconds: float

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0: all files ingested; 1: some failed, the rest published; 2: nothing usable."""
        if not any(f.status in ("added", "updated", "unchanged") for f in self.files):
            return 2
        return 1 if self.failed else 0


@dataclass(frozen=True)
class IngestOptions:
    chunker: ChunkerSettings = field(default_factory=ChunkerSettings)
    model_dir: str | None = None
    model: str | None = None  # encoders.registry key; None: $COMMISSION_QA_MODEL or the default
    max_file_bytes: int = DEFAULT_MAX_BYTES
    hnsw_threshold: int = BuildSettings.hnsw_threshold
    batch_size: int = BuildSettings.batch_size
    onnx: bool = BuildSettings.onnx  # put a verified ONNX query encoder (model.onnx) in the index
    backend: str | None = None  # index.backends: None = $COMMISSION_QA_BACKEND or "local"

    def build(self) -> BuildSettings:
        return BuildSettings(self.hnsw_threshold, self.batch_size, self.onnx,
                             backends.chosen(self.backend))


def discover(paths: Sequence[Path]) -> tuple[list[tuple[str, Path]], list[FileResult]]:
    """Files under ``paths`` as (source name, path); problems found while walking as failures."""
    found: list[tuple[str, Path]] = []
    failed: list[FileResult] = []
    for root in paths:
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: failed.append(
                    FileResult(str(e.filename), "failed", f"cannot list folder: {e.strerror}"))):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith("."):
                        p = Path(dirpath) / name
                        found.append((p.relative_to(root).as_posix(), p))
        elif root.exists() or root.is_symlink():
            found.append((root.name, root))
        else:
            failed.append(FileResult(str(root), "failed", "no such file or folder"))
    return found, failed


def _read(source: str, path: Path, max_bytes: int) -> Document:
    try:
        if path.is_symlink() and not path.exists():
            raise ReaderError(source, "broken symbolic link or symlink loop")
        read_out = read(path, max_bytes)
    except ReaderError as exc:
        raise ReaderError(source, exc.reason) from exc
    except OSError as exc:
        raise ReaderError(source, f"cannot read file: {exc.strerror or exc}") from exc
    return parse(read_out.text, source, read_out.format, fallback_title=path.stem,
                 hints=read_out.hints)


def ingest(paths: Sequence[Path], index_dir: Path, options: IngestOptions = IngestOptions(),
           encoder: Encoder | None = None, progress: Progress | None = None,
           wait: float = 0.0) -> IngestReport:
    """Ingest under the index's ingest lock: while another ingest of the same index runs, wait
    up to ``wait`` seconds for it, then raise :class:`core.errors.IndexBusy`."""
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with store.ingest_lock(index_dir, wait):
        try:
            return _ingest(paths, index_dir, options, encoder, progress)
        finally:
            store.release_builds(index_dir)  # an unpublished build is left for cleanup


def _ingest(paths: Sequence[Path], index_dir: Path, options: IngestOptions,
            encoder: Encoder | None, progress: Progress | None) -> IngestReport:
    t0 = time.perf_counter()
    store.cleanup(index_dir)
    backends.repair(index_dir, options.build().backend)  # a stale alias, orphan collections
    info: ModelInfo = encoder.info if encoder else \
        registry.locate(registry.chosen(options.model), options.model_dir)
    prev = previous_state(index_dir, info, options.chunker.to_json(), options.build().backend)

    files, results = discover(paths)
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for n, (source, path) in enumerate(files):
        if progress:
            progress("read", n, len(files))
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            results.append(FileResult(source, "failed", f"unsupported file type "
                                      f"{path.suffix or '(none)'!r}"))
            continue
        try:
            doc = _read(source, path, options.max_file_bytes)
        except CommissionQAError as exc:
            results.append(FileResult(source, "failed", getattr(exc, "reason", exc.message)))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            results.append(FileResult(source, "failed", f"{exc.__class__.__name__}: {exc}"))
            continue
        if doc.id in seen:
            results.append(FileResult(source, "failed", f"same content as {seen[doc.id]}"))
            continue
        seen[doc.id] = source
        docs.append(doc)

    current = {d.source: d.content_hash for d in docs}
    same_config = prev.compatible
    statuses: dict[str, Status] = {}
    for d in docs:
        old = prev.sources.get(d.source)
        statuses[d.source] = ("added" if old is None else
                              "unchanged" if old == d.content_hash and same_config else "updated")
    removed = [s for s in prev.sources if s not in current]
    results += [FileResult(s, "removed") for s in removed]

    if not docs:
        return IngestReport(tuple(results), index_dir, False, 0, 0, prev.generation,
                            time.perf_counter() - t0)
    has_onnx = not options.onnx or info.onnx_file is not None or \
        (prev.path is not None and (prev.path / "model.onnx").is_file())
    if prev.generation and same_config and not removed and has_onnx and \
            all(s == "unchanged" for s in statuses.values()):  # nothing to do (an index built
        # before the ONNX encoder existed is rebuilt once, from the embedding cache)
        results += [FileResult(d.source, "unchanged", document_id=d.id,
                               chunks=prev.chunk_counts.get(d.source, 0)) for d in docs]
        return IngestReport(tuple(_order(results)), index_dir, False, 0, 0, prev.generation,
                            time.perf_counter() - t0)

    count = token_counter(info)
    chunks: list[Chunk] = []
    per_doc: dict[str, int] = {}
    for d in docs:
        cs = chunk_document(d, options.chunker, count)
        per_doc[d.source] = len(cs)
        chunks.extend(cs)
    lazy = _LazyEncoder(info, encoder)
    built = build_index(index_dir, docs, chunks, lazy, prev, options.build(),
                        {"chunker": options.chunker.to_json()}, progress)
    results += [FileResult(d.source, statuses[d.source], document_id=d.id,
                           chunks=per_doc[d.source]) for d in docs]
    return IngestReport(tuple(_order(results)), index_dir, True, built.embedded, built.reused,
                        built.generation, time.perf_counter() - t0)


def _order(results: list[FileResult]) -> list[FileResult]:
    return sorted(results, key=lambda r: r.source)


class _LazyEncoder:
    """Loads the (slow to import) model only when something must be embedded."""

    def __init__(self, info: ModelInfo, encoder: Encoder | None) -> None:
        self.info = info
        self._encoder = encoder

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32)
        if self._encoder is None:  # ONNX Runtime (the query graph), faster than torch here
            self._encoder = registry.document_encoder(self.info)
        return self._encoder.encode(texts, batch_size=batch_size)
