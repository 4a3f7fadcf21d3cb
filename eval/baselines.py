"""The recipes a user would pick instead of this project, over the same records and model.

``langchain``: LangChain's ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``
over each record's text, the same embedding model, and a flat FAISS inner-product index over
normalised vectors (what ``langchain_community.vectorstores.FAISS`` does with ``normalize_L2``).

``rrf``: the usual "hybrid" recipe on the same 1000/200 chunks: BM25 (bm25s, the project's
tokenizer settings) and the same dense search, fused by reciprocal rank fusion (k = 60).

Both are written here with langchain-text-splitters, faiss, bm25s and the project's offline,
hash-verified encoder only."""

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
        self.name = type(self).name

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

    def dense_ranking(self, question: str, k: int) -> list[int]:
        """Rows of the ``k`` passages closest to the question, best first."""
        import faiss

        qv = np.ascontiguousarray(self.encoder.encode([question]), dtype=np.float32)
        faiss.normalize_L2(qv)
        _, ids = self.index.search(qv, min(k, len(self.passages)))
        return [int(i) for i in ids[0] if i >= 0]

    def retrieve(self, question: str, k: int) -> Retrieved:
        if not self.passages:
            return Retrieved((), None)
        return Retrieved(tuple(self.passages[i] for i in self.dense_ranking(question, k)), None)


class RrfBaseline(LangchainBaseline):
    """BM25 + dense over the 1000/200 chunks, fused by reciprocal rank fusion."""

    name = "rrf"
    RRF_K = 60.0

    def __init__(self, passages: list[Passage], index, encoder) -> None:  # noqa: ANN001
        from index import bm25

        super().__init__(passages, index, encoder)
        self.bm25 = bm25.build([p.text for p in passages]) if passages else None

    def retrieve(self, question: str, k: int) -> Retrieved:
        if not self.passages:
            return Retrieved((), None)
        from index import bm25

        n = len(self.passages)
        depth = min(n, max(100, k))
        fused = np.zeros(n, dtype=np.float64)
        for rank, row in enumerate(self.dense_ranking(question, depth), start=1):
            fused[row] += 1.0 / (self.RRF_K + rank)
        sparse = bm25.scores(self.bm25, question, n)
        matched = np.flatnonzero(sparse > 0)
        for rank, row in enumerate(matched[np.argsort(-sparse[matched], kind="stable")][:depth], start=1):
            fused[row] += 1.0 / (self.RRF_K + rank)
        order = [int(i) for i in np.argsort(-fused, kind="stable")[:k] if fused[i] > 0]
        return Retrieved(tuple(self.passages[i] for i in order), None)

