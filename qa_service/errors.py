"""One JSON error shape for every error, mapped in one place:
``{"error": {"code": "...", "message": "...", "details": ...}}``."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    CommissionQAError,
    DocumentNotFound,
    IndexError_,
    InvalidQuery,
    ModelError,
)

log = logging.getLogger("commission_qa.service")


class ServiceError(Exception):
    """An HTTP-level error raised by the service layer itself (auth, size, readiness)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers


class BodyTooLarge(StarletteHTTPException):
    """A (chunked) request body went over the limit while being read. An HTTPException so that
    FastAPI's body parsing re-raises it (it turns any other exception into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than {limit} bytes")


_STATUS = {InvalidQuery: 422, DocumentNotFound: 404, IndexError_: 503, ModelError: 503}
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
               408: "request_timeout", 415: "unsupported_media_type", 422: "invalid_request",
               429: "too_many_requests", 431: "headers_too_large", 503: "not_ready"}


_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/(?:[^\s/:;,'\"()]+/)*([^\s/:;,'\"()]*)")


def public_message(text: str) -> str:
    """A message fit for a public response: absolute file-system paths shortened to their last
    component (``/srv/qa/var/index`` → ``…/index``)."""
    return _ABSOLUTE_PATH.sub(lambda m: "…/" + m.group(1), text)


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details}},
                        status_code=status, headers=headers)


def _safe(value: Any) -> Any:
    """Validation details made JSON-safe (inputs may hold bytes or lone surrogates)."""
    if isinstance(value, dict):
        return {str(k): _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = value if isinstance(value, str) else repr(value)
    return text.encode("utf-8", "replace").decode("utf-8")[:200]


def install(app: FastAPI) -> None:
    @app.exception_handler(CommissionQAError)
    async def _core(_: Request, exc: CommissionQAError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        if status >= 500:  # index and model problems: no server paths in the response
            return error_response(status, exc.code, public_message(exc.message))
        return error_response(status, exc.code, exc.message, _safe(exc.details))

    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": _safe(list(e.get("loc", ()))), "msg": _safe(e.get("msg", "")),
                   "type": e.get("type", "")} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(x) for x in first["loc"] if x != "body") or "body"
        return error_response(422, "invalid_request", f"{where}: {first['msg']}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, None,
                              getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"event": "unhandled", "path": request.url.path})
        return error_response(500, "internal_error", "internal error; see the service log")
