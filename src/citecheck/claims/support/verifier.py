"""The learned support verifier: logistic regression over features.py, run in plain Python.

The model file (data/support/verifier.zip, made by scripts/train_support.py) holds the
vocabulary (`vocab.txt`), IDF weights and coefficients as little-endian float32
(`idf.f32`, `coef.f32`, one row per class over vocabulary + dense features) and `meta.json`
(classes, intercepts, dense-feature scaling, abstention thresholds, training figures).
A pair has a few hundred active features, so a dot product in Python takes microseconds and
no numpy is needed: loading takes ~20 ms, on first use only. Data, licence and measured
figures: data/support/MODEL_CARD.md.
"""

from __future__ import annotations

import json
import math
import sys
import time
import zipfile
from array import array
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from citecheck.claims.support.features import DENSE, pair_features
from citecheck.files import InputError
from citecheck.safeload import parse_json

SUPPORT, REFUTE, NEI = "SUPPORT", "REFUTE", "NEI"
MODEL_FILE = "verifier.zip"
# "Not found in the evidence" only when the model is this sure: on the Citation-Integrity
# dev split its plain NEI predictions were right about one time in seven.
NOT_FOUND_MIN = 0.8


@dataclass(frozen=True)
class Prediction:
    """The verifier's view of one pair: a label (NEI when it abstains) and why."""

    label: str
    confidence: float  # probability of the label the model preferred
    probabilities: dict[str, float]
    best: tuple[int, ...]  # indices of the evidence sentences it read, best first
    abstained: bool  # the model preferred a label but not confidently enough


class Verifier:
    """Scores (claim, evidence sentences) pairs; read-only after loading."""

    def __init__(self, vocab: list[str], idf: array, coef: list[array], meta: dict) -> None:
        self.index = {w: i for i, w in enumerate(vocab)}
        self.idf = idf
        self.coef = coef  # one row per class: vocabulary weights, then dense weights
        self.classes = list(meta["classes"])
        self.intercept = list(meta["intercept"])
        self.mean = list(meta["dense_mean"])
        self.std = list(meta["dense_std"])
        self.thresholds = {str(k): float(v) for k, v in meta["thresholds"].items()}
        self.meta = meta

    def vectorize(self, sparse: dict[str, float], dense: list[float]):
        """(indices, values) of the model's input: l2-normalised TF-IDF words, scaled dense."""
        idx = [self.index[name] for name in sparse if name in self.index]
        values = [self.idf[i] for i in idx]
        norm = math.sqrt(sum(v * v for v in values))
        if norm:
            values = [v / norm for v in values]
        n = len(self.index)
        idx += range(n, n + len(DENSE))
        values += [(d - m) / s for d, m, s in zip(dense, self.mean, self.std, strict=True)]
        return idx, values

    def probabilities(self, sparse: dict[str, float], dense: list[float]) -> dict[str, float]:
        idx, values = self.vectorize(sparse, dense)
        logits = [
            b + sum(row[i] * v for i, v in zip(idx, values, strict=True))
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(logits)
        exp = [math.exp(z - top) for z in logits]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def predict(self, claim: str, sentences: list[str], several: bool = False) -> Prediction:
        """Support, refute or NEI for a claim against a work's sentences (NEI = abstain)."""
        sparse, dense, best = pair_features(claim, sentences, several)
        return decide(self.probabilities(sparse, dense), self.thresholds, tuple(best))


def decide(p: dict[str, float], thresholds: dict[str, float], best: tuple[int, ...] = ()):
    """Precision first: each label only above its threshold, else NEI with abstained=True."""
    top = max(p, key=p.get)
    floor = thresholds.get(top, NOT_FOUND_MIN if top == NEI else 0.0)
    if p[top] >= floor:
        return Prediction(top, p[top], p, best, False)
    return Prediction(NEI, p[top], p, best, True)


def model_path() -> Path:
    return Path(str(resources.files("citecheck") / "data" / "support" / MODEL_FILE))


def _floats(data: bytes) -> array:
    values = array("f")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def write_model(path: Path, vocab: list[str], idf, coef, meta: dict) -> None:
    """Write a model file (used by scripts/train_support.py); idf/coef as float sequences."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.json", json.dumps(meta, indent=1, sort_keys=True))
        z.writestr("vocab.txt", "\n".join(vocab))
        z.writestr("idf.f32", _little(array("f", idf)))
        z.writestr("coef.f32", _little(array("f", [v for row in coef for v in row])))


def _little(values: array) -> bytes:
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


@cache
def load_verifier(path: str | None = None) -> Verifier:
    """The shipped verifier (or one at `path`), loaded once per process: it is read-only."""
    file = Path(path) if path else model_path()
    try:
        with zipfile.ZipFile(file) as z:
            meta = parse_json(z.read("meta.json"))  # JsonError is a ValueError
            vocab = z.read("vocab.txt").decode("utf-8").split("\n")
            idf = _floats(z.read("idf.f32"))
            flat = _floats(z.read("coef.f32"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(str(file), None, f"not a citecheck verifier model: {error}") from None
    width = len(vocab) + len(DENSE)
    if len(idf) != len(vocab) or len(flat) != width * len(meta["classes"]):
        raise InputError(str(file), None, "not a citecheck verifier model: sizes disagree")
    coef = [flat[k * width : (k + 1) * width] for k in range(len(meta["classes"]))]
    return Verifier(vocab, idf, coef, meta)


def timed_load(path: str | None = None) -> tuple[Verifier, float]:
    """The verifier and the seconds its loading took (for the benchmark)."""
    start = time.perf_counter()
    verifier = load_verifier(path)
    return verifier, time.perf_counter() - start
