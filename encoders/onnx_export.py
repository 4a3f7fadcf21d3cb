"""Export the sentence-transformers model once to ONNX, verified against torch, cached by weights.

The query side of the service encodes with ONNX Runtime (no torch import: fast start, small
memory). The graph is exported at build time with ``torch.onnx.export(..., dynamo=False)``: the
transformer followed by mean pooling over the attention mask and L2 normalisation, with dynamic
batch and sequence axes, so the graph's one output is the sentence embedding itself.

Before a graph is used, its fp32 embeddings of a few dozen texts are compared with
sentence-transformers' own; the smallest cosine must reach :data:`MIN_COSINE`, else the export
fails (:class:`OnnxExportError`) and callers keep torch with a warning.

Exports are cached under ``$COMMISSION_QA_ONNX_CACHE`` (default
``$XDG_CACHE_HOME/commission-qa/onnx``, i.e. ``~/.cache/commission-qa/onnx``), one folder per
weights sha256 and export version, so re-ingest never exports again. The index generation gets
``model.onnx`` as a hard link to the cached file (a copy across file systems).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import ModelError
from encoders.embedding import ModelInfo, file_sha256, set_offline

log = logging.getLogger("commission_qa.onnx")

ONNX_FILE = "model.onnx"
META_FILE = "export.json"
EXPORT_VERSION = 1  # bump when the graph changes (inputs, pooling, opset)
OPSET = 17
MIN_COSINE = 0.9999
CACHE_ENV = "COMMISSION_QA_ONNX_CACHE"

CHECK_TEXTS = (
    "What did the panel say about integrated care partnerships?",
    "health inequalities", "Who spoke about housing?", "a", "ok",
    "The commission met in Leeds to hear from community organisations about access to services.",
    "Speakers: Jane Doe, chief executive; John Smith, public health lead",
    "· Data sharing between the NHS and local authorities remains a barrier to joined-up care.",
    "Funding for the voluntary sector is short-term and makes planning difficult.",
    "What are the recommendations on workforce?",
    "Mental health services for young people have long waiting lists in deprived areas.",
    "Trust, relationships and shared goals matter more than structures.",
    "How can the commission measure progress on health equity over ten years?",
    "Transport poverty stops people from attending appointments.",
    "Digital exclusion: older people and those on low incomes cannot book online.",
    "Monday 6th of December 2021", "Panel meeting — learning from integrated care partnerships",
    "Key themes", "Questions from the panel", "Summary and next steps",
    "The executive workshop discussed prevention, early intervention and the social determinants "
    "of health, including employment, education, income and the built environment, and asked "
    "how anchor institutions could use their purchasing power to support local economies. " * 3,
    "Ethnic minority communities reported discrimination in primary care.",
    "Co-production with residents was described as essential but under-resourced.",
    "Place-based partnerships should be accountable to the communities they serve.",
    "?", "Numbers: 12%, 3.5 million, £40m, 2030 targets.",
    "Émigrés café naïve résumé — unicode text survives tokenisation.",
    "ICS ICB PCN VCSE acronyms are common in these records.",
    "Why were carers not included in the consultation?",
    "The chair thanked everyone and closed the meeting.",
    "Life expectancy differs by ten years between the richest and poorest neighbourhoods.",
    "Evidence from Wigan, Bradford and Tower Hamlets was presented.",
)


class OnnxExportError(ModelError):
    """The model could not be exported, or its ONNX graph does not match torch."""


@dataclass(frozen=True)
class OnnxExport:
    path: Path  # the cached model.onnx
    min_cosine: float
    seconds: float  # export + verification time (0 when taken from the cache)
    cached: bool


def cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "commission-qa" / "onnx"


def cache_dir(info: ModelInfo) -> Path:
    return cache_root() / f"{info.weights_sha256[:32]}-v{EXPORT_VERSION}"


def _cached(info: ModelInfo) -> OnnxExport | None:
    folder = cache_dir(info)
    try:
        meta = json.loads((folder / META_FILE).read_text())
        onnx_path = folder / ONNX_FILE
        ok = (meta.get("weights_sha256") == info.weights_sha256
              and meta.get("export_version") == EXPORT_VERSION
              and meta.get("min_cosine", 0.0) >= MIN_COSINE
              and onnx_path.stat().st_size == meta.get("onnx_bytes"))
    except (OSError, ValueError):
        return None
    return OnnxExport(onnx_path, float(meta["min_cosine"]), 0.0, True) if ok else None


def _pooled_module(transformer):  # noqa: ANN001, ANN202 - torch modules
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return Pooled().eval()


def _export_graph(info: ModelInfo, dest: Path):  # noqa: ANN202 - returns the SentenceTransformer
    set_offline()
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(info.path), device="cpu", local_files_only=True)
    st.max_seq_length = info.max_seq_length
    transformer = st[0].auto_model
    module = _pooled_module(transformer)
    sample = st.tokenizer(["a short example", "a second, slightly longer example text"],
                          padding=True, return_tensors="pt")
    args = (sample["input_ids"], sample["attention_mask"],
            sample.get("token_type_ids", torch.zeros_like(sample["input_ids"])))
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"}, "sentence_embedding": {0: "batch"}}
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, str(dest), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["sentence_embedding"], dynamic_axes=axes,
                          do_constant_folding=True)
    return st


def verify(info: ModelInfo, onnx_path: Path, reference: np.ndarray,
           texts: tuple[str, ...] = CHECK_TEXTS) -> float:
    """The smallest cosine between ONNX and reference embeddings of ``texts``."""
    from encoders.embedding import OnnxEncoder

    got = OnnxEncoder(info, onnx_path, threads=1).encode(list(texts), batch_size=8)
    return float(np.min(np.sum(got * reference, axis=1)))


def export_onnx(info: ModelInfo, force: bool = False) -> OnnxExport:
    """The verified ONNX export of ``info``'s model, from the cache or exported now."""
    if info.onnx_file is not None:
        raise OnnxExportError(f"{info.name} is an ONNX graph already ({info.onnx_file})")
    if not force and (hit := _cached(info)) is not None:
        return hit
    t0 = time.perf_counter()
    folder = cache_dir(info)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as tmp:
        tmp_path = Path(tmp) / ONNX_FILE
        try:
            st = _export_graph(info, tmp_path)
        except Exception as exc:  # any exporter failure means "keep torch"
            raise OnnxExportError(f"ONNX export of {info.name} failed: "
                                  f"{exc.__class__.__name__}: {exc}") from exc
        reference = st.encode(list(CHECK_TEXTS), batch_size=8, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False)
        min_cos = verify(info, tmp_path, np.asarray(reference, dtype=np.float32))
        if not min_cos >= MIN_COSINE:
            raise OnnxExportError(f"ONNX export of {info.name} does not match torch: smallest "
                                  f"cosine {min_cos:.6f} < {MIN_COSINE}")
        os.replace(tmp_path, folder / ONNX_FILE)
    import onnxruntime
    import torch

    meta = {"weights_sha256": info.weights_sha256, "model": info.name,
            "export_version": EXPORT_VERSION, "opset": OPSET, "min_cosine": min_cos,
            "texts_checked": len(CHECK_TEXTS), "onnx_bytes": (folder / ONNX_FILE).stat().st_size,
            "onnx_sha256": file_sha256(folder / ONNX_FILE), "torch": torch.__version__,
            "onnxruntime": onnxruntime.__version__,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    part = folder / (META_FILE + ".part")
    part.write_text(json.dumps(meta, indent=2) + "\n")
    os.replace(part, folder / META_FILE)
    seconds = time.perf_counter() - t0
    log.info("exported %s to ONNX in %.1fs (min cosine %.6f)", info.name, seconds, min_cos)
    return OnnxExport(folder / ONNX_FILE, min_cos, seconds, False)


def place_onnx(info: ModelInfo, dest_dir: Path) -> Path | None:
    """Put the verified ``model.onnx`` in ``dest_dir`` (an index build); None, with a warning,
    when it cannot be exported (the service then encodes queries with torch). None, quietly,
    for a model shipped as ONNX (``info.onnx_file``): the registry locates and verifies that
    graph wherever the index is loaded, so the index needs no copy of it."""
    if info.onnx_file is not None:
        return None
    try:
        exported = export_onnx(info)
    except (OnnxExportError, ModelError, OSError) as exc:
        message = exc.message if isinstance(exc, ModelError) else str(exc)
        warnings.warn(f"no ONNX query encoder in the index (queries will use torch): {message}",
                      RuntimeWarning, stacklevel=2)
        return None
    target = dest_dir / ONNX_FILE
    try:
        os.link(exported.path, target)
    except OSError:
        shutil.copyfile(exported.path, target)
    return target
