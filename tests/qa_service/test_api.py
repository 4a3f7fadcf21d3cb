"""The HTTP contract through TestClient (and one request to a real uvicorn process)."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

QUESTIONS = [
    "What did Pennine Lancashire ask about governance?",
    "what did Fylde Coast ask of the panel?",
    "Who is the Chief Executive of Chorley Council?",
    "What are Morecambe Bay's key priorities?",
    "How much has Blackpool council lost over the past ten years?",
    "Which sectors should be involved in a health equity system?",
    "What single message would you send to the HEC?",
    "budgets for prevention",
]


def ask(client, question: str, **kw) -> httpx.Response:
    return client.post("/v1/ask", json={"question": question, **kw})


def assert_error(resp: httpx.Response, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_pennine_governance_is_first_with_its_highlight(client):
    r = ask(client, "What did Pennine Lancashire ask about governance?")
    assert r.status_code == 200
    body = r.json()
    top = body["passages"][0]
    assert body["answerable"] is True
    assert top["section"] == "Pennine Lancashire"
    assert top["heading_path"][1:] == ["Pennine Lancashire", "Asks of the panel"]
    assert "robust governance and delivery system for health equity" in top["text"]
    assert top["citation"].startswith("[1] Lancashire and Cumbria Health Equity Commission")
    assert "(6 Dec 2021) › Pennine Lancashire › Asks of the panel" in top["citation"]
    assert top["speakers"] == ["Martin Hodgson", "Phillipa Cross", "Christine Blythe"]
    doc = client.get(f"/v1/documents/{top['document_id']}").json()["text"]
    h = top["highlights"][0]
    assert "robust governance and delivery system" in doc[h["start"]:h["end"]]


@pytest.mark.parametrize("question", QUESTIONS)
def test_offsets_invariant(client, question):
    r = ask(client, question, k=10)
    assert r.status_code == 200
    passages = r.json()["passages"]
    assert len(passages) == 10
    assert [p["rank"] for p in passages] == list(range(1, 11))
    texts: dict[str, str] = {}
    for p in passages:
        if p["document_id"] not in texts:
            texts[p["document_id"]] = client.get(f"/v1/documents/{p['document_id']}").json()["text"]
        text = texts[p["document_id"]]
        assert text[p["start"]:p["end"]] == p["text"]
        assert p["line_start"] == text.count("\n", 0, p["start"]) + 1
        assert p["line_end"] >= p["line_start"]
        assert p["highlights"], "every passage marks what answers"
        for h in p["highlights"]:
            assert p["start"] <= h["start"] < h["end"] <= p["end"]
    spans = [(p["document_id"], p["start"], p["end"]) for p in passages]
    for i, (d, s, e) in enumerate(spans):  # deduplicated: no two passages overlap
        for d2, s2, e2 in spans[i + 1:]:
            assert d != d2 or e <= s2 or e2 <= s


def test_filters_narrow_results(client):
    docs = client.get("/v1/documents").json()["documents"]
    panel = next(d for d in docs if d["date"] == "2021-12-06")
    r = ask(client, "governance", k=20, filters={"document_id": panel["id"]}).json()
    assert r["passages"] and all(p["document_id"] == panel["id"] for p in r["passages"])
    r = ask(client, "governance", k=20, filters={"section": "fylde coast"}).json()
    assert r["passages"] and all(p["section"] == "Fylde Coast" for p in r["passages"])
    r = ask(client, "priorities", k=20, filters={"speaker": "Gary Hall"}).json()
    assert r["passages"] and all("Gary Hall" in p["speakers"] for p in r["passages"])
    r = ask(client, "prevention", k=50, filters={"date_from": "2021-12-01"}).json()
    assert r["passages"] and all(p["date"] >= "2021-12-01" for p in r["passages"])
    r = ask(client, "prevention", k=50, filters={"date_to": "2021-11-30"}).json()
    assert r["passages"] and all(p["date"] <= "2021-11-30" for p in r["passages"])
    r = ask(client, "prevention", filters={"section": "No Such Place"}).json()
    assert r["passages"] == [] and r["answerable"] is False and r["reason"]


def test_documents_listing_and_detail(client):
    docs = client.get("/v1/documents").json()["documents"]
    assert {d["title"] for d in docs} >= {
        "Execs Workshop for the Lancashire and Cumbria Health Equity Commission",
        "Lancashire and Cumbria Health Equity Commission Panel Meeting: Learning from "
        "Integrated Care Partnerships"}
    panel = next(d for d in docs if d["date"] == "2021-12-06")
    assert [s["name"] for s in panel["sections"]] == [
        "North Cumbria", "Morecambe Bay", "Fylde Coast", "Central Lancashire",
        "West Lancashire", "Pennine Lancashire"]
    assert "text" not in panel
    detail = client.get(f"/v1/documents/{panel['id']}").json()
    for s in detail["sections"]:
        assert detail["text"][s["start"]:s["end"]].startswith(s["name"])


BAD_BODIES = [
    ({"question": ""}, 422), ({"question": "   \n\t "}, 422), ({"question": "x" * 1001}, 422),
    ({"question": "ok", "k": 0}, 422), ({"question": "ok", "k": 51}, 422),
    ({"question": "ok", "k": "5"}, 422), ({"question": "ok", "k": None}, 422),
    ({"question": "ok", "k": 2.5}, 422), ({"question": 5}, 422), ({}, 422),
    ({"question": "ok", "filters": {"bogus": 1}}, 422), ({"question": "ok", "extra": 1}, 422),
    ({"question": "ok", "filters": {"date_from": "2021-13-45"}}, 422),
    ({"question": "ok", "filters": {"date_from": "yesterday"}}, 422),
    ({"question": "ok", "filters": {"date_from": "2021-12-31", "date_to": "2021-01-01"}}, 422),
    ({"question": "ok", "filters": "Fylde"}, 422), ([{"question": "ok"}], 422), ("ok", 422),
]


@pytest.mark.parametrize(("body", "status"), BAD_BODIES)
def test_bad_requests_get_one_error_shape(client, body, status):
    assert_error(client.post("/v1/ask", json=body), status, "invalid_request")


def test_transport_level_errors(client):
    assert_error(client.post("/v1/ask", content=b"{not json", headers={
        "content-type": "application/json"}), 422)
    assert_error(client.post("/v1/ask", content=b"question=hi", headers={
        "content-type": "application/x-www-form-urlencoded"}), 422)
    big = json.dumps({"question": "a" * (100 * 1024)})
    assert_error(client.post("/v1/ask", content=big, headers={
        "content-type": "application/json"}), 413, "payload_too_large")
    assert_error(client.get("/v1/ask"), 405)
    assert_error(client.get("/v1/nothing-here"), 404)


@pytest.mark.parametrize("doc_id", ["0123456789abcdef", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
                                    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd",
                                    "x" * 300, "data/transcripts"])
def test_unknown_and_traversal_document_ids_are_404(client, doc_id):
    assert_error(client.get(f"/v1/documents/{doc_id}"), 404)


@pytest.mark.parametrize("question", ["ما هي أولويات الصحة؟ governance", "governance 🙂🏥",
                                      "gover\x00nance", "governance \ud800 asks",
                                      "\u202egovernance\u202c asks"])
def test_unicode_questions_are_handled(client, question):
    r = client.post("/v1/ask", content=json.dumps({"question": question}),
                    headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "\x00" not in body["question"] and "\ud800" not in body["question"]
    assert body["passages"]


def test_operations_endpoints(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    summary = ready.json()["index"]
    assert summary["model"]["name"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert summary["counts"]["documents"] == 3
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    ask(client, "governance")
    metrics = client.get("/metrics").text
    assert 'commission_qa_retrieval_stage_seconds_count{stage="encode"}' in metrics
    assert 'handler="/v1/ask"' in metrics
    assert client.get("/openapi.json").json()["paths"]["/v1/ask"]["post"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()


def test_questions_are_logged_as_length_and_hash(client, caplog):
    caplog.set_level(logging.INFO, logger="commission_qa")
    logger = logging.getLogger("commission_qa")
    logger.addHandler(caplog.handler)
    try:
        ask(client, "a very private question about governance")
    finally:
        logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if getattr(r, "event", None) == "ask"]
    assert records and records[-1].question_chars == len("a very private question about governance")
    assert all("private question" not in r.getMessage() and
               "private question" not in str(vars(r)) for r in caplog.records)


def test_live_uvicorn_process(live_server):
    r = httpx.post(f"{live_server}/v1/ask", json={
        "question": "what did Pennine Lancashire ask about governance"}, timeout=30)
    assert r.status_code == 200
    assert "robust governance" in r.json()["passages"][0]["text"]
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
