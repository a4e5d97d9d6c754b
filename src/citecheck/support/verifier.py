"""The learned support verifier: logistic regression over features.py, run with numpy only.

The model file (data/support/verifier.npz, made by scripts/train_support.py) holds the
vocabulary, IDF weights, dense-feature scaling, coefficients and the abstention thresholds
chosen by cross-validation. It is loaded on first use, so a check without claims never pays
for it. See data/support/MODEL_CARD.md for data, licence and measured figures.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from citecheck.support.features import DENSE, pair_features

SUPPORT, REFUTE, NEI = "SUPPORT", "REFUTE", "NEI"
MODEL_FILE = "verifier.npz"


@dataclass(frozen=True)
class Prediction:
    """The verifier's view of one pair: a label (NEI when it abstains) and why."""

    label: str
    confidence: float  # probability of the label the model preferred
    probabilities: dict[str, float]
    best: tuple[int, ...]  # indices of the evidence sentences it read, best first
    abstained: bool  # the model preferred SUPPORT or REFUTE but not confidently enough


class Verifier:
    """Scores (claim, evidence sentences) pairs; immutable after loading."""

    def __init__(self, arrays: dict, meta: dict) -> None:
        import numpy as np

        self._np = np
        vocab = [str(w) for w in arrays["vocab"]]
        self.index = {w: i for i, w in enumerate(vocab)}
        self.idf = arrays["idf"]
        self.mean = arrays["dense_mean"]
        self.std = arrays["dense_std"]
        self.coef = arrays["coef"]  # (classes, vocab + dense)
        self.intercept = arrays["intercept"]
        self.classes = [str(c) for c in arrays["classes"]]
        self.thresholds = {str(k): float(v) for k, v in meta["thresholds"].items()}
        self.meta = meta

    def vectorize(self, sparse: dict[str, float], dense: list[float]):
        """(indices, values) of the model's input: l2-normalised TF-IDF words, scaled dense."""
        np = self._np
        idx = [self.index[name] for name in sparse if name in self.index]
        values = self.idf[idx] if idx else np.zeros(0)
        norm = float(np.sqrt((values**2).sum()))
        if norm:
            values = values / norm
        d = (np.asarray(dense, dtype=float) - self.mean) / self.std
        n = len(self.index)
        return (
            np.concatenate([np.asarray(idx, dtype=np.int64), np.arange(n, n + len(DENSE))]),
            np.concatenate([values, d]),
        )

    def probabilities(self, sparse: dict[str, float], dense: list[float]) -> dict[str, float]:
        np = self._np
        idx, values = self.vectorize(sparse, dense)
        logits = self.intercept + self.coef[:, idx] @ values
        exp = np.exp(logits - logits.max())
        p = exp / exp.sum()
        return {c: float(v) for c, v in zip(self.classes, p)}

    def predict(self, claim: str, sentences: list[str], several: bool = False) -> Prediction:
        """Support, refute or NEI for a claim against a work's sentences (NEI = abstain)."""
        sparse, dense, best = pair_features(claim, sentences, several)
        p = self.probabilities(sparse, dense)
        return decide(p, self.thresholds, tuple(best))


# "Not found in the evidence" only when the model is this sure: on the Citation-Integrity
# dev split its plain NEI predictions were right about one time in seven.
NOT_FOUND_MIN = 0.8


def decide(p: dict[str, float], thresholds: dict[str, float], best: tuple[int, ...] = ()):
    """Precision first: each label only above its threshold, else NEI with abstained=True."""
    top = max(p, key=p.get)
    floor = thresholds.get(top, NOT_FOUND_MIN if top == NEI else 0.0)
    if p[top] >= floor:
        return Prediction(top, p[top], p, best, False)
    return Prediction(NEI, p[top], p, best, True)


def model_path() -> Path:
    return Path(str(resources.files("citecheck") / "data" / "support" / MODEL_FILE))


@cache
def load_verifier(path: str | None = None) -> Verifier:
    """The shipped verifier (or one at `path`), loaded once per process: it is read-only."""
    import numpy as np

    file = Path(path) if path else model_path()
    with np.load(file, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    return Verifier(arrays, meta)


def timed_load(path: str | None = None) -> tuple[Verifier, float]:
    """The verifier and the seconds its loading took (for the benchmark)."""
    start = time.perf_counter()
    verifier = load_verifier(path)
    return verifier, time.perf_counter() - start
