"""Dependencies: the loaded index (``RetrieverDep``) and the settings (``SettingsDep``).

They are ``async`` on purpose: FastAPI runs a sync dependency in the thread pool, a thread hop
per dependency per request (about 1 ms here) for what is an attribute read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from index.retriever import Retriever
from qa_service.errors import ServiceError
from qa_service.settings import Settings
from qa_service.state import IndexHolder


async def get_holder(request: Request) -> IndexHolder:
    return request.app.state.holder


async def get_retriever(holder: Annotated[IndexHolder, Depends(get_holder)]) -> Retriever:
    current = holder.current
    if current is None:
        raise ServiceError(503, "not_ready", "no index is loaded", {"reason": holder.error})
    return current


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


HolderDep = Annotated[IndexHolder, Depends(get_holder)]
RetrieverDep = Annotated[Retriever, Depends(get_retriever)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
