"""The recipe a user would pick instead of this project: LangChain's
``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over each transcript's
text, the same embedding model, and a flat FAISS inner-product index over normalised vectors
(what ``langchain_community.vectorstores.FAISS`` does with ``normalize_L2``), written here with
langchain-text-splitters, faiss and the project's offline, hash-verified encoder only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.records import Document
from eval.passages import Passage, Retrieved

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


def split_documents(documents: Sequence[Document], chunk_size: int = CHUNK_SIZE,
                    chunk_overlap: int = CHUNK_OVERLAP) -> list[Passage]:
    """Each document's text split as LangChain users do; offsets from ``add_start_index``."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap,
                                              add_start_index=True)
    out: list[Passage] = []
    for doc in sorted(documents, key=lambda d: d.source):
        for part in splitter.create_documents([doc.text]):
            start = int(part.metadata.get("start_index", -1))
            if start < 0 or doc.text[start:start + len(part.page_content)] != part.page_content:
                start = doc.text.find(part.page_content)
            out.append(Passage(doc.id, start, start + len(part.page_content), part.page_content))
    return out


class LangchainBaseline:
    name = "langchain"
    has_flag = False

    def __init__(self, passages: list[Passage], index, encoder) -> None:  # noqa: ANN001
        self.passages, self.index, self.encoder = passages, index, encoder

    @classmethod
    def build(cls, documents: Sequence[Document], encoder=None) -> LangchainBaseline:  # noqa: ANN001
        import faiss

        if encoder is None:
            from encoders.embedding import TorchEncoder, locate_model

            encoder = TorchEncoder(locate_model(None))
        passages = split_documents(documents)
        vectors = encoder.encode([p.text for p in passages]) if passages else \
            np.zeros((0, encoder.info.dim), dtype=np.float32)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.normalize_L2(vectors)
        index = faiss.IndexFlatIP(encoder.info.dim)
        if len(vectors):
            index.add(vectors)
        return cls(passages, index, encoder)

    def collection(self) -> list[Passage]:
        return list(self.passages)

    def retrieve(self, question: str, k: int) -> Retrieved:
        if not self.passages:
            return Retrieved((), None)
        import faiss

        qv = np.ascontiguousarray(self.encoder.encode([question]), dtype=np.float32)
        faiss.normalize_L2(qv)
        _, ids = self.index.search(qv, min(k, len(self.passages)))
        return Retrieved(tuple(self.passages[int(i)] for i in ids[0] if i >= 0), None)

