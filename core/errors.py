"""The small exception hierarchy of the core.

Everything the library raises on bad input or a bad index derives from :class:`CommissionQAError`.
The HTTP layer maps these to status codes in one handler (``qa_service.errors``); the CLI prints
them as one line. ``code`` is the stable machine-readable error code used in the JSON error shape.
"""

from __future__ import annotations

from typing import Any


class CommissionQAError(Exception):
    """Base class: a problem the caller can understand and act on."""

    code = "error"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ReaderError(CommissionQAError):
    """A source file could not be read into a document (empty, binary, undecodable, corrupt...)."""

    code = "unreadable_file"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}", {"path": path, "reason": reason})
        self.path = path
        self.reason = reason


class ModelError(CommissionQAError):
    """The embedding model is missing or its weights do not match the expected hash."""

    code = "model_error"


class IndexError_(CommissionQAError):
    """Base for problems with an index directory."""

    code = "index_error"


class IndexNotFound(IndexError_):
    code = "index_not_found"


class IndexCorrupt(IndexError_):
    """A file of the index is missing, truncated or does not match the manifest's hash."""

    code = "index_corrupt"


class IndexMismatch(IndexError_):
    """The index was built with another model, dimension or format than the one asked for."""

    code = "index_mismatch"


class IndexBusy(IndexError_):
    """Another ingest holds the index's ingest lock."""

    code = "index_busy"


class UnsafeConfig(CommissionQAError):
    """A service configuration refused as unsafe (e.g. no API key on a non-loopback address)."""

    code = "unsafe_config"


class InvalidQuery(CommissionQAError):
    """A question, k or filter that the retriever cannot accept."""

    code = "invalid_request"


class DocumentNotFound(CommissionQAError):
    code = "not_found"

    def __init__(self, document_id: str) -> None:
        super().__init__("no document with this id", {"document_id": document_id})
