"""The HTTP contract: request and response models (pydantic), strict on input."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, field_validator

from core.records import ROLES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _iso_date(value: Any) -> Any:
    """Dates are ``YYYY-MM-DD`` strings; numbers (read as Unix timestamps by pydantic) are not."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    if isinstance(value, date):
        return value
    raise ValueError("must be a date string YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class FiltersIn(Strict):
    document_id: StrictStr | None = Field(None, max_length=64)
    section: StrictStr | None = Field(None, max_length=300)
    speaker: StrictStr | None = Field(None, max_length=200)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    role: StrictStr | None = Field(None, description="only passages of this role: "
                                   + ", ".join(ROLES))

    @field_validator("role")
    @classmethod
    def _role(cls, v: str | None) -> str | None:
        if v is not None and v not in ROLES:
            raise ValueError(f"role must be one of: {', '.join(ROLES)}")
        return v


# A question holds at least one visible character: not only white space or invisible format
# characters (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks). The same
# class is the schema's ``pattern``, so the OpenAPI contract and the validation agree.
VISIBLE = (r"[^\t\n\v\f\r \x1c-\x1f\x85\xa0\xad\u061c\u1680\u180e\u2000-\u200f"
           r"\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb]")
_VISIBLE = re.compile(VISIBLE)


class AskRequest(Strict):
    # the limits are checked by the validator (pydantic's own length check refuses lone
    # surrogates, which the retriever handles) and stated in the schema as they are checked
    question: StrictStr = Field(..., json_schema_extra={"minLength": 1, "maxLength": 1000,
                                                        "pattern": VISIBLE},
                                description="1–1000 characters, at least one visible (not only "
                                            "white space or zero-width characters)")
    k: StrictInt = Field(5, ge=1, le=50)
    filters: FiltersIn | None = None

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        if len(v) > 1000:
            raise ValueError("question is longer than 1000 characters")
        if not _VISIBLE.search(v):
            raise ValueError("question is empty (only white space or invisible characters)")
        return v


class Span(BaseModel):
    start: int
    end: int


class Passage(BaseModel):
    id: str
    rank: int
    score: float
    text: str
    document_id: str
    title: str
    date: str | None
    section: str
    heading_path: list[str]
    speakers: list[str]
    section_kind: str = "body"
    role: str = "body"
    start: int
    end: int
    line_start: int
    line_end: int
    highlights: list[Span]
    citation: str


class AskResponse(BaseModel):
    question: str
    answerable: bool
    reason: str | None
    passages: list[Passage]


class SpeakerOut(BaseModel):
    name: str
    role: str | None
    status: str | None = None  # attendees: chair, present, in-attendance, apologies


class SectionOut(BaseModel):
    name: str
    kind: str
    start: int
    end: int
    speakers: list[SpeakerOut]
    children: list[SectionOut] = []


class DocumentOut(BaseModel):
    id: str
    title: str
    date: str | None
    source: str
    format: str
    layout: str = Field("generic", description="The layout that recovered the record's structure: "
                        "panel, workshop, minutes, transcript or generic (none recognised)")
    sections: list[SectionOut]
    speakers: list[SpeakerOut]


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class DocumentWithText(DocumentOut):
    text: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    ready: bool
    index: dict[str, Any] | None = None
    error: str | None = None
