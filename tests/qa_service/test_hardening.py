"""The service's limits and defaults: bodies refused before a response starts, load shedding,
admin reload behind the key, no server paths in public errors, every index load error a 503 with
a reason, the refusal to serve a public address without a key, the question's contract."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from typer.testing import CliRunner

from core.errors import UnsafeConfig
from index import store
from qa_service.app import create_app
from qa_service.middleware import ARRIVED, Limits, LoadShedder, RequestContext
from qa_service.server import PROTOCOL, check_bind
from qa_service.settings import Settings

KEY = "hardening-test-key"
AUTH = {"X-API-Key": KEY}


def chunks(total: int, size: int = 8192):
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        sent += n
        yield b"x" * n


def assert_error(r, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/healthz", "/readyz"])
def test_chunked_body_over_the_limit_is_413_before_any_response(client, caplog, path):
    caplog.set_level(logging.ERROR)
    r = client.request("GET", path, content=chunks(100 * 1024))
    assert_error(r, 413, "payload_too_large")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    ok = client.request("GET", path, content=chunks(1024))  # a small body is read and ignored
    assert ok.status_code in (200, 503) and "error" not in ok.headers.get("content-type", "")


def test_chunked_question_is_read_whole_or_refused(client):
    body = b'{"question": "what did Pennine Lancashire ask about governance"}'
    r = client.post("/v1/ask", content=iter([body[:10], body[10:]]),
                    headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["passages"]
    big = client.post("/v1/ask", content=chunks(70 * 1024),
                      headers={"content-type": "application/json"})
    assert_error(big, 413, "payload_too_large")


async def _call(app, path: str = "/v1/ask", receive=None, headers=None, scope_extra=None):
    """Run one request through an ASGI app; return (status, headers, body)."""
    sent: list[dict] = []

    async def default_receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers or [],
             "state": {}, **(scope_extra or {})}
    await app(scope, receive or default_receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def test_slow_body_is_408_and_the_app_never_runs():
    called = []

    async def app(scope, receive, send) -> None:
        called.append(scope)

    async def trickle() -> dict:  # one byte, then nothing more
        if not called and not getattr(trickle, "sent", False):
            trickle.sent = True
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(3600)
        return {}

    guarded = RequestContext(app, Limits(max_body=1024, body_timeout=0.2))
    status, headers, body = asyncio.run(_call(
        guarded, receive=trickle, headers=[(b"content-length", b"100")]))
    assert status == 408 and b"request_timeout" in body and called == []


def test_load_shedding_answers_503_at_once_when_full():
    release = asyncio.Event()

    async def app(scope, receive, send) -> None:
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    shedder = LoadShedder(app, max_inflight=2, retry_after=3)

    async def scenario() -> list:
        busy = [asyncio.create_task(_call(shedder)) for _ in range(2)]
        await asyncio.sleep(0.05)
        assert shedder.inflight == 2
        shed = await _call(shedder)  # answered while the two are still in progress
        admin = asyncio.create_task(_call(shedder, "/v1/admin/reload"))  # never shed
        health = asyncio.create_task(_call(shedder, "/healthz"))
        release.set()
        done = await asyncio.gather(*busy, admin, health)
        after = await _call(shedder)
        return [shed, *done, after]

    before = REGISTRY.get_sample_value("commission_qa_shed_requests_total",
                                       {"reason": "inflight"}) or 0
    shed, *rest = asyncio.run(scenario())
    assert shed[0] == 503 and shed[1][b"retry-after"] == b"3" and b"overloaded" in shed[2]
    assert REGISTRY.get_sample_value("commission_qa_shed_requests_total",
                                     {"reason": "inflight"}) == before + 1  # on /metrics
    assert [r[0] for r in rest] == [200] * 5
    assert shedder.inflight == 0 and shedder.shed == 1


def test_requests_that_waited_too_long_are_shed():
    """The server records when a request was complete (``ARRIVED``); one that waited in the
    event loop's queue longer than ``max_queue`` is shed instead of answered late."""

    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    shedder = LoadShedder(app, max_inflight=100, max_queue=0.25)

    async def scenario() -> list:
        now = asyncio.get_running_loop().time()
        return [await _call(shedder, scope_extra={ARRIVED: now - 1.0}),
                await _call(shedder, scope_extra={ARRIVED: now}),
                await _call(shedder)]  # no stamp (another server): the count alone decides

    late, fresh, unstamped = asyncio.run(scenario())
    assert late[0] == 503 and late[1][b"retry-after"] == b"1"
    assert fresh[0] == 200 and unstamped[0] == 200


def test_admin_reload_is_closed_without_a_key(client):
    assert_error(client.post("/v1/admin/reload"), 403, "forbidden")
    assert "SIGHUP" in client.post("/v1/admin/reload").json()["error"]["message"]
    assert client.get("/readyz").json()["ready"] is True


def test_admin_reload_needs_the_key(built_index, encoder):
    app = create_app(Settings(index_dir=built_index, api_key=KEY), encoder=encoder)
    with TestClient(app) as c:
        assert_error(c.post("/v1/admin/reload"), 401, "unauthorized")
        r = c.post("/v1/admin/reload", headers=AUTH)
        assert r.status_code == 200 and r.json()["ready"] is True


def test_no_server_paths_in_public_errors(tmp_path, encoder):
    missing = tmp_path / "deep" / "missing"
    app = create_app(Settings(index_dir=missing, api_key=KEY), encoder=encoder)
    with TestClient(app) as c:
        ready = c.get("/readyz")
        ask = c.post("/v1/ask", json={"question": "governance"}, headers=AUTH)
    assert ready.status_code == 503 and "no index" in ready.json()["error"]
    assert ask.status_code == 503
    for text in (ready.text, ask.text):
        assert str(tmp_path) not in text and "/tmp" not in text


@pytest.fixture()
def index_copy(tmp_path: Path, built_index: Path) -> Path:
    shutil.copytree(built_index.parent, tmp_path / "ix", symlinks=True)
    return tmp_path / "ix" / built_index.name


def empty_units(gen: Path) -> None:
    (gen / store.UNITS_FILE).write_bytes(b"")


def test_empty_units_file_at_start_is_503_with_a_reason(index_copy, encoder):
    empty_units(store.resolve(index_copy))
    app = create_app(Settings(index_dir=index_copy, verify_index=False), encoder=encoder)
    with TestClient(app) as c:  # the service starts
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["ready"] is False
        assert "cannot be read" in ready.json()["error"]
        ask = c.post("/v1/ask", json={"question": "governance"})
        assert_error(ask, 503, "not_ready")
        assert "cannot be read" in ask.json()["error"]["details"]["reason"]


def test_empty_units_file_on_reload_keeps_the_old_index(index_copy, encoder):
    app = create_app(Settings(index_dir=index_copy, verify_index=False, api_key=KEY),
                     encoder=encoder)
    with TestClient(app, headers=AUTH) as c:
        good = store.resolve(index_copy)
        bad = store.generations_dir(index_copy) / "20990101T000000-empty-units"
        shutil.copytree(good, bad)
        empty_units(bad)
        index_copy.unlink()
        index_copy.symlink_to(bad.relative_to(index_copy.parent))
        r = c.post("/v1/admin/reload")
        assert r.status_code == 200 and r.json()["index"]["generation"] == good.name
        ready = c.get("/readyz")
        assert ready.status_code == 200 and "cannot be read" in ready.json()["error"]
        assert str(index_copy.parent) not in ready.text
        assert c.post("/v1/ask", json={"question": "governance"}).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_public_address_refused_without_a_key(host):
    with pytest.raises(UnsafeConfig, match="API key"):
        check_bind(Settings(host=host))
    check_bind(Settings(host=host, api_key=KEY))
    check_bind(Settings(host=host, allow_insecure_public=True))


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_served_without_a_key(host):
    check_bind(Settings(host=host))


def test_serve_refuses_public_address_without_key(monkeypatch):
    import uvicorn

    from commission_qa.cli import app
    from qa_service import logs

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setattr(logs, "configure", lambda level: None)
    monkeypatch.delenv("COMMISSION_QA_API_KEY", raising=False)
    refused = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "18999"])
    assert refused.exit_code == 2 and "refusing" in refused.output and calls == []
    allowed = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "18999",
                                       "--allow-insecure-public"])
    assert allowed.exit_code == 0, allowed.output
    assert calls and calls[0]["http"] == PROTOCOL


def test_question_contract_matches_the_schema(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]
    question = schema["properties"]["question"]
    assert question["minLength"] == 1 and question["maxLength"] == 1000 and question["pattern"]
    for q in ["", " ", "\u200b", "\u200b\u2060\ufeff", " \u200c\t\u00ad ", "x" * 1001]:
        assert_error(client.post("/v1/ask", json={"question": q}), 422, "invalid_request")
    assert client.post("/v1/ask", json={"question": "\u200bgovernance"}).status_code == 200


def test_questions_are_logged_with_a_keyed_hash(client, caplog):
    caplog.set_level(logging.INFO, logger="commission_qa")
    logger = logging.getLogger("commission_qa")
    logger.addHandler(caplog.handler)
    question = "what did Pennine Lancashire ask about governance"
    try:
        assert client.post("/v1/ask", json={"question": question}).status_code == 200
    finally:
        logger.removeHandler(caplog.handler)
    record = next(r for r in caplog.records if getattr(r, "event", None) == "ask")
    digest = record.question_hmac
    assert len(digest) == 16 and not hasattr(record, "question_sha256")
    assert digest not in hashlib.sha256(question.encode()).hexdigest()  # not guessable offline
    assert question not in str(vars(record))
