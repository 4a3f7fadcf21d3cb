"""The real server (``commission-qa serve``) against clients that hold connections: request heads
too large (431) or too slow (closed), more connections than the cap (the longest-waiting closed,
requests still answered), and an oversized chunked body on a page (413, nothing in the log)."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from bench.common import OUT_DIR

LIMITS = {"COMMISSION_QA_HEADER_TIMEOUT": "1", "COMMISSION_QA_MAX_CONNECTIONS": "16",
          "COMMISSION_QA_MAX_HEADER_BYTES": "8192"}


@pytest.fixture(scope="module")
def server(built_index, server_starter):
    with server_starter(built_index, timeout=90, env=LIMITS) as s:
        yield s


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return sock


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    """Everything until the server closes the connection (or ``timeout``)."""
    sock.settimeout(timeout)
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return out


def test_request_head_over_the_limit_is_431(server):
    sock = connect(server.url)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000)
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431 ") and b"headers_too_large" in answer
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200


def test_complete_request_head_over_the_limit_is_431(server):
    sock = connect(server.url)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 12_000 + b"\r\n\r\n")
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431 ") and answer.count(b"HTTP/1.1") == 1
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200


def test_unfinished_request_head_is_closed_after_the_timeout(server):
    silent, slow = connect(server.url), connect(server.url)
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
    t0 = time.monotonic()
    assert read_all(slow) == b"" and read_all(silent) == b""  # closed, nothing sent
    assert time.monotonic() - t0 < 8  # by the 1 s head timeout, not the 10 s read timeout
    silent.close()
    slow.close()


def test_connections_over_the_cap_close_the_longest_waiting(server):
    held = [connect(server.url) for _ in range(40)]
    for sock in held:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
    time.sleep(0.3)
    with httpx.Client(timeout=10) as client:  # still answered: the waiting ones made room
        assert [client.get(f"{server.url}/healthz").status_code for _ in range(5)] == [200] * 5
    closed = 0
    for sock in held[:20]:
        sock.settimeout(0.5)
        try:
            closed += sock.recv(1) == b""
        except (TimeoutError, ConnectionResetError):
            closed += 0
        sock.close()
    for sock in held[20:]:
        sock.close()
    assert closed >= 15  # the oldest were closed as newer ones came


def test_oversized_chunked_body_on_the_page_is_413_and_logs_nothing(server):
    sock = connect(server.url)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 8192
    try:
        for _ in range(12):  # 96 KiB
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before the whole body is sent
    answer = read_all(sock, timeout=5)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"payload_too_large" in answer
    log = (OUT_DIR / "logs" / f"serve-{urlsplit(server.url).port}.log").read_text()
    assert "response already started" not in log and "Traceback" not in log
