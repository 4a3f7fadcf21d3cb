"""The FastAPI application factory: ``create_app(settings)``.

The index is loaded once in the lifespan and injected with ``RetrieverDep``; a reload (SIGHUP
or ``POST /v1/admin/reload``) swaps it atomically. ``/readyz`` is 503 until an index is loaded.
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from types import FrameType

import faiss
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_fastapi_instrumentator import Instrumentator

from core import __version__
from qa_service import errors, logs
from qa_service.middleware import Limits, LoadShedder, RequestContext
from qa_service.routes import ready_state, router
from qa_service.schemas import Ready
from qa_service.settings import Settings
from qa_service.state import IndexHolder

log = logging.getLogger("commission_qa.service")
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, encoder=None,  # noqa: ANN001
               load_index: bool = True) -> FastAPI:
    settings = settings or Settings()
    holder = IndexHolder(settings, encoder=encoder)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        if settings.api_key is None:
            log.warning("no API key configured: /v1 is open to whoever can reach "
                        f"{settings.host}; admin routes are disabled (reload with SIGHUP)",
                        extra={"event": "no_api_key"})
        # One query at a time per request: FAISS's OpenMP threads only contend with the
        # server's other requests (2-5x slower single searches on a busy 2-core machine).
        faiss.omp_set_num_threads(1)
        if load_index:
            holder.reload()
        previous = _install_sighup(holder)
        yield
        if previous is not None:
            signal.signal(signal.SIGHUP, previous)

    app = FastAPIOffline(title="commission-qa", version=__version__, lifespan=lifespan,
                         description="Cited passages from the health equity commission's "
                                     "records. Swagger UI is served locally (air-gapped).")
    app.state.settings = settings
    app.state.holder = holder
    errors.install(app)
    app.include_router(router)

    @app.get("/readyz", tags=["operations"], response_model=None,
             responses={200: {"model": Ready}, 503: {"model": Ready, "description": "Not ready"}})
    async def readyz() -> JSONResponse:
        state = ready_state(holder)
        return JSONResponse(state.model_dump(), status_code=200 if state.ready else 503)

    @app.get("/", include_in_schema=False)
    async def index_page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    Instrumentator(excluded_handlers=["/metrics"]).instrument(app).expose(
        app, include_in_schema=False)
    # innermost of the three: shed 503s still get CORS, request-id and security headers
    app.add_middleware(LoadShedder, max_inflight=settings.max_inflight,
                       retry_after=settings.retry_after,
                       max_queue=None if settings.max_queue_ms is None
                       else settings.max_queue_ms / 1000)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "Authorization", "X-API-Key",
                                          "X-Request-ID"])
    key = settings.api_key.get_secret_value() if settings.api_key else None
    app.add_middleware(RequestContext, limits=Limits(settings.max_body_bytes,
                                                     settings.body_timeout, key))
    return app


def _install_sighup(holder: IndexHolder):  # noqa: ANN202
    """Reload the index on SIGHUP (only possible from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=holder.reload, name="index-reload", daemon=True).start()

    return signal.signal(signal.SIGHUP, handler)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory qa_service.app:app_from_env`` (multi-worker serving)."""
    from qa_service.server import check_bind

    settings = Settings()
    logs.configure(settings.log_level)
    check_bind(settings)  # COMMISSION_QA_HOST: refused without a key unless allowed
    return create_app(settings)
