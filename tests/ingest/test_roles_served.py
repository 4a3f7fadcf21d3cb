"""Roles and section kinds end to end: in the index, in /v1/ask, in /v1/documents, and the
role filter (the retriever's mask and the request's validation)."""

from __future__ import annotations

import json

from core.records import Filters


def test_role_filter_keeps_only_that_role(retriever) -> None:
    mask = retriever.allowed(Filters(role="speakers"))
    roles = {c.role for c, ok in zip(retriever.chunks, mask, strict=True) if ok}
    assert roles == {"speakers"}
    hits = retriever.search("who spoke for Pennine Lancashire", k=5, filters=Filters(role="speakers"))
    assert hits and all(h.chunk.role == "speakers" for h in hits)


def test_ask_returns_kind_and_role_and_validates_the_role_filter(client) -> None:
    r = client.post("/v1/ask", json={"question": "asks of the panel on governance", "k": 3})
    assert r.status_code == 200
    first = r.json()["passages"][0]
    assert first["section_kind"] == "place" and first["role"] in ("bullet", "heading")
    ok = client.post("/v1/ask", json={"question": "who spoke", "filters": {"role": "speakers"}})
    assert ok.status_code == 200 and {p["role"] for p in ok.json()["passages"]} == {"speakers"}
    bad = client.post("/v1/ask", json={"question": "who spoke", "filters": {"role": "gossip"}})
    assert bad.status_code == 422 and "role must be one of" in json.dumps(bad.json())


def test_documents_show_layout_and_section_kinds(client, built_index) -> None:
    docs = client.get("/v1/documents").json()["documents"]
    layouts = {d["source"]: d["layout"] for d in docs}
    assert layouts["2021-12-06_panel-meeting_learning-from-integrated-care-partnerships.txt"] \
        == "panel"
    assert layouts["2021-11-04_execs-workshop.txt"] == "workshop"
    panel = next(d for d in docs if d["layout"] == "panel")
    assert {s["kind"] for s in panel["sections"]} == {"place"}
    manifest = json.loads((built_index / "manifest.json").read_text(encoding="utf-8"))
    assert {d["layout"] for d in manifest["documents"]} >= {"panel", "workshop"}
