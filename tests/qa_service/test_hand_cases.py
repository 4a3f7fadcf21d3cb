"""Hand-written hostile requests not already in test_api.py: each gets a 4xx in the one error
shape (or a 200 where the input is merely unusual), never a 5xx."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from qa_service.app import create_app
from qa_service.settings import Settings

JSON = {"content-type": "application/json"}


def assert_error(resp, status: int | tuple[int, ...], code: str | None = None) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    assert resp.headers["x-content-type-options"] == "nosniff"  # errors get the headers too
    return body["error"]


@pytest.mark.parametrize("doc_id", [
    "%252e%252e%252f%252e%252e%252fetc%252fpasswd",  # double-encoded ../../etc/passwd
    "..%252f..%252fetc%252fpasswd", "..%5c..%5cetc%5cpasswd", "%2e%2e", "abc%00def", "%00",
    "0123456789ABCDEF", "0123456789abcde\u00e9", "%E2%80%AE0123456789abcdef"])
def test_more_traversal_and_odd_document_ids(client, doc_id):
    assert_error(client.get(f"/v1/documents/{doc_id}"), 404)


@pytest.mark.parametrize(("body", "status"), [
    ({"question": "ok", "k": True}, 422), ({"question": "ok", "k": 5.0}, 422),
    ({"question": "ok", "k": -1}, 422), ({"question": "ok", "k": 10**30}, 422),
    ({"question": ["ok"]}, 422), ({"question": None}, 422),
    ({"question": "ok", "filters": {"date_from": 1638748800}}, 422),  # not a timestamp
    ({"question": "ok", "filters": {"date_to": "1638748800"}}, 422),
    ({"question": "ok", "filters": {"date_from": "2021-02-30"}}, 422),
    ({"question": "ok", "filters": {"document_id": "x" * 65}}, 422),
    ({"question": "ok", "filters": {"speaker": 5}}, 422),
    ({"question": "ok", "filters": []}, 422),
    ({"question": "x" * 1000}, 200),
    ({"question": "  " + "x" * 996 + "  "}, 200),  # the schema's maxLength counts every character
    ({"question": "  " + "x" * 1000}, 422),
])
def test_edge_bodies(client, body, status):
    r = client.post("/v1/ask", json=body)
    if status == 200:
        assert r.status_code == 200, r.text
    else:
        assert_error(r, status, "invalid_request")


@pytest.mark.parametrize("raw", [
    b'{"question": "\\udfff governance"}',  # lone low surrogate
    b'{"question": "governance", "filters": {"speaker": "\\ud800"}}',
    b'{"question": "\\u0000\\u0000 governance \\u200f\\u05e9\\u05dc\\u05d5\\u05dd"}',
])
def test_escaped_surrogates_and_controls(client, raw):
    r = client.post("/v1/ask", content=raw, headers=JSON)
    if r.status_code != 200:  # a filter value that is not valid text may be refused
        assert_error(r, 422, "invalid_request")
        return
    json.dumps(r.json(), ensure_ascii=False).encode("utf-8")  # the answer is valid UTF-8


@pytest.mark.parametrize(("raw", "headers", "status"), [
    (b'{"question": "\xff\xfe governance"}', JSON, (400, 422)),  # invalid UTF-8 bytes
    (b'{"question": "ok"} trailing', JSON, 422),
    (b'{"question": NaN}', JSON, 422),
    (b"[" * 30000 + b"]" * 30000, JSON, (400, 422)),  # deep nesting under the size limit
    (b"", JSON, 422),
    (b'"governance"', JSON, 422),
    (b"null", JSON, 422),
    (b'{"question": "governance"}', {"content-type": "application/json",
                                     "content-length": "abc"}, 400),
])
def test_malformed_bodies(client, raw, headers, status):
    assert_error(client.post("/v1/ask", content=raw, headers=headers), status)


def test_wrong_content_types(client):
    body = json.dumps({"question": "governance"})
    for ctype in ("text/plain", "multipart/form-data; boundary=x", "application/xml"):
        r = client.post("/v1/ask", content=body, headers={"content-type": ctype})
        assert r.status_code < 500, r.text
        if r.status_code != 200:
            assert_error(r, (415, 422))


def test_oversized_chunked_body_is_413(client):
    """A body without Content-Length (chunked) is counted while read and stopped at the limit."""
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 1024
        yield b'"}'

    assert_error(client.post("/v1/ask", content=chunks(), headers=JSON), 413,
                 "payload_too_large")


def test_bad_request_ids_are_replaced(client):
    for sent in ("x" * 65, "a b", "<script>", "ok/../x"):
        rid = client.get("/healthz", headers={"X-Request-ID": sent}).headers["x-request-id"]
        assert rid != sent and len(rid) == 32


def test_full_question_logging_is_opt_in(built_index, encoder, caplog):
    logger = logging.getLogger("commission_qa")
    caplog.set_level(logging.INFO, logger="commission_qa")
    logger.addHandler(caplog.handler)
    try:
        app = create_app(Settings(index_dir=built_index, log_questions=True), encoder=encoder)
        with TestClient(app) as c:
            assert c.post("/v1/ask", json={"question": "an opted-in logged question"}
                          ).status_code == 200
    finally:
        logger.removeHandler(caplog.handler)
    asks = [r for r in caplog.records if getattr(r, "event", None) == "ask"]
    assert asks and asks[-1].question == "an opted-in logged question"


def test_api_key_401_shape_and_open_operations(built_index, encoder):
    key = "k-" + "9" * 30
    app = create_app(Settings(index_dir=built_index, api_key=key), encoder=encoder)
    with TestClient(app) as c:
        r = c.get("/v1/documents", headers={"Authorization": "Basic " + key})
        assert_error(r, 401, "unauthorized")
        assert r.headers["www-authenticate"] == "Bearer"
        assert key not in r.text
        assert c.get("/v1/documents", headers={"authorization": f"bearer {key}"}
                     ).status_code == 200  # the scheme is case-insensitive
        assert c.get("/readyz").status_code == 200 and c.get("/healthz").status_code == 200
        assert c.post("/v1/admin/reload").status_code == 401  # admin is behind the key


def test_cors_simple_request_from_unknown_origin(client, built_index, encoder):
    r = client.get("/v1/documents", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    app = create_app(Settings(index_dir=built_index, cors_origins=["https://staff.example"]),
                     encoder=encoder)
    with TestClient(app) as c:
        ok = c.get("/v1/documents", headers={"Origin": "https://staff.example"})
        assert ok.headers["access-control-allow-origin"] == "https://staff.example"
        bad = c.get("/v1/documents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in bad.headers
        pre = c.options("/v1/ask", headers={"Origin": "https://staff.example",
                                            "Access-Control-Request-Method": "DELETE"})
        assert pre.status_code == 400  # only GET and POST are allowed cross-origin
