"""The scores: unless the best passage is the one asked for by name, one of the best passages
needs a cosine of ``min_dense`` or a BM25 score of ``min_bm25``."""

from __future__ import annotations

from index.checks.base import CheckContext


class WeakEvidence:
    name = "weak-evidence"

    def check(self, ctx: CheckContext) -> str | None:
        if ctx.answered_by_name:
            return None
        t = ctx.thresholds
        top_dense = max(h.dense_score or 0.0 for h in ctx.top)
        top_bm25 = max(h.bm25_score or 0.0 for h in ctx.top)
        if top_dense >= t.min_dense or top_bm25 >= t.min_bm25:
            return None
        return (f"the closest passages are weak matches (best similarity {top_dense:.2f}, "
                f"best keyword score {top_bm25:.1f}): the records may not answer this")
