"""Training the abstention model (``commission-qa train-abstention``): scikit-learn is needed here
only (the ``dev`` extra), never by the service.

1. ``collect``: every development question is answered by the retriever with the abstention
   setting ``"features"`` (the rules decide, the features are recorded), so one pass gives the
   feature vectors and the rules' own verdicts to compare with.
2. ``fit``: a class-weighted logistic regression on standardised features. Its regularisation
   and its decision threshold are chosen by leave-one-set-out cross-validation (each gold set in
   turn is the unseen one): the threshold is the lowest probability of "unanswerable" at which
   the out-of-fold false abstentions stay within ``max_false``, which gives the highest
   abstention recall that allows. The final model is fitted on every question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from core.errors import CommissionQAError
from index.abstention.features import FEATURES
from index.abstention.model import AbstentionModel

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


@dataclass(frozen=True)
class Question:
    id: str
    set: str  # the gold set it comes from (the cross-validation folds)
    question: str
    answerable: bool  # gold


@dataclass(frozen=True)
class Examples:
    questions: tuple[Question, ...]
    x: np.ndarray  # one row of FEATURES per question
    rules: np.ndarray  # the rules' verdict: answerable

    @property
    def y(self) -> np.ndarray:
        """1: the records do not answer (what the model predicts)."""
        return np.array([not q.answerable for q in self.questions], dtype=int)

    @property
    def groups(self) -> np.ndarray:
        return np.array([q.set for q in self.questions])


@dataclass(frozen=True)
class Figures:
    """Abstention recall and answerable rate (1 - false abstentions) of some verdicts."""

    questions: int
    recall: float | None
    answerable_rate: float | None


@dataclass(frozen=True)
class Training:
    model: AbstentionModel
    c: float
    out_of_fold: np.ndarray  # cross-validated P(unanswerable) of each question
    by_c: dict[float, Figures]  # pooled cross-validated figures of each regularisation tried
    cv: dict[str, Figures]  # per set (and "pooled"), the model cross-validated
    rules: dict[str, Figures]  # the same for the rules


def collect(retriever, questions: Sequence[Question], k: int = 10) -> Examples:  # noqa: ANN001
    """Answer every question, recording the features and the rules' verdicts."""
    r = retriever.with_config(replace(retriever.config, abstention="features"))
    rows, rules = [], []
    for q in questions:
        a = r.answer(q.question, k)
        rows.append([a.features.get(n, 0.0) for n in FEATURES])
        rules.append(a.answerable)
    return Examples(tuple(questions), np.array(rows, dtype=np.float64), np.array(rules, dtype=bool))


def figures(y: np.ndarray, abstained: np.ndarray) -> Figures:
    """``y`` 1 for unanswerable; ``abstained`` the verdicts (True: said not answerable)."""
    un, ans = y == 1, y == 0
    return Figures(int(len(y)), float(abstained[un].mean()) if un.any() else None,
                   float((~abstained[ans]).mean()) if ans.any() else None)


def by_set(ex: Examples, abstained: np.ndarray) -> dict[str, Figures]:
    out = {s: figures(ex.y[ex.groups == s], abstained[ex.groups == s])
           for s in dict.fromkeys(ex.groups.tolist())}
    out["pooled"] = figures(ex.y, abstained)
    return out


def threshold_for(p: np.ndarray, y: np.ndarray, max_false: float) -> float:
    """A threshold whose false abstentions (answerable questions with p ≥ it) stay within
    ``max_false`` of the answerable questions, with the highest recall that allows, and of those
    the fewest false abstentions."""
    answerable = np.sort(p[y == 0])[::-1]
    allowed = int(np.floor(max_false * len(answerable)))
    if allowed >= len(answerable):
        return 0.5
    # just above the (a+1)-th highest probability of an answerable question: a false abstentions
    cuts = [float(min(0.999, np.nextafter(answerable[a], 1.0))) for a in range(allowed + 1)]
    caught = [int(((p >= t) & (y == 1)).sum()) for t in cuts]
    return cuts[caught.index(max(caught))]


def _fit(x: np.ndarray, y: np.ndarray, c: float):  # noqa: ANN202 - (scaler, classifier)
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(scaler.transform(x), y)
    return scaler, clf


def out_of_fold(ex: Examples, c: float) -> np.ndarray:
    """P(unanswerable) of each question from a model trained on the other sets only."""
    p = np.zeros(len(ex.questions))
    groups = ex.groups
    for s in dict.fromkeys(groups.tolist()):
        held = groups == s
        scaler, clf = _fit(ex.x[~held], ex.y[~held], c)
        p[held] = clf.predict_proba(scaler.transform(ex.x[held]))[:, 1]
    return p


def fit(ex: Examples, max_false: float = 0.05, encoder: str = "",
        c_grid: Sequence[float] = C_GRID) -> Training:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise CommissionQAError("training needs scikit-learn: pip install -e '.[dev]'") from None
    if len(set(ex.groups.tolist())) < 2 or len(set(ex.y.tolist())) < 2:
        raise CommissionQAError("training needs two gold sets or more, with answerable and "
                                "unanswerable questions")
    by_c: dict[float, Figures] = {}
    oofs: dict[float, tuple[np.ndarray, float]] = {}
    for c in c_grid:
        p = out_of_fold(ex, c)
        t = threshold_for(p, ex.y, max_false)
        oofs[c] = (p, t)
        by_c[c] = figures(ex.y, p >= t)
    best = max(c_grid, key=lambda c: (by_c[c].recall or 0.0, by_c[c].answerable_rate or 0.0, -c))
    p, t = oofs[best]
    scaler, clf = _fit(ex.x, ex.y, best)
    cv, rules = by_set(ex, p >= t), by_set(ex, ~ex.rules)
    provenance = {
        "trained": dt.date.today().isoformat(),
        "sets": sorted(set(ex.groups.tolist())),
        "questions": len(ex.questions), "unanswerable": int(ex.y.sum()),
        "c": best, "class_weight": "balanced", "max_false_abstentions": max_false,
        "threshold_by": "leave-one-set-out cross-validation",
        "cross_validated": {k: vars(v) for k, v in cv.items()},
        "rules": {k: vars(v) for k, v in rules.items()},
    }
    model = AbstentionModel(FEATURES, tuple(float(v) for v in scaler.mean_),
                            tuple(float(v) for v in scaler.scale_),
                            tuple(float(v) for v in clf.coef_[0]), float(clf.intercept_[0]),
                            t, encoder, provenance)
    return Training(model, best, p, by_c, cv, rules)
