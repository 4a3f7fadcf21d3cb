"""Abstention as a calibrated model: whether the best passages answer the question is decided by
a logistic regression over named features of the answer (``index.abstention.features``: the
scores, how much of the question the best passages cover, whether they give the type of answer
asked for, and every answer check's verdict), stored as JSON with the package
(``index/abstention/model.json``, see ``index.abstention.model``) and trained with
``commission-qa train-abstention`` (``index.abstention.train``).

``RetrieverConfig.abstention`` chooses who decides: ``"model"`` (this package), ``"rules"`` (the
first answer check that fires, ``index.checks.run_checks``), or ``"features"`` (the rules decide
and the features are recorded with the answer: what training reads). With the model the reason
stays human-readable: the first check's reason when one fired, else a sentence naming the
features that weighed most against the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.records import Chunk
from index.abstention.features import Features, Rarity
from index.abstention.features import features as compute_features
from index.abstention.model import AbstentionModel
from index.checks import CheckContext, run_checks

MODES = ("model", "rules", "features")

# what a feature that weighs against the answer says, in words
_SAYS: dict[str, str] = {
    "dense_1": "the best passage is a weak match",
    "dense_max": "the closest passages are weak matches",
    "bm25_max": "few of the question's keywords are in the closest passages",
    "fused_1": "no passage scores well",
    "fused_margin": "no passage stands out from the others",
    "cover_1": "the best passage shares few of the question's words",
    "cover_3": "the best passages share few of the question's words",
    "unknown_share": "some of the question's words never occur in the records",
    "names_missing": "the names the question uses are not in the best passages",
    "unknown_names": "a name or number of the question occurs nowhere in the records",
    "figure_missing": "none of them gives a figure",
    "date_missing": "none of them gives a date",
    "person_missing": "none of them names a person",
    "role_missing": "none of them is the kind of passage asked for",
}


@dataclass(frozen=True)
class Decision:
    answerable: bool
    reason: str | None
    features: dict[str, float] = field(default_factory=dict)
    probability: float | None = None  # the model's P(the records do not answer)


def explain(contributions: dict[str, float], most: int = 2) -> str:
    """A sentence from the features that weighed most towards abstaining."""
    worst = sorted(((c, n) for n, c in contributions.items() if c > 0 and n in _SAYS), reverse=True)
    said = [_SAYS[n] for _, n in worst[:most]]
    if not said:
        return "the closest passages do not look like an answer: the records may not answer this"
    return "the records may not answer this: " + " and ".join(said)


class Abstainer:
    """Decides from a ``CheckContext``; ``model`` None: the checks decide (features recorded)."""

    def __init__(self, model: AbstentionModel | None, rarity: Rarity | None = None) -> None:
        self.model, self.rarity = model, rarity or Rarity()

    def decide(self, ctx: CheckContext) -> Decision:
        if not ctx.hits:
            return Decision(*run_checks(ctx))
        f: Features = compute_features(ctx, self.rarity)
        named = f.named()
        if self.model is None:
            reason = f.first_reason
            return Decision(reason is None, reason, named)
        p = float(self.model.probability(f.values))
        if p < self.model.threshold:
            return Decision(True, None, named, p)
        reason = f.first_reason or explain(self.model.contributions(f.values))
        return Decision(False, reason, named, p)


def for_config(mode: str, model_path: str = "", encoder: str = "",
               chunks: Iterable[Chunk] = ()) -> Abstainer | None:
    """The abstainer of a ``RetrieverConfig.abstention`` setting (None: the rules, as they run
    in ``run_checks``). A model trained on another embedding model's scores than ``encoder``
    does not apply: the rules decide then. ``chunks``: the passages, for the stems' rarity."""
    from core.errors import CommissionQAError
    from index.abstention import model as models

    if mode not in MODES:
        raise CommissionQAError(f"abstention must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "rules":
        return None
    if mode == "features":
        return Abstainer(None, Rarity.of(chunks))
    loaded = models.load(model_path or models.DEFAULT_PATH)
    if encoder and loaded.encoder and loaded.encoder != encoder:
        return None
    return Abstainer(loaded, Rarity.of(chunks))


__all__ = ["MODES", "Abstainer", "Decision", "Rarity", "explain", "for_config"]
