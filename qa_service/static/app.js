/* The chat page of commission-qa: plain JavaScript, no framework, no build step.
 *
 * Every piece of text that comes from the API or the user is put into the page with
 * textContent / createTextNode, never as HTML. The conversation is kept in sessionStorage so a
 * reload keeps it; the API key (asked for when the API answers 401) is kept there too and sent
 * as X-API-Key.
 */
"use strict";

(function () {
  const STORE_TURNS = "commission-qa.conversation";
  const STORE_KEY = "commission-qa.api-key";
  const MAX_TURNS = 50;

  const byId = (id) => document.getElementById(id);
  const els = {
    layout: byId("layout"),
    chat: byId("chat"),
    header: document.querySelector(".site-header"),
    conversation: byId("conversation"),
    empty: byId("empty-state"),
    form: byId("ask-form"),
    question: byId("question"),
    ask: byId("ask"),
    clear: byId("clear"),
    status: byId("status"),
    filters: byId("filters"),
    filtersSummary: byId("filters-summary"),
    filtersNote: byId("filters-note"),
    docSelect: byId("filter-document"),
    sectionSelect: byId("filter-section"),
    kSelect: byId("filter-k"),
    panel: byId("doc-panel"),
    docTitle: byId("doc-title"),
    docMeta: byId("doc-meta"),
    docBody: byId("doc-body"),
    docText: byId("doc-text"),
    docClose: byId("doc-close"),
    keyDialog: byId("key-dialog"),
    keyForm: byId("key-form"),
    keyMessage: byId("key-message"),
    keyInput: byId("api-key"),
    keyCancel: byId("key-cancel"),
  };

  const state = {
    turns: [],
    documents: [],
    documentsLoaded: false,
    docCache: new Map(),
    busy: false,
    keyResolve: null,
    panelTrigger: null,
  };

  /* ---------- small DOM helpers (text only) ---------- */

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.className) node.className = opts.className;
    if (opts.text !== undefined) node.textContent = opts.text;
    for (const [name, value] of Object.entries(opts.attrs || {})) node.setAttribute(name, value);
    for (const child of children || []) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clearNode(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function announce(message) {
    // Clearing first makes screen readers announce a repeated message again.
    els.status.textContent = "";
    window.setTimeout(() => { els.status.textContent = message; }, 50);
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return iso || "";
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric",
                                           timeZone: "UTC" });
  }

  /* ---------- sessionStorage ---------- */

  function readStore(key, fallback) {
    try {
      const raw = window.sessionStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (err) {
      return fallback;
    }
  }

  function writeStore(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (err) {
      /* storage full or disabled: the page still works, it just forgets on reload */
    }
  }

  function saveTurns() {
    writeStore(STORE_TURNS, state.turns.slice(-MAX_TURNS));
  }

  /* ---------- the API ---------- */

  class ApiError extends Error {
    constructor(status, code, message, details) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details;
    }
  }

  async function readJson(resp) {
    try {
      return await resp.json();
    } catch (err) {
      return null;
    }
  }

  function errorFrom(resp, body) {
    const e = body && body.error;
    if (e && typeof e.message === "string") {
      return new ApiError(resp.status, String(e.code || "error"), e.message, e.details);
    }
    return new ApiError(resp.status, "http_" + resp.status,
                        "The service answered " + resp.status + " " + (resp.statusText || "") +
                        " without an explanation.");
  }

  /* Fetch JSON from the service. On 401 the API key dialog is shown (unless prompt is false)
   * and the request is retried with the key the user gives. */
  async function api(path, init, prompt) {
    let rejected = false;
    for (;;) {
      const headers = Object.assign({ Accept: "application/json" }, (init && init.headers) || {});
      const key = readStore(STORE_KEY, null);
      if (key) headers["X-API-Key"] = key;
      let resp;
      try {
        resp = await fetch(path, Object.assign({}, init, { headers: headers }));
      } catch (err) {
        throw new ApiError(0, "network_error",
                           "Could not reach the service. Check the connection and try again.");
      }
      if (resp.status === 401 && key) writeStore(STORE_KEY, null);  // a key that was refused
      if (resp.status === 401 && prompt !== false) {
        const given = await askForKey(rejected || Boolean(key));
        if (!given) {
          throw new ApiError(401, "unauthorized", "This service needs an API key to answer.");
        }
        rejected = true;
        continue;
      }
      const body = await readJson(resp);
      if (!resp.ok) throw errorFrom(resp, body);
      return body;
    }
  }

  /* ---------- API key dialog ---------- */

  function askForKey(rejected) {
    els.keyMessage.textContent = rejected
      ? "That API key was not accepted. Check it and try again."
      : "This service needs an API key. It is kept for this browser tab only.";
    els.keyInput.value = "";
    if (!els.keyDialog.open) els.keyDialog.showModal();
    els.keyInput.focus();
    return new Promise((resolve) => { state.keyResolve = resolve; });
  }

  function finishKey(given) {
    if (els.keyDialog.open) els.keyDialog.close();
    const resolve = state.keyResolve;
    state.keyResolve = null;
    if (resolve) resolve(given);
  }

  function onKeySubmit(event) {
    event.preventDefault();
    const key = els.keyInput.value.trim();
    if (!key) {
      els.keyInput.focus();
      return;
    }
    writeStore(STORE_KEY, key);
    finishKey(true);
  }

  /* ---------- highlights ---------- */

  /* Split text (which starts at document offset base) into plain and highlighted pieces. */
  function segments(text, base, spans) {
    const cuts = (spans || [])
      .map((s) => [Math.max(0, s.start - base), Math.min(text.length, s.end - base)])
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    const out = [];
    let pos = 0;
    for (const [a, b] of cuts) {
      const from = Math.max(a, pos);
      if (from > pos) out.push({ text: text.slice(pos, from), mark: false });
      if (b > from) out.push({ text: text.slice(from, b), mark: true });
      pos = Math.max(pos, b);
    }
    if (pos < text.length) out.push({ text: text.slice(pos), mark: false });
    return out;
  }

  function appendSegments(parent, pieces) {
    for (const piece of pieces) {
      parent.appendChild(piece.mark ? el("mark", { text: piece.text })
                                    : document.createTextNode(piece.text));
    }
  }

  /* ---------- rendering the conversation ---------- */

  function citationPath(p) {
    const path = (p.heading_path || []).slice(1);
    return (path.length ? path : [p.section]).join(" › ");
  }

  function citationMeeting(p) {
    return p.date ? p.title + " · " + formatDate(p.date) : p.title;
  }

  function meetingLine(p) {
    const line = el("span", { className: "cite-meeting" }, [el("span", { text: p.title })]);
    if (p.date) {
      line.appendChild(document.createTextNode(" · "));
      line.appendChild(el("span", { className: "nowrap", text: formatDate(p.date) }));
    }
    return line;
  }

  function renderQuestion(turn) {
    const bubble = el("div", { className: "bubble-question" }, [
      el("span", { className: "visually-hidden", text: "You asked: " }),
      el("p", { className: "bubble-text", text: turn.question }),
    ]);
    const chips = filterChips(turn.filterLabels);
    if (chips) bubble.appendChild(chips);
    return el("div", { className: "turn-question" }, [bubble]);
  }

  function filterChips(labels) {
    if (!labels || !labels.length) return null;
    return el("p", { className: "bubble-filters" },
              [el("span", { text: "Filtered by " }), ...labels.map((l) => el("span", {
                className: "chip", text: l }))]);
  }

  function renderLoading() {
    return el("div", { className: "answer answer-loading" }, [
      el("span", { className: "spinner", attrs: { "aria-hidden": "true" } }),
      el("span", { text: "Searching the records…" }),
    ]);
  }

  function renderError(error) {
    const where = error.status ? " (" + error.code + ", HTTP " + error.status + ")"
                               : " (" + error.code + ")";
    return el("div", { className: "answer answer-error" }, [
      el("p", { className: "answer-error-title", text: "The question could not be answered" }),
      el("p", { className: "answer-error-message", text: error.message }),
      el("p", { className: "answer-error-code", text: "Error" + where }),
    ]);
  }

  function renderNoEvidence(response) {
    const count = response.passages.length;
    const children = [
      el("p", { className: "notice-title", text: "No good evidence found" }),
      el("p", { text: count
        ? "The records do not seem to answer this question. The " + count +
          " closest passages are listed below; read them with care."
        : "The records do not seem to answer this question, and no passage came close." }),
    ];
    if (response.reason) {
      children.push(el("p", { className: "notice-reason", text: "Why: " + response.reason }));
    }
    return el("div", { className: "notice notice-no-evidence" }, children);
  }

  function renderPassage(p, weak) {
    const citeId = "cite-" + p.id + "-" + Math.random().toString(36).slice(2, 8);
    const citation = el("button", {
      className: "citation", attrs: { type: "button", id: citeId,
                                      title: "Open the source document at this passage" } }, [
      el("span", { className: "cite-path", text: citationPath(p) }),
      meetingLine(p),
    ]);
    citation.addEventListener("click", () => openDocument(p, citation));

    const meta = el("p", { className: "card-meta" });
    if (p.speakers && p.speakers.length) {
      meta.appendChild(el("span", { text: "Speakers: " + p.speakers.join(", ") }));
    }
    const lines = p.line_start === p.line_end ? "Line " + p.line_start
                                              : "Lines " + p.line_start + "–" + p.line_end;
    meta.appendChild(el("span", { text: lines }));
    meta.appendChild(el("span", { className: "score", text: "Score " + p.score.toFixed(2) }));

    const quote = el("blockquote", { className: "passage-text" });
    appendSegments(quote, segments(p.text, p.start, p.highlights));

    const copy = el("button", { className: "button button-small copy-citation",
                                attrs: { type: "button" }, text: "Copy citation" });
    copy.addEventListener("click", () => copyCitation(p, copy));

    return el("li", { className: "passage" + (weak ? " passage-weak" : "") }, [
      el("article", { attrs: { "aria-labelledby": citeId } }, [
        el("div", { className: "card-head" }, [
          el("span", { className: "rank", attrs: { "aria-hidden": "true" }, text: String(p.rank) }),
          citation,
        ]),
        meta,
        quote,
        el("div", { className: "card-actions" }, [copy]),
      ]),
    ]);
  }

  function renderAnswer(turn) {
    if (turn.error) return renderError(turn.error);
    const response = turn.response;
    const answer = el("div", { className: "answer" });
    if (!response.answerable) {
      answer.appendChild(renderNoEvidence(response));
    } else {
      const n = response.passages.length;
      answer.appendChild(el("p", { className: "answer-summary",
                                   text: n + (n === 1 ? " passage" : " passages") + ", best first" }));
    }
    if (response.passages.length) {
      const list = el("ol", { className: "passages", attrs: { "aria-label": "Cited passages" } });
      for (const p of response.passages) list.appendChild(renderPassage(p, !response.answerable));
      answer.appendChild(list);
    } else if (response.answerable) {
      answer.appendChild(el("p", { text: "No passage matched." }));
    }
    return answer;
  }

  function renderTurn(turn) {
    const node = el("div", { className: "turn", attrs: { "data-turn": turn.id } });
    node.appendChild(renderQuestion(turn));
    node.appendChild(turn.pending ? renderLoading() : renderAnswer(turn));
    return node;
  }

  function summarise(turn) {
    if (turn.error) return "The question could not be answered: " + turn.error.message;
    const r = turn.response;
    const n = r.passages.length;
    if (!r.answerable) {
      return "No good evidence found. " + (n ? n + " closest passages are listed." : "");
    }
    if (!n) return "No passage matched.";
    return n + " passages found. Best: " + citationPath(r.passages[0]) + ", " +
           citationMeeting(r.passages[0]) + ".";
  }

  function showEmptyState() {
    els.empty.hidden = state.turns.length > 0;
    els.clear.disabled = state.turns.length === 0;
  }

  function restoreConversation() {
    const stored = readStore(STORE_TURNS, []);
    state.turns = Array.isArray(stored) ? stored.filter((t) => t && !t.pending &&
                                                        (t.response || t.error)) : [];
    for (const turn of state.turns) {
      try {
        els.conversation.appendChild(renderTurn(turn));
      } catch (err) {
        /* a stored turn from an older page version: skip it */
      }
    }
    showEmptyState();
    const last = els.conversation.lastElementChild;
    if (state.turns.length && last) last.scrollIntoView({ block: "start" });
  }

  /* ---------- asking ---------- */

  function setBusy(busy) {
    state.busy = busy;
    els.ask.disabled = busy;
    els.ask.textContent = busy ? "Asking…" : "Ask";
    els.conversation.setAttribute("aria-busy", busy ? "true" : "false");
  }

  async function ask(question) {
    if (state.busy) return;
    const text = question.trim();
    if (!text) {
      els.question.focus();
      return;
    }
    const filters = currentFilters();
    const k = Number(els.kSelect.value) || 5;
    const turn = { id: Date.now().toString(36) + Math.random().toString(36).slice(2, 6),
                   question: text, filterLabels: filterLabels(), pending: true };
    state.turns.push(turn);
    showEmptyState();
    const node = renderTurn(turn);
    els.conversation.appendChild(node);
    node.scrollIntoView({ block: "start", behavior: "smooth" });
    setBusy(true);
    announce("Searching the records…");
    try {
      turn.response = await api("/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: text, k: k, filters: filters }),
      });
    } catch (err) {
      turn.error = { status: err.status || 0, code: err.code || "error",
                     message: err.message || String(err) };
    } finally {
      delete turn.pending;
      setBusy(false);
    }
    node.replaceWith(renderTurn(turn));
    saveTurns();
    // the Ask button was disabled while waiting: if it had focus, give focus back to the question
    if (!document.activeElement || document.activeElement === document.body) els.question.focus();
    announce(summarise(turn));
    if (!state.documentsLoaded) loadDocuments();
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = els.question.value;
    if (!text.trim() || state.busy) return;
    els.question.value = "";
    resizeQuestion();
    ask(text);
  }

  function onQuestionKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      els.form.requestSubmit();
    }
  }

  function resizeQuestion() {
    if (!els.question.value) {
      els.question.style.height = "";
      return;
    }
    els.question.style.height = "auto";
    els.question.style.height = Math.min(els.question.scrollHeight + 2, 160) + "px";
  }

  function clearConversation() {
    state.turns = [];
    saveTurns();
    for (const node of Array.from(els.conversation.querySelectorAll(".turn"))) node.remove();
    closeDocument(false);
    showEmptyState();
    announce("Conversation cleared.");
    els.question.focus();
  }

  /* ---------- copy citation ---------- */

  function citationText(p) {
    return p.citation + "\n“" + p.text.trim() + "”";
  }

  async function writeClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (err) {
        /* fall back below */
      }
    }
    const area = el("textarea", { className: "offscreen", attrs: { readonly: "" } });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (err) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  async function copyCitation(p, button) {
    const ok = await writeClipboard(citationText(p));
    button.textContent = ok ? "Copied" : "Copy failed";
    announce(ok ? "Citation copied." : "The citation could not be copied.");
    window.setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
    button.focus();
  }

  /* ---------- the document view ---------- */

  async function fetchDocument(id) {
    if (!state.docCache.has(id)) {
      const doc = await api("/v1/documents/" + encodeURIComponent(id), {}, true);
      state.docCache.set(id, doc);
    }
    return state.docCache.get(id);
  }

  /* On narrow screens the document covers the page: keep Tab inside it while it is open. */
  const NARROW = window.matchMedia("(max-width: 999.98px)");

  function setBackgroundInert(on) {
    els.chat.inert = on;
    els.header.inert = on;
  }

  function showPanel() {
    els.panel.hidden = false;
    els.layout.classList.add("with-doc");
    document.documentElement.classList.add("doc-open");
    setBackgroundInert(NARROW.matches);
  }

  async function openDocument(p, trigger) {
    state.panelTrigger = trigger;
    showPanel();
    els.docTitle.textContent = p.title;
    els.docMeta.textContent = "Loading the document…";
    clearNode(els.docText);
    els.docTitle.focus({ preventScroll: true });
    let doc;
    try {
      doc = await fetchDocument(p.document_id);
    } catch (err) {
      els.docMeta.textContent = "";
      els.docText.appendChild(el("p", { className: "answer-error",
                                        text: "The document could not be loaded: " + err.message }));
      announce("The document could not be loaded: " + err.message);
      return;
    }
    renderDocument(doc, p);
  }

  function renderDocument(doc, p) {
    els.docTitle.textContent = doc.title;
    const lines = p.line_start === p.line_end ? "line " + p.line_start
                                              : "lines " + p.line_start + "–" + p.line_end;
    clearNode(els.docMeta);
    if (doc.date) els.docMeta.appendChild(el("span", { text: formatDate(doc.date) }));
    els.docMeta.appendChild(el("span", { className: "doc-source", text: doc.source }));
    els.docMeta.appendChild(el("span", { text: "passage at " + lines }));
    clearNode(els.docText);
    const passage = el("span", { className: "doc-passage", attrs: { id: "doc-passage" } });
    appendSegments(passage, segments(doc.text.slice(p.start, p.end), p.start, p.highlights));
    els.docText.appendChild(document.createTextNode(doc.text.slice(0, p.start)));
    els.docText.appendChild(passage);
    els.docText.appendChild(document.createTextNode(doc.text.slice(p.end)));
    window.requestAnimationFrame(() => {
      scrollPassageIntoView(passage);
      els.docTitle.focus({ preventScroll: true });
    });
    announce("Opened " + doc.title + " at " + citationPath(p) + ".");
  }

  /* Centre the passage in the document's own scroll box (without scrolling the page). */
  function scrollPassageIntoView(passage) {
    const box = els.docBody;
    const top = passage.getBoundingClientRect().top - box.getBoundingClientRect().top +
                box.scrollTop;
    const centred = top - (box.clientHeight - passage.getBoundingClientRect().height) / 2;
    box.scrollTop = Math.max(0, Math.min(top - 16, centred));
  }

  function closeDocument(returnFocus) {
    if (els.panel.hidden) return;
    els.panel.hidden = true;
    setBackgroundInert(false);
    els.layout.classList.remove("with-doc");
    document.documentElement.classList.remove("doc-open");
    const trigger = state.panelTrigger;
    state.panelTrigger = null;
    if (returnFocus !== false && trigger && trigger.isConnected) trigger.focus();
  }

  /* ---------- filters ---------- */

  function leafNames(sections) {
    const out = [];
    for (const s of sections || []) {
      if (s.children && s.children.length) out.push(...leafNames(s.children));
      else out.push(s.name);
    }
    return out;
  }

  function documentLabel(doc) {
    return doc.date ? doc.title + " (" + formatDate(doc.date) + ")" : doc.title;
  }

  function fillDocuments() {
    const keep = els.docSelect.value;
    while (els.docSelect.options.length > 1) els.docSelect.remove(1);
    for (const doc of state.documents) {
      els.docSelect.appendChild(el("option", { text: documentLabel(doc), attrs: { value: doc.id } }));
    }
    els.docSelect.value = state.documents.some((d) => d.id === keep) ? keep : "";
    fillSections();
  }

  function fillSections() {
    const keep = els.sectionSelect.value;
    while (els.sectionSelect.children.length > 1) els.sectionSelect.lastElementChild.remove();
    const chosen = els.docSelect.value;
    const docs = chosen ? state.documents.filter((d) => d.id === chosen) : state.documents;
    const names = new Set();
    for (const doc of docs) {
      const parent = chosen ? els.sectionSelect
                            : el("optgroup", { attrs: { label: documentLabel(doc) } });
      for (const name of new Set(leafNames(doc.sections))) {
        names.add(name);
        parent.appendChild(el("option", { text: name, attrs: { value: name } }));
      }
      if (parent !== els.sectionSelect && parent.children.length) {
        els.sectionSelect.appendChild(parent);
      }
    }
    els.sectionSelect.value = names.has(keep) ? keep : "";
    updateFilterSummary();
  }

  function currentFilters() {
    const f = {};
    if (els.docSelect.value) f.document_id = els.docSelect.value;
    if (els.sectionSelect.value) f.section = els.sectionSelect.value;
    return Object.keys(f).length ? f : null;
  }

  function filterLabels() {
    const labels = [];
    if (els.docSelect.value) {
      labels.push(els.docSelect.options[els.docSelect.selectedIndex].textContent);
    }
    if (els.sectionSelect.value) labels.push(els.sectionSelect.value);
    return labels;
  }

  function updateFilterSummary() {
    const n = filterLabels().length;
    els.filtersSummary.textContent = n ? "(" + n + " active)" : "";
  }

  function noteFilters(message) {
    els.filtersNote.hidden = !message;
    els.filtersNote.textContent = message || "";
  }

  async function loadDocuments() {
    try {
      const body = await api("/v1/documents", {}, false);
      state.documents = body.documents || [];
      state.documentsLoaded = true;
      fillDocuments();
      noteFilters("");
    } catch (err) {
      noteFilters(err.status === 401
        ? "The meeting and section lists appear once an API key has been given."
        : "The meeting and section lists could not be loaded: " + err.message);
    }
  }

  /* ---------- wiring ---------- */

  function wire() {
    els.form.addEventListener("submit", onSubmit);
    els.question.addEventListener("keydown", onQuestionKey);
    els.question.addEventListener("input", resizeQuestion);
    els.clear.addEventListener("click", clearConversation);
    els.docSelect.addEventListener("change", fillSections);
    els.sectionSelect.addEventListener("change", updateFilterSummary);
    els.docClose.addEventListener("click", () => closeDocument(true));
    NARROW.addEventListener("change", () => {
      if (!els.panel.hidden) setBackgroundInert(NARROW.matches);
    });
    els.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeDocument(true);
    });
    els.keyForm.addEventListener("submit", onKeySubmit);
    els.keyCancel.addEventListener("click", () => finishKey(false));
    els.keyDialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finishKey(false);
    });
    for (const button of document.querySelectorAll(".example")) {
      button.addEventListener("click", () => ask(button.textContent));
    }
  }

  wire();
  restoreConversation();
  loadDocuments();
})();
