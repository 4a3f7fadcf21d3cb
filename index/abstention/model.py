"""The abstention model: a logistic regression stored as plain JSON and applied with numpy.

The file holds the feature names (they must be the code's, in the code's order: a file trained
on other features is refused), the means and scales that standardise them, the coefficients and
intercept, the decision threshold on the probability that the records do not answer, and where
the model came from (training sets, date, cross-validated figures). No pickle, no scikit-learn:
``probability`` is ``1 / (1 + exp(-(((x - mean) / scale) · coef + intercept)))``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ModelError
from index.abstention.features import FEATURES

FORMAT = 1
DEFAULT_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class AbstentionModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]  # positive: evidence that the records do not answer
    intercept: float
    threshold: float  # abstain when the probability of "unanswerable" reaches this
    encoder: str = ""  # the embedding model (registry key) whose scores it was trained on
    provenance: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def _z(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)

    def probability(self, x: np.ndarray) -> np.ndarray | float:
        """P(the records do not answer) of one feature vector (a float) or of rows (an array)."""
        z = self._z(x) @ np.asarray(self.coef) + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        return float(p) if np.ndim(p) == 0 else p

    def abstains(self, x: np.ndarray) -> bool:
        return float(self.probability(x)) >= self.threshold

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's share of the log-odds of "unanswerable" (standardised value × coef)."""
        return dict(zip(self.features, (float(c) for c in self._z(x) * np.asarray(self.coef)),
                        strict=True))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "kind": "logistic-regression", "features": list(self.features),
                "mean": list(self.mean), "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept, "threshold": self.threshold,
                "encoder": self.encoder, "provenance": self.provenance}

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        return path


def from_json(data: object, expected: Sequence[str] = FEATURES, where: str = "model") -> AbstentionModel:
    """A model from its JSON form; refused (``ModelError``) unless well formed and trained on
    exactly the ``expected`` features, in order."""
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or data.get("kind") != "logistic-regression":
        raise ModelError(f"{where}: not an abstention model of format {FORMAT}")
    names = data.get("features")
    if not isinstance(names, list) or tuple(names) != tuple(expected):
        extra = sorted(set(names or ()) - set(expected)) if isinstance(names, list) else []
        missing = sorted(set(expected) - set(names or ())) if isinstance(names, list) else []
        raise ModelError(f"{where}: its features differ from the code's (missing {missing}, "
                         f"unknown {extra}, or another order); retrain it with "
                         "`commission-qa train-abstention`")
    n = len(names)
    try:
        vectors = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "coef")]
        intercept, threshold = float(data["intercept"]), float(data["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{where}: malformed abstention model ({exc})") from None
    if any(len(vec) != n for vec in vectors) or any(s <= 0 for s in vectors[1]) \
            or not all(math.isfinite(v) for vec in vectors for v in vec) \
            or not math.isfinite(intercept) or not 0.0 < threshold < 1.0:
        raise ModelError(f"{where}: malformed abstention model (lengths, scales or threshold)")
    return AbstentionModel(tuple(names), *vectors, intercept, threshold,
                           str(data.get("encoder", "")), dict(data.get("provenance") or {}))


def load(path: str | Path = DEFAULT_PATH) -> AbstentionModel:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"abstention model {path} cannot be read: {exc}") from None
    return from_json(data, where=f"abstention model {path}")
