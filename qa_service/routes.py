"""Routes: parse, call the retriever, serialise. No retrieval logic here."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from datetime import date as Date

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import Histogram

from core.errors import DocumentNotFound
from core.records import Document, Filters, Hit, Section
from qa_service import schemas
from qa_service.deps import HolderDep, RetrieverDep, SettingsDep

log = logging.getLogger("commission_qa.service")
router = APIRouter()
STAGES = Histogram("commission_qa_retrieval_stage_seconds", "Time spent per retrieval stage",
                   ["stage"], buckets=(.0005, .001, .002, .005, .01, .02, .05, .1, .25, 1))
_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
# a random key per process: a question's hash in the log cannot be found by hashing guesses
_LOG_KEY = secrets.token_bytes(32)
ERRORS = {400: {"model": schemas.ErrorResponse, "description": "Body is not decodable"},
          422: {"model": schemas.ErrorResponse}, 413: {"model": schemas.ErrorResponse},
          503: {"model": schemas.ErrorResponse}, 401: {"model": schemas.ErrorResponse}}


def citation_label(rank: int, hit: Hit) -> str:
    c = hit.chunk
    when = ""
    if c.date:
        d = Date.fromisoformat(c.date)
        when = f" ({d.day} {d.strftime('%b %Y')})"
    path = list(c.heading_path[1:]) or [c.section]
    return f"[{rank}] {c.title}{when} › " + " › ".join(path)


def passage(hit: Hit) -> schemas.Passage:
    c = hit.chunk
    return schemas.Passage(
        id=c.id, rank=hit.rank, score=hit.score, text=c.text, document_id=c.document_id,
        title=c.title, date=c.date, section=c.section, heading_path=list(c.heading_path),
        speakers=list(c.speakers), section_kind=c.section_kind, role=c.role,
        start=c.start, end=c.end, line_start=c.line_start,
        line_end=c.line_end, highlights=[schemas.Span(start=h.start, end=h.end)
                                         for h in hit.highlights],
        citation=citation_label(hit.rank, hit))


def _section(s: Section) -> schemas.SectionOut:
    return schemas.SectionOut(name=s.name, kind=s.kind, start=s.start, end=s.end,
                              speakers=[schemas.SpeakerOut(name=p.name, role=p.role,
                                                           status=p.status)
                                        for p in s.speakers],
                              children=[_section(c) for c in s.children])


def document_out(d: Document) -> dict:
    return dict(id=d.id, title=d.title, date=d.date, source=d.source, format=d.format,
                layout=d.layout, sections=[_section(s) for s in d.sections],
                speakers=[schemas.SpeakerOut(name=p.name, role=p.role, status=p.status)
                          for p in d.speakers])


@router.post("/v1/ask", response_model=schemas.AskResponse, responses=ERRORS)
async def ask(body: schemas.AskRequest, retriever: RetrieverDep, settings: SettingsDep,
              request: Request, response: Response) -> schemas.AskResponse:
    f = body.filters
    filters = None if f is None else Filters(
        document_id=f.document_id, section=f.section, speaker=f.speaker,
        date_from=f.date_from.isoformat() if f.date_from else None,
        date_to=f.date_to.isoformat() if f.date_to else None, role=f.role)
    answer = await run_in_threadpool(retriever.answer, body.question, body.k, filters)
    response.headers["X-Index-Generation"] = retriever.path.name  # which index answered
    for stage, seconds in answer.timings.items():
        STAGES.labels(stage).observe(seconds)
    q = answer.question
    extra = {"question": q} if settings.log_questions else {
        "question_chars": len(q), "question_hmac": hmac.new(_LOG_KEY, q.encode(), "sha256").hexdigest()[:16]}
    log.info("ask", extra={"event": "ask", "request_id": request.scope["state"].get("request_id"),
                           "k": body.k, "hits": len(answer.hits),
                           "answerable": answer.answerable, **extra})
    return schemas.AskResponse(question=q, answerable=answer.answerable, reason=answer.reason,
                               passages=[passage(h) for h in answer.hits])


@router.get("/v1/documents", response_model=schemas.DocumentList, responses=ERRORS)
async def documents(retriever: RetrieverDep) -> schemas.DocumentList:
    docs = sorted(retriever.documents.values(), key=lambda d: (d.date or "", d.title))
    return schemas.DocumentList(documents=[schemas.DocumentOut(**document_out(d)) for d in docs])


@router.get("/v1/documents/{document_id}", response_model=schemas.DocumentWithText,
            responses={404: {"model": schemas.ErrorResponse}, **ERRORS})
async def document(document_id: str, retriever: RetrieverDep) -> schemas.DocumentWithText:
    if not _DOC_ID.match(document_id):  # ids are content hashes, never paths
        raise DocumentNotFound(document_id[:80])
    d = retriever.document(document_id)
    return schemas.DocumentWithText(**document_out(d), text=d.text)


@router.post("/v1/admin/reload", response_model=schemas.Ready,
             responses={403: {"model": schemas.ErrorResponse,
                              "description": "Disabled: no API key is configured"}, **ERRORS})
async def reload(holder: HolderDep) -> schemas.Ready:
    """Load the index the index folder now points at (also done on SIGHUP)."""
    await run_in_threadpool(holder.reload)
    return ready_state(holder)


@router.get("/healthz", response_model=schemas.Health)
async def healthz() -> schemas.Health:
    return schemas.Health(status="ok")


def ready_state(holder) -> schemas.Ready:  # noqa: ANN001
    current = holder.current
    if current is None:
        return schemas.Ready(ready=False, error=holder.error)
    # ready on the index loaded last; ``error`` says why a later reload did not replace it
    index = current.manifest.summary() | {"backend": current.backend.describe()}  # which engine
    return schemas.Ready(ready=True, index=index, error=holder.error)
