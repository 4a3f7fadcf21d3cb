"""Command-line options shared by commands defined in different packages."""

from __future__ import annotations

import os
from typing import Annotated

import typer

ModelDir = Annotated[str | None, typer.Option(
    "--model-dir", help="A local sentence-transformers model folder (default: the packaged "
    "all-MiniLM-L6-v2); an index built with one is loaded with the same one")]

BackendName = Annotated[str | None, typer.Option(
    "--backend", help="Index backend: local (FAISS + bm25s in-process, the default) | milvus "
    "(COMMISSION_QA_MILVUS_URI: a .db file for Milvus Lite or http://host:19530); default "
    "COMMISSION_QA_BACKEND. Ingest builds on it; serve, ask and eval refuse an index built on "
    "another one")]


def expected_backend(flag: str | None) -> str | None:
    """The backend an index must have been built on: the flag, else $COMMISSION_QA_BACKEND."""
    return flag or os.environ.get("COMMISSION_QA_BACKEND") or None
