"""The loaded index, held for the app and swapped atomically on reload."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import CommissionQAError, IndexCorrupt
from index.retriever import Retriever, default_query_encoder, load, model_for_index
from qa_service.errors import public_message
from qa_service.settings import Settings

if TYPE_CHECKING:
    from encoders.embedding import Encoder

log = logging.getLogger("commission_qa.service")


class IndexHolder:
    """Holds the current retriever. Requests read ``current`` once (one consistent index per
    request); :meth:`reload` loads the new index fully before swapping the reference, so
    requests in flight finish on the old one and none ever sees a half-loaded index.

    A load that fails for any reason leaves the current index (if any) serving and sets
    ``error``: the reason, without file-system paths (the log has the full message)."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.current: Retriever | None = None
        self.error: str | None = None
        self._encoder = encoder
        self._given = encoder is not None
        self._lock = threading.Lock()

    def _make_encoder(self, gen: Path) -> Encoder:
        """The query encoder of the model ``gen``'s manifest records (or the model folder)."""
        return default_query_encoder(gen, model_for_index(gen, self.settings.model_dir),
                                     self.settings.encoder, self.settings.query_threads())

    def _fits(self, encoder: Encoder, gen: Path) -> bool:
        """A given encoder is always used; one made here only for an index of its model."""
        from index import store

        if self._given:
            return True
        built = store.read_manifest(gen, verify_files=False).model
        return built.get("weights_sha256") == encoder.info.weights_sha256

    def reload(self) -> bool:
        """(Re)load the index at ``settings.index_dir``. Returns True when it changed."""
        from index import store

        with self._lock:
            try:
                gen = store.resolve(Path(self.settings.index_dir))
                if self.current is not None and self.current.path == gen:
                    self.error = None  # the folder points at the index being served
                    return False
                encoder = self._encoder
                if encoder is None or not self._fits(encoder, gen):
                    encoder = self._encoder = self._make_encoder(gen)
                retriever = load(gen, encoder=encoder, verify=self.settings.verify_index,
                                 expect_backend=self.settings.backend)
            except Exception as exc:  # any load failure: keep serving, and say why
                error = exc if isinstance(exc, CommissionQAError) else IndexCorrupt(
                    f"index cannot be read ({exc.__class__.__name__}: {exc}); rebuild it")
                self.error = public_message(error.message)
                log.error("index not loaded", extra={"event": "index_error", "code": error.code,
                                                     "error": error.message},
                          exc_info=not isinstance(exc, CommissionQAError))
                return False
            self.current = retriever
            self.error = None
            log.info("index loaded", extra={"event": "index_loaded",
                                            "generation": gen.name,
                                            "chunks": len(retriever.chunks)})
            return True
