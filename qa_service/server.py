"""What the HTTP server itself must refuse: a public address without an API key, request heads
that are too large or too slow, more connections than the process can hold.

uvicorn offers no header-read timeout (any data received cancels its keep-alive timer, so a
client that never finishes its headers keeps the connection for ever), no header size limit with
httptools (``h11_max_incomplete_event_size`` applies to the slower pure-Python h11 parser only)
and no cap on open connections (``limit_concurrency`` answers 503 to every request once that
many connections are open, which lets idle connections lock everyone out). So the service runs
uvicorn's httptools protocol with three guards added (:class:`GuardedHttpToolsProtocol`).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import resource
import socket
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from core.errors import UnsafeConfig
from qa_service.middleware import ARRIVED
from qa_service.settings import Settings

log = logging.getLogger("commission_qa.service")
PROTOCOL = "qa_service.server:GuardedHttpToolsProtocol"  # by name: workers import it themselves
_FD_RESERVE = 64  # descriptors kept for the index files, logs and the model


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is a loopback address."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback
                               for i in infos)


def check_bind(settings: Settings) -> None:
    """Refuse to serve on a non-loopback address without an API key, unless explicitly allowed
    (``--allow-insecure-public``), which is then logged as an error on every start."""
    if settings.api_key is not None or is_loopback(settings.host):
        return
    if not settings.allow_insecure_public:
        raise UnsafeConfig(
            f"refusing to serve on {settings.host} without an API key: everything under /v1 "
            "would be open to the network. Set COMMISSION_QA_API_KEY, serve on 127.0.0.1, or "
            "pass --allow-insecure-public to accept the risk")
    log.error("INSECURE: serving on a non-loopback address without an API key "
              "(--allow-insecure-public); anyone who can reach it can query the records",
              extra={"event": "insecure_public", "host": settings.host})


@dataclass(frozen=True)
class ConnectionLimits:
    max_header_bytes: int
    header_timeout: float
    max_connections: int


_limits: ConnectionLimits | None = None


def raise_fd_limit() -> int:
    """Raise the soft limit of open files to the hard limit; return the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if want > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        except (ValueError, OSError):
            pass
    return soft


def configure(settings: Settings) -> ConnectionLimits:
    """Set this process's connection limits (capped by the open-files limit)."""
    global _limits
    fds = raise_fd_limit()
    _limits = ConnectionLimits(settings.max_header_bytes, settings.header_timeout,
                               max(8, min(settings.max_connections, fds - _FD_RESERVE)))
    return _limits


def limits() -> ConnectionLimits:
    return _limits if _limits is not None else configure(Settings())


def server_options(settings: Settings) -> dict[str, Any]:
    """Extra ``uvicorn.run`` arguments: the guarded protocol (limits set for this process; a
    worker process reads them from the same COMMISSION_QA_* variables)."""
    configure(settings)
    return {"http": PROTOCOL}


def _raw_response(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("ascii") + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a request-head size limit (431), a time limit for
    sending a request head (the connection is closed), and a cap on open connections: at the
    cap the connection idle or stuck in its head the longest is closed to make room; when every
    connection has a request in progress the new one gets 503."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = limits()
        self._head_bytes = 0  # request line and headers parsed so far
        self._unparsed = 0  # bytes fed while the head stayed unfinished
        self._head_done = False
        self._head_timer: Any = None
        self._new_message = False

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        waiting = self._waiting_set()
        if len(self.connections) > self._limits.max_connections and not self._evict(waiting):
            transport.write(_raw_response(503, "Service Unavailable", "overloaded",
                                          "too many open connections"))
            transport.close()
            return
        waiting[self] = None
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._waiting_set().pop(self, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # httptools keeps an unfinished header inside the parser: count what was fed while the
        # head stays unfinished (one read, at most 256 KiB, may go past the limit); a head that
        # completes is measured exactly from its parts (on_url, on_header)
        self._new_message = False
        super().data_received(data)
        if self._head_done or self._new_message or self.transport.is_closing():
            return
        self._unparsed += len(data)
        if self._unparsed > self._limits.max_header_bytes:
            self._too_large()

    def _too_large(self) -> None:
        self._disarm()
        self.transport.write(_raw_response(
            431, "Request Header Fields Too Large", "headers_too_large",
            f"request line and headers are larger than {self._limits.max_header_bytes} bytes"))
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        waiting = self._waiting_set()
        if self in waiting:
            waiting.move_to_end(self)  # busy again: the last to be evicted
        if self._head_timer is None:  # a later request on a kept-alive connection
            self._arm()

    def on_url(self, url: bytes) -> None:
        self._head_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_done = True
        self._disarm()
        self._waiting_set().pop(self, None)  # a request in progress is never evicted
        if self._head_bytes > self._limits.max_header_bytes:  # a whole head in one read
            self._too_large()
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.transport.is_closing():  # (a refused head: no request cycle to feed)
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self.transport.is_closing():
            return
        super().on_message_complete()
        if self.scope is not None:  # the whole request is here (load shedding: time queued)
            self.scope[ARRIVED] = self.loop.time()
        self._head_done, self._head_bytes, self._unparsed = False, 0, 0  # the next head
        self._new_message = True  # (bytes of this read before it belong to the finished one)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self._head_done:
            self._waiting_set()[self] = None  # idle on keep-alive: evictable again

    def _waiting_set(self) -> OrderedDict[GuardedHttpToolsProtocol, None]:
        """This server's connections that are idle or still sending a request head, oldest
        first (kept on the server's shared state: one per server, found in O(1))."""
        waiting = getattr(self.server_state, "commission_qa_waiting", None)
        if waiting is None:
            waiting = OrderedDict()
            self.server_state.commission_qa_waiting = waiting
        return waiting

    def _evict(self, waiting: OrderedDict[GuardedHttpToolsProtocol, None]) -> bool:
        """Close the connection that has waited longest; False when none is waiting."""
        while waiting:
            oldest, _ = waiting.popitem(last=False)
            if oldest is not self and not oldest.transport.is_closing():
                oldest._disarm()
                oldest.transport.close()
                return True
        return False

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self._limits.header_timeout, self._head_timeout)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timeout(self) -> None:
        self._head_timer = None
        if not self._head_done and not self.transport.is_closing():
            self.transport.close()
