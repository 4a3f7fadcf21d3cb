"""The chat page at GET / in a real browser: Debian's chromium driven by playwright against a
real uvicorn server (``live_server``; a second one with an API key for the key prompt).

Expected values come from the API itself (httpx), never hard-coded results.
Screenshots go to test-results/chat/ (gitignored).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-results" / "chat"
GOVERNANCE = "What did Pennine Lancashire ask about governance?"
SCRIPT_QUESTION = "What did Script Test Place ask about showing img onerror literally?"
SCRIPT_TEXT = "<img src=x onerror=alert(1)>"
OFF_TOPIC = ["What is the recipe for sourdough bread?",
             "How do I change the oil in a diesel lawnmower?",
             "Who won the 1966 football world cup final?"]
API_KEY = "chat-page-test-key-8c1f"
TIMEOUT_MS = 60_000


# ---------- fixtures ----------

@dataclass
class Tab:
    """A browser page plus what it reported: dialogs (alert, prompt…) and uncaught errors."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("COMMISSION_QA_REQUIRE_BROWSER") == "1":  # set by `make test` (CI)
            pytest.fail(f"{CHROMIUM} is missing: `make browser` should have installed it")
        pytest.skip(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_tab(browser, url: str, width: int = 1280, height: int = 800,
             permissions: list[str] | None = None):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  permissions=permissions or [])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page)

    def on_dialog(dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: tab.errors.append(str(e)))
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/")
    return context, tab


@pytest.fixture
def tab(browser, live_server: str) -> Iterator[Tab]:
    context, t = open_tab(browser, live_server)
    yield t
    context.close()


@pytest.fixture
def narrow_tab(browser, live_server: str) -> Iterator[Tab]:
    context, t = open_tab(browser, live_server, width=375, height=740)
    yield t
    context.close()


@pytest.fixture(scope="module")
def key_server(built_index: Path, server_starter) -> Iterator[str]:
    with server_starter(built_index, timeout=90, env={"COMMISSION_QA_API_KEY": API_KEY}) as server:
        yield server.url


@pytest.fixture(scope="module", autouse=True)
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


# ---------- helpers ----------

def api_ask(url: str, question: str, k: int = 5, headers: dict | None = None) -> dict:
    r = httpx.post(f"{url}/v1/ask", json={"question": question, "k": k}, headers=headers,
                   timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def api_document(url: str, document_id: str) -> dict:
    r = httpx.get(f"{url}/v1/documents/{document_id}", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def ask(page, question: str) -> None:
    """Type a question, press Enter and wait until its answer (or error) is shown."""
    before = page.locator(".turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    wait_answer(page, before + 1)


def wait_answer(page, turns: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".turn")).to_have_count(turns)
    expect(page.locator(".answer-loading")).to_have_count(0)


def last_turn(page):
    return page.locator(".turn").last


def cite_path(p: dict) -> str:
    return " › ".join(p["heading_path"][1:] or [p["section"]])


def active(page) -> str:
    """The id of the focused element ('' when it has none)."""
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def focus_is(page, css_class: str) -> bool:
    return page.evaluate("c => !!document.activeElement && "
                         "document.activeElement.classList.contains(c)", css_class)


# ---------- the answer ----------

def test_governance_question_cites_pennine_lancashire_first(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    body = api_ask(live_server, GOVERNANCE)
    top = body["passages"][0]
    doc = api_document(live_server, top["document_id"])
    page = tab.page
    ask(page, GOVERNANCE)

    turn = last_turn(page)
    expect(turn.locator(".bubble-question")).to_contain_text(GOVERNANCE)
    cards = turn.locator(".passage")
    expect(cards).to_have_count(len(body["passages"]))
    first = cards.first
    citation = first.locator(".citation")
    assert "Pennine Lancashire" in citation.text_content()
    assert citation.locator(".cite-path").text_content() == cite_path(top)
    meeting = citation.locator(".cite-meeting").text_content()
    assert top["title"] in meeting and "2021" in meeting
    marks = first.locator(".passage-text mark")
    expect(marks).to_have_count(len(top["highlights"]))
    wanted = [doc["text"][h["start"]:h["end"]] for h in top["highlights"]]
    assert marks.all_text_contents() == wanted
    assert any("robust governance" in m for m in wanted)
    assert first.locator(".passage-text").text_content() == top["text"]
    expect(first.locator(".score")).to_have_text(f"Score {top['score']:.2f}")
    for name in top["speakers"]:
        expect(first.locator(".card-meta")).to_contain_text(name)
    expect(page.locator("#status")).to_contain_text("passages found")
    page.wait_for_timeout(400)  # let the smooth scroll settle before the screenshot
    page.screenshot(path=str(SHOTS / "answer-desktop-1280.png"))
    assert tab.errors == [] and tab.dialogs == []


def test_citation_opens_document_with_the_passage_highlighted(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    top = api_ask(live_server, GOVERNANCE)["passages"][0]
    doc = api_document(live_server, top["document_id"])
    page = tab.page
    ask(page, GOVERNANCE)
    citation = last_turn(page).locator(".citation").first
    citation.click()

    panel = page.locator("#doc-panel")
    expect(panel).to_be_visible()
    passage = panel.locator(".doc-passage")
    expect(passage).to_have_count(1)
    assert passage.text_content() == top["text"] == doc["text"][top["start"]:top["end"]]
    assert panel.locator("#doc-text").text_content() == doc["text"]
    marks = passage.locator("mark")
    assert marks.all_text_contents() == [doc["text"][h["start"]:h["end"]]
                                         for h in top["highlights"]]
    expect(passage).to_be_in_viewport()
    expect(panel.locator("#doc-title")).to_have_text(doc["title"])
    page.screenshot(path=str(SHOTS / "document-desktop-1280.png"))

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert focus_is(page, "citation")


def test_script_in_a_document_is_shown_literally(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    body = api_ask(live_server, SCRIPT_QUESTION)
    ranks = [p["rank"] for p in body["passages"] if SCRIPT_TEXT in p["text"]]
    assert ranks, "the question should retrieve the script-test passage"
    page = tab.page
    ask(page, SCRIPT_QUESTION)

    card = last_turn(page).locator(".passage").nth(ranks[0] - 1)
    expect(card.locator(".passage-text")).to_contain_text(SCRIPT_TEXT)
    expect(card.locator(".passage-text")).to_contain_text("<b>bold</b>")
    card.locator(".citation").click()
    expect(page.locator("#doc-passage")).to_contain_text(SCRIPT_TEXT)
    page.wait_for_timeout(300)  # an injected <img onerror> would have fired by now
    assert page.locator("img").count() == 0
    assert page.locator("b").count() == 0
    assert tab.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0


# ---------- states: no evidence, errors, loading ----------

def test_unanswerable_question_says_no_good_evidence(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    found = [(q, b) for q in OFF_TOPIC if not (b := api_ask(live_server, q))["answerable"]]
    assert found, "none of the off-topic questions is marked answerable=false by the API"
    question, body = found[0]
    page = tab.page
    ask(page, question)

    turn = last_turn(page)
    notice = turn.locator(".notice-no-evidence")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("No good evidence found")
    if body["reason"]:
        expect(notice).to_contain_text(body["reason"])
    expect(turn.locator(".passage-weak")).to_have_count(len(body["passages"]))
    expect(turn.locator(".answer-summary")).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("No good evidence found")


@pytest.mark.parametrize("failure", ["503", "network"])
def test_api_failure_is_shown_in_the_conversation(tab: Tab, failure: str):
    from playwright.sync_api import expect

    page = tab.page
    error = {"error": {"code": "index_not_loaded", "message": "no index is loaded yet",
                       "details": None}}
    if failure == "503":
        page.route("**/v1/ask", lambda route: route.fulfill(
            status=503, content_type="application/json", body=json.dumps(error)))
    else:
        page.route("**/v1/ask", lambda route: route.abort())
    ask(page, GOVERNANCE)

    box = last_turn(page).locator(".answer-error")
    expect(box).to_be_visible()
    if failure == "503":
        expect(box).to_contain_text("no index is loaded yet")
        expect(box).to_contain_text("index_not_loaded")
        expect(box).to_contain_text("503")
    else:
        expect(box).to_contain_text("Could not reach the service")
    expect(page.locator("#status")).to_contain_text("could not be answered")
    expect(page.locator("#ask")).to_be_enabled()


def test_loading_indicator_while_waiting(tab: Tab):
    from playwright.sync_api import expect

    page = tab.page
    held = []
    page.route("**/v1/ask", lambda route: held.append(route))
    page.fill("#question", GOVERNANCE)
    page.press("#question", "Enter")
    loading = page.locator(".answer-loading")
    expect(loading).to_be_visible()
    expect(loading).to_contain_text("Searching")
    expect(page.locator("#ask")).to_be_disabled()
    expect(page.locator("#conversation")).to_have_attribute("aria-busy", "true")
    assert len(held) == 1
    held[0].continue_()
    expect(loading).to_have_count(0)
    expect(last_turn(page).locator(".passage").first).to_be_visible()
    expect(page.locator("#conversation")).to_have_attribute("aria-busy", "false")


# ---------- conversation, keyboard, layout ----------

def test_conversation_survives_reload_and_can_be_cleared(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    body = api_ask(live_server, GOVERNANCE)
    page = tab.page
    ask(page, GOVERNANCE)
    page.reload()
    turns = page.locator(".turn")
    expect(turns).to_have_count(1)
    expect(turns.first.locator(".bubble-question")).to_contain_text(GOVERNANCE)
    expect(turns.first.locator(".passage")).to_have_count(len(body["passages"]))
    expect(turns.first.locator(".citation").first).to_contain_text(
        cite_path(body["passages"][0]))

    ask(page, "What are Morecambe Bay's key priorities?")
    page.reload()
    expect(page.locator(".turn")).to_have_count(2)
    page.click("#clear")
    expect(page.locator(".turn")).to_have_count(0)
    page.reload()
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.locator("#empty-state")).to_be_visible()


def test_keyboard_only(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    passages = api_ask(live_server, GOVERNANCE)["passages"]
    page = tab.page
    for _ in range(12):
        page.keyboard.press("Tab")
        if active(page) == "question":
            break
    assert active(page) == "question"
    page.keyboard.type(GOVERNANCE)
    page.keyboard.press("Enter")
    wait_answer(page, 1)
    assert active(page) == "question"  # ready for the next question

    for _ in range(12):  # back up from the question box to the nearest citation
        page.keyboard.press("Shift+Tab")
        if focus_is(page, "citation"):
            break
    assert focus_is(page, "citation")
    focused = page.evaluate("() => document.activeElement.querySelector('.cite-path')"
                            ".textContent")
    target = next(p for p in reversed(passages) if cite_path(p) == focused)
    page.keyboard.press("Enter")
    passage = page.locator("#doc-passage")
    expect(passage).to_have_text(target["text"])
    expect(passage).to_be_in_viewport()
    assert active(page) == "doc-title"
    page.keyboard.press("Escape")
    expect(page.locator("#doc-panel")).to_be_hidden()
    assert focus_is(page, "citation")


def test_narrow_screen_does_not_overflow(narrow_tab: Tab, live_server: str):
    from playwright.sync_api import expect

    page = narrow_tab.page
    width = "() => document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 375
    ask(page, GOVERNANCE)
    expect(last_turn(page).locator(".passage").first).to_be_visible()
    assert page.evaluate(width) <= 375
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "answer-mobile-375.png"))

    last_turn(page).locator(".citation").first.click()
    expect(page.locator("#doc-passage")).to_be_in_viewport()
    box = page.locator("#doc-panel").bounding_box()
    assert box and box["width"] <= 375
    assert page.evaluate(width) <= 375
    page.screenshot(path=str(SHOTS / "document-mobile-375.png"))
    # the document covers the page: Tab stays inside it, Close returns to the citation
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('#doc-panel')")
        if active(page) == "doc-close":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#doc-panel")).to_be_hidden()
    assert focus_is(page, "citation")
    assert narrow_tab.errors == []


# ---------- filters and copying ----------

def test_filters_come_from_the_documents_and_are_sent(tab: Tab, live_server: str):
    from playwright.sync_api import expect

    docs = httpx.get(f"{live_server}/v1/documents", timeout=30).json()["documents"]
    page = tab.page
    page.click("#filters summary")
    doc_select = page.locator("#filter-document")
    expect(doc_select.locator("option")).to_have_count(len(docs) + 1)
    doc = max(docs, key=lambda d: len(d["sections"]))
    doc_select.select_option(doc["id"])
    names = page.locator("#filter-section option").all_text_contents()[1:]
    top_level = [s["name"] for s in doc["sections"] if not s["children"]]
    assert names and set(top_level) <= set(names)
    section = top_level[0]
    page.locator("#filter-section").select_option(section)

    with page.expect_request("**/v1/ask") as request:
        ask(page, "What was said here?")
    sent = json.loads(request.value.post_data)
    assert sent["filters"] == {"document_id": doc["id"], "section": section}
    turn = last_turn(page)
    expect(turn.locator(".bubble-filters")).to_contain_text(section)
    cards = turn.locator(".passage")
    assert cards.count() > 0
    for meeting in turn.locator(".cite-meeting").all_text_contents():
        assert doc["title"] in meeting


def test_copy_citation_copies_label_and_quote(browser, live_server: str):
    top = api_ask(live_server, GOVERNANCE)["passages"][0]
    context, t = open_tab(browser, live_server,
                          permissions=["clipboard-read", "clipboard-write"])
    try:
        page = t.page
        ask(page, GOVERNANCE)
        button = last_turn(page).locator(".copy-citation").first
        button.click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.startswith(top["citation"])
        assert top["text"].strip() in copied
        assert button.text_content() == "Copied"
    finally:
        context.close()


# ---------- API key ----------

def test_api_key_is_asked_for_on_401_and_kept(browser, key_server: str):
    from playwright.sync_api import expect

    assert httpx.post(f"{key_server}/v1/ask", json={"question": GOVERNANCE}).status_code == 401
    top = api_ask(key_server, GOVERNANCE, headers={"X-API-Key": API_KEY})["passages"][0]
    context, t = open_tab(browser, key_server)
    try:
        page = t.page
        expect(page.locator("#filters-note")).to_contain_text("API key")
        page.fill("#question", GOVERNANCE)
        page.press("#question", "Enter")
        dialog = page.locator("#key-dialog")
        expect(dialog).to_be_visible()
        assert active(page) == "api-key"
        page.fill("#api-key", "not-the-key")
        page.press("#api-key", "Enter")
        expect(page.locator("#key-message")).to_contain_text("not accepted")
        page.fill("#api-key", API_KEY)
        with page.expect_request(lambda r: r.url.endswith("/v1/ask")
                                 and r.headers.get("x-api-key") == API_KEY):
            page.click("#key-submit")
        wait_answer(page, 1)
        expect(dialog).to_be_hidden()
        expect(last_turn(page).locator(".cite-path").first).to_have_text(cite_path(top))
        assert page.evaluate("() => sessionStorage.getItem('commission-qa.api-key')") \
            == json.dumps(API_KEY)
        expect(page.locator("#filter-document option")).not_to_have_count(1)

        page.reload()  # the key is kept for the tab: no second prompt
        ask(page, GOVERNANCE)
        expect(dialog).to_be_hidden()
        expect(last_turn(page).locator(".passage").first).to_be_visible()
        assert t.dialogs == []
    finally:
        context.close()


def test_cancelling_the_key_prompt_shows_an_error(browser, key_server: str):
    from playwright.sync_api import expect

    context, t = open_tab(browser, key_server)
    try:
        page = t.page
        page.fill("#question", GOVERNANCE)
        page.press("#question", "Enter")
        expect(page.locator("#key-dialog")).to_be_visible()
        page.keyboard.press("Escape")
        wait_answer(page, 1)
        expect(page.locator("#key-dialog")).to_be_hidden()
        expect(last_turn(page).locator(".answer-error")).to_contain_text("API key")
    finally:
        context.close()


def test_page_is_self_contained(live_server: str):
    """No build step and nothing from outside the service: every asset is local."""
    html = httpx.get(f"{live_server}/", timeout=30).text
    assert "http://" not in html and "https://" not in html
    for asset in ("/static/app.js", "/static/style.css"):
        r = httpx.get(f"{live_server}{asset}", timeout=30)
        assert r.status_code == 200
        assert "http://" not in r.text and "https://" not in r.text
    assert "innerHTML" not in httpx.get(f"{live_server}/static/app.js", timeout=30).text
