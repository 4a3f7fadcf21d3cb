"""Service settings: one pydantic-settings object, from ``COMMISSION_QA_*`` variables, overridden
by command-line flags (``commission-qa serve --index-dir … --host … --port …``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMMISSION_QA_", extra="ignore")

    index_dir: Path = Path("var/index")
    # the local sentence-transformers folder the index was built with (`ingest --model-dir`);
    # None: the packaged all-MiniLM-L6-v2
    model_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    api_key: SecretStr | None = None
    cors_origins: list[str] = Field(default_factory=list)
    log_questions: bool = False  # log full questions (default: only their length and hash)
    log_level: str = "info"
    max_body_bytes: int = 64 * 1024
    # serving without an API key on a non-loopback address (`serve --allow-insecure-public`)
    allow_insecure_public: bool = False
    # load shedding: /v1 requests in progress per worker; more get 503 with Retry-After
    max_inflight: int = Field(16, ge=1, le=10_000)
    # ... and those that already waited longer than this (ms) for the event loop to reach them
    max_queue_ms: float | None = Field(250.0, gt=0, le=600_000)
    retry_after: int = Field(1, ge=1, le=3600)
    # connection limits (per worker): request line + headers size, time to send them (from the
    # connection's start or the request's first byte), time to send a body, open connections
    max_header_bytes: int = Field(16 * 1024, ge=1024, le=1024 * 1024)
    header_timeout: float = Field(10.0, gt=0, le=600)
    body_timeout: float = Field(15.0, gt=0, le=3600)
    max_connections: int = Field(1000, ge=8, le=1_000_000)
    verify_index: bool = True  # check every index file's sha256 at load
    # the index backend expected (index.backends): refuse an index built on another one;
    # None: whichever the index's manifest records (Milvus settings: COMMISSION_QA_MILVUS_*)
    backend: Literal["local", "milvus"] | None = None
    encoder: Literal["auto", "onnx", "torch"] = "auto"
    # threads of the ONNX query encoder; default: the cores divided among the workers (measured:
    # 2 threads on 2 cores with 1 worker, p50 9 ms vs 12 ms; 1 thread each with 2 workers)
    encoder_threads: int | None = Field(None, ge=1, le=64)

    def query_threads(self) -> int:
        if self.encoder_threads is not None:
            return self.encoder_threads
        return max(1, (os.cpu_count() or 1) // self.workers)
