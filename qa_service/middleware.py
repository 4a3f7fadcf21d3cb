"""ASGI middleware: request ids, security headers, API key, request bodies (size and time limits,
read before the app runs), load shedding and the access log."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_service.errors import BodyTooLarge

log = logging.getLogger("commission_qa.access")
SHED = Counter("commission_qa_shed_requests_total", "Requests answered 503 by load shedding",
               ["reason"])  # reason: inflight (too many in progress) | queue (waited too long)
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
ADMIN_PREFIX = "/v1/admin/"
# the scope key where the server records when a request's head was complete (loop.time())
ARRIVED = "commission_qa.arrived"
# a refused body is not read to its end: the connection is closed after the answer
CLOSE = [(b"connection", b"close")]


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()


async def reject(send: Send, status: int, code: str, message: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the one JSON error shape (before anything else was sent)."""
    body = _error_body(code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())] + (extra or [])})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class Limits:
    max_body: int = 64 * 1024
    body_timeout: float = 15.0  # seconds to receive a whole request body
    api_key: str | None = None


class RequestContext:
    """Adds ``X-Request-ID`` (echoed when the client sent a sane one), security headers, the API
    key check (``/v1/*``; admin routes are closed when no key is set), request-body limits and
    one structured access-log line per request.

    A request body is read completely — at most ``max_body`` bytes within ``body_timeout``
    seconds — before the application is called, then replayed to it. So an oversized or slow
    body is answered (413/408) before any response has started, on every route (also the ones
    that never read their body), and no route waits on a slow client while holding a slot of
    :class:`LoadShedder`."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app, self.limits = app, limits
        self.api_key = limits.api_key.encode() if limits.api_key else None

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
        path = scope.get("path", "")

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                hdrs = list(message.get("headers", []))
                hdrs.append((b"x-request-id", rid.encode()))
                hdrs.extend(SECURITY_HEADERS)
                docs = path.startswith(DOCS_PATHS)
                hdrs.append((b"content-security-policy", DOCS_CSP if docs else CSP))
                message["headers"] = hdrs
            await send(message)

        try:
            if path.startswith(ADMIN_PREFIX) and self.api_key is None:
                await reject(send_wrapped, 403, "forbidden",
                             "admin routes are disabled: no API key is configured "
                             "(set COMMISSION_QA_API_KEY, or reload with SIGHUP)")
                return
            if self.api_key is not None and path.startswith("/v1/") and \
                    not self._authorised(headers):
                await reject(send_wrapped, 401, "unauthorized",
                             "missing or wrong API key (Authorization: Bearer … or X-API-Key)",
                             [(b"www-authenticate", b"Bearer")])
                return
            body_receive = await self._read_body(headers, receive, send_wrapped)
            if body_receive is not None:
                await self.app(scope, body_receive, send_wrapped)
        finally:
            log.info("request", extra={
                "event": "request", "request_id": rid, "method": scope.get("method"),
                "path": path, "status": status_holder["status"],
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

    async def _read_body(self, headers: dict[bytes, bytes], receive: Receive,
                         send: Send) -> Receive | None:
        """The receive channel to give the app, or None when the request was answered here."""
        limit = self.limits.max_body
        length = headers.get(b"content-length")
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if length is not None and not chunked:
            try:
                size = int(length)
            except ValueError:
                size = -1
            if size < 0:
                await reject(send, 400, "bad_request", "bad Content-Length", CLOSE)
                return None
            if size > limit:
                await reject(send, 413, "payload_too_large",
                             f"request body is larger than {limit} bytes", CLOSE)
                return None
            if size == 0:
                return _guarded(receive, limit)
        elif not chunked:
            return _guarded(receive, limit)  # no body announced
        chunks: list[bytes] = []
        seen = 0
        deadline = time.monotonic() + self.limits.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                await reject(send, 408, "request_timeout", "request body not received in "
                             f"{self.limits.body_timeout:g} s", CLOSE)
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await reject(send, 413, "payload_too_large",
                             f"request body is larger than {limit} bytes", CLOSE)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return _replay(b"".join(chunks), receive)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, then the server's channel (for disconnect notices)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


def _guarded(receive: Receive, limit: int) -> Receive:
    """A last guard for bodies the server delivers beyond what was announced (it enforces
    Content-Length itself, so this should never fire): 413 while the app reads its body."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


class LoadShedder:
    """At most ``max_inflight`` requests under ``/v1/`` (admin routes aside) in the application
    at once, and none that already waited more than ``max_queue`` seconds between its arrival
    and this point (when the server records the arrival, see ``qa_service.server``): the others
    are answered at once with 503 and ``Retry-After`` instead of waiting in a queue for seconds.
    One counter per worker process (the event loop is single-threaded)."""

    def __init__(self, app: ASGIApp, max_inflight: int, retry_after: int = 1,
                 max_queue: float | None = None) -> None:
        self.app, self.max_inflight, self.retry_after = app, max_inflight, retry_after
        self.max_queue = max_queue
        self.inflight = 0
        self.shed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/v1/") or path.startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        reason = "inflight" if self.inflight >= self.max_inflight else \
            "queue" if self._waited_too_long(scope) else None
        if reason is not None:
            self.shed += 1
            SHED.labels(reason).inc()
            await reject(send, 503, "overloaded",
                         f"the service is busy ({self.inflight} requests in progress); "
                         f"retry after {self.retry_after} s",
                         [(b"retry-after", str(self.retry_after).encode())])
            return
        self.inflight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.inflight -= 1

    def _waited_too_long(self, scope: Scope) -> bool:
        arrived = scope.get(ARRIVED)
        if self.max_queue is None or arrived is None:
            return False
        return asyncio.get_running_loop().time() - arrived > self.max_queue
