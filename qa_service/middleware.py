"""ASGI middleware: request ids, body size limit, security headers, access log, API key."""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_service.errors import BodyTooLarge

log = logging.getLogger("commission_qa.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
CSP = (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       b"form-action 'self'")
# Swagger UI and ReDoc (served locally) start with an inline script: allowed on those pages only
DOCS_CSP = (b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
            b"'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; "
            b"frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()


class RequestContext:
    """Adds ``X-Request-ID`` (echoed when the client sent a sane one), security headers, a size
    limit on request bodies (413) and one structured access-log line per request."""

    def __init__(self, app: ASGIApp, max_body: int, api_key: str | None) -> None:
        self.app, self.max_body = app, max_body
        self.api_key = api_key.encode() if api_key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        sent = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        start = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                hdrs = list(message.get("headers", []))
                hdrs.append((b"x-request-id", rid.encode()))
                hdrs.extend(SECURITY_HEADERS)
                docs = scope.get("path", "").startswith(DOCS_PATHS)
                hdrs.append((b"content-security-policy", DOCS_CSP if docs else CSP))
                message["headers"] = hdrs
            await send(message)

        try:
            path = scope.get("path", "")
            if self.api_key is not None and path.startswith("/v1/") and \
                    not self._authorised(headers):
                await self._reject(send_wrapped, 401, "unauthorized",
                                   "missing or wrong API key (Authorization: Bearer … or X-API-Key)",
                                   [(b"www-authenticate", b"Bearer")])
                return
            length = headers.get(b"content-length")
            if length is not None:
                try:
                    too_big = int(length) > self.max_body
                except ValueError:
                    await self._reject(send_wrapped, 400, "bad_request", "bad Content-Length")
                    return
                if too_big:
                    await self._reject(send_wrapped, 413, "payload_too_large",
                                       f"request body is larger than {self.max_body} bytes")
                    return
            await self.app(scope, self._limited(receive, send_wrapped), send_wrapped)
        finally:
            log.info("request", extra={
                "event": "request", "request_id": rid, "method": scope.get("method"),
                "path": scope.get("path"), "status": status_holder["status"],
                "ms": round((time.perf_counter() - start) * 1000, 2)})

    def _authorised(self, headers: dict[bytes, bytes]) -> bool:
        candidates = [headers.get(b"x-api-key", b"")]
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            candidates.append(auth[7:].strip())
        ok = False
        for c in candidates:  # compare every candidate in constant time
            ok |= hmac.compare_digest(c, self.api_key)
        return ok

    def _limited(self, receive: Receive, send: Send) -> Receive:
        seen = 0
        limit = self.max_body

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return wrapped

    async def _reject(self, send: Send, status: int, code: str, message: str,
                      extra: list[tuple[bytes, bytes]] | None = None) -> None:
        body = _error_body(code, message)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())] + (extra or [])})
        await send({"type": "http.response.body", "body": body})
