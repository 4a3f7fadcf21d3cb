"""The systems compared by ``commission-qa eval``: one interface over the project's retriever (in
its own configuration, or in dense-only / BM25-only mode) and the LangChain-style baseline."""

from __future__ import annotations

from dataclasses import replace

from eval.passages import Passage, Retrieved, System

PROJECT_SYSTEMS = ("project", "bm25", "dense")
ALL_SYSTEMS = ("project", "bm25", "dense", "langchain", "rrf")


def deep_search(retriever, question: str, k: int):  # noqa: ANN001, ANN201 - list[Hit]
    """``retriever.answer`` for a depth above the service's cap on k (evaluation needs top 100):
    the same loaded index, searched with a configuration whose cap admits ``k``."""
    if k > retriever.config.max_k:
        retriever = retriever.with_config(replace(retriever.config, max_k=k))
    return retriever.answer(question, k).hits


class RetrieverSystem:
    """The project's retriever; ``mode`` None keeps its configuration (the "project" system)."""

    def __init__(self, name: str, retriever, mode: str | None = None) -> None:  # noqa: ANN001
        self.name = name
        self.has_flag = mode is None
        self.retriever = retriever if mode is None else \
            retriever.with_config(replace(retriever.config, mode=mode))

    def collection(self) -> list[Passage]:
        return [Passage(c.document_id, c.start, c.end, c.text) for c in self.retriever.chunks]

    def retrieve(self, question: str, k: int) -> Retrieved:
        answer = self.retriever.answer(question, k)
        return Retrieved(tuple(Passage(h.chunk.document_id, h.chunk.start, h.chunk.end,
                                       h.chunk.text) for h in answer.hits),
                         answer.answerable if self.has_flag else None)


def make_systems(names: tuple[str, ...], retriever, encoder=None) -> list[System]:  # noqa: ANN001
    unknown = [n for n in names if n not in ALL_SYSTEMS]
    if unknown:
        raise ValueError(f"unknown system {unknown[0]!r}; choose from {', '.join(ALL_SYSTEMS)}")
    out: list[System] = []
    chunked = None  # the 1000/200 chunks and their vectors, shared by the two recipes
    for name in names:
        if name in ("langchain", "rrf"):
            from encoders.embedding import OnnxEncoder
            from eval.baselines import LangchainBaseline, RrfBaseline

            if chunked is None:
                if encoder is None and not isinstance(retriever.encoder, OnnxEncoder):
                    encoder = retriever.encoder  # already sentence-transformers: reuse it
                chunked = LangchainBaseline.build(list(retriever.documents.values()), encoder)
            kind = LangchainBaseline if name == "langchain" else RrfBaseline
            out.append(kind(chunked.passages, chunked.index, chunked.encoder))
        else:
            out.append(RetrieverSystem(name, retriever, None if name == "project" else name))
    return out
