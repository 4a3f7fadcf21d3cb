"""API key, CORS, security headers and readiness without an index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from qa_service.app import create_app
from qa_service.settings import Settings

KEY = "s3cret-key-for-tests"


@pytest.fixture(scope="module")
def keyed(built_index, encoder):
    app = create_app(Settings(index_dir=built_index, api_key=KEY), encoder=encoder)
    with TestClient(app) as c:
        yield c


def test_api_key_required_on_v1_only(keyed):
    body = {"question": "governance"}
    r = keyed.post("/v1/ask", json=body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert keyed.post("/v1/ask", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert keyed.post("/v1/ask", json=body, headers={"Authorization": f"Bearer {KEY}x"}).status_code == 401
    assert keyed.post("/v1/ask", json=body, headers={"X-API-Key": KEY}).status_code == 200
    assert keyed.post("/v1/ask", json=body, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert keyed.get("/v1/documents").status_code == 401
    assert keyed.get("/healthz").status_code == 200
    assert keyed.get("/").status_code == 200  # the page itself asks for the key


def test_api_key_never_logged(built_index, encoder, caplog):
    import logging

    logger = logging.getLogger("commission_qa")
    caplog.set_level(logging.DEBUG, logger="commission_qa")
    logger.addHandler(caplog.handler)
    try:
        app = create_app(Settings(index_dir=built_index, api_key=KEY), encoder=encoder)
        with TestClient(app) as c:
            c.post("/v1/ask", json={"question": "governance"}, headers={"X-API-Key": KEY})
            c.post("/v1/ask", json={"question": "governance"}, headers={"X-API-Key": "bad"})
    finally:
        logger.removeHandler(caplog.handler)
    assert caplog.records
    assert all(KEY not in str(vars(r)) and KEY not in r.getMessage() for r in caplog.records)


def test_settings_repr_hides_key():
    assert KEY not in repr(Settings(api_key=KEY))


def test_cors_closed_by_default_and_allowlisted(client, built_index, encoder):
    r = client.options("/v1/ask", headers={"Origin": "https://evil.example",
                                           "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    app = create_app(Settings(index_dir=built_index, cors_origins=["https://staff.example"]),
                     encoder=encoder)
    with TestClient(app) as c:
        ok = c.options("/v1/ask", headers={"Origin": "https://staff.example",
                                           "Access-Control-Request-Method": "POST"})
        assert ok.headers["access-control-allow-origin"] == "https://staff.example"
        bad = c.options("/v1/ask", headers={"Origin": "https://evil.example",
                                            "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in bad.headers


def test_security_headers_on_chat_page(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_not_ready_without_index(tmp_path, encoder):
    app = create_app(Settings(index_dir=tmp_path / "missing"), encoder=encoder)
    with TestClient(app) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["ready"] is False
        assert "no index" in ready.json()["error"]
        r = c.post("/v1/ask", json={"question": "governance"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready"
        assert c.get("/healthz").status_code == 200
