"""Where the Milvus backend's data lives: settings, collection names, one client per server.

Settings (environment): ``COMMISSION_QA_MILVUS_URI`` — a ``.db`` path for Milvus Lite (an
embedded engine in this process: one process at a time) or ``http://host:19530`` for a Milvus
server (standalone, cluster, or ``milvus-lite server`` shared by several processes); default
``<index folder>.milvus.db`` beside the index. ``COMMISSION_QA_MILVUS_TOKEN``: ``user:password``
or an API key (never written to the manifest). ``COMMISSION_QA_MILVUS_COLLECTION``: the alias
that names the published generation (default ``commission_qa``; one per index on a shared
server); each generation's collections are ``<alias>_g<generation>`` and ``…_units``.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.errors import CommissionQAError, IndexError_

ENV_URI, ENV_TOKEN, ENV_COLLECTION = ("COMMISSION_QA_MILVUS_URI", "COMMISSION_QA_MILVUS_TOKEN",
                                      "COMMISSION_QA_MILVUS_COLLECTION")
DEFAULT_COLLECTION = "commission_qa"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,180}$")
_clients: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class MilvusSettings:
    uri: str
    token: str = ""
    alias: str = DEFAULT_COLLECTION

    @staticmethod
    def from_env(target: Path | None = None, recorded: dict[str, Any] | None = None) -> MilvusSettings:
        """From the environment; else what the manifest ``recorded``; else beside ``target``."""
        recorded = recorded or {}
        uri = os.environ.get(ENV_URI) or recorded.get("uri")
        if not uri:
            if target is None:
                raise IndexError_(f"no Milvus URI: set {ENV_URI}")
            uri = str(target.parent.resolve() / f"{target.name}.milvus.db")
        if is_lite(uri):
            uri = str(Path(uri).resolve())
        alias = os.environ.get(ENV_COLLECTION) or recorded.get("alias") or DEFAULT_COLLECTION
        if not _NAME.match(alias):
            raise IndexError_(f"{ENV_COLLECTION}={alias!r} is not a Milvus collection name "
                              "(letters, digits and _, not starting with a digit)")
        return MilvusSettings(uri, os.environ.get(ENV_TOKEN, ""), alias)

    def public_uri(self) -> str:
        """The URI without credentials (for the manifest, logs and /readyz)."""
        if is_lite(self.uri):
            return self.uri
        parts = urlsplit(self.uri)
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def is_lite(uri: str) -> bool:
    return "://" not in uri and uri.endswith(".db")


def collection_names(alias: str, generation: str) -> tuple[str, str]:
    """The passages and units collections of one generation (names carry the generation)."""
    ident = re.sub(r"[^A-Za-z0-9]", "_", generation)
    return f"{alias}_g{ident}", f"{alias}_g{ident}_units"


def client(settings: MilvusSettings) -> Any:
    """One ``MilvusClient`` per (URI, token) in this process, shared by every generation."""
    key = (settings.uri, settings.token)
    with _lock:
        found = _clients.get(key)
        if found is not None:
            return found
        from pymilvus import MilvusClient
        from pymilvus.exceptions import MilvusException

        if is_lite(settings.uri):
            Path(settings.uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            made = MilvusClient(uri=settings.uri, token=settings.token)
        except MilvusException as exc:
            hint = (" (Milvus Lite opens a .db in one process at a time: share it through "
                    "`milvus-lite server` and an http:// URI)" if is_lite(settings.uri) else "")
            raise BackendUnavailable(f"cannot open Milvus at {settings.public_uri()}: "
                                     f"{exc.message}{hint}") from exc
        _clients[key] = made
        return made


class BackendUnavailable(IndexError_):
    """The index's Milvus cannot be reached or opened."""

    code = "backend_unavailable"


def milvus_error(exc: Exception, what: str) -> CommissionQAError:
    message = getattr(exc, "message", None) or str(exc)
    return BackendUnavailable(f"Milvus {what} failed: {message}")
