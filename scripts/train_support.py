"""Train the claim-support verifier from Citation-Integrity and write data/support/verifier.npz.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_support.py [--data ../shared/data/claim-support/citint]

Logistic regression (scikit-learn) over citecheck.claims.support.features, trained on
claims_train.jsonl, regularisation chosen on claims_dev.jsonl, abstention thresholds chosen
by 5-fold cross-validation on train (so dev stays an honest check of them). Fixed seed:
the same data gives the same file. The test split is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.claims.support.features import DENSE, pair_features
from citecheck.claims.support.scifact import LABELS, read_pairs, scores
from citecheck.claims.support.verifier import MODEL_FILE, Verifier, decide, write_model

SEED = 20240917
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "claim-support" / "citint"
MIN_DF = 2
C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0)
THRESHOLD_GRID = [round(0.30 + 0.025 * i, 3) for i in range(27)]  # 0.30 .. 0.95
TARGET_REFUTE_PRECISION = 0.80
MIN_REFUTE_PREDICTIONS = 20  # a precision measured on fewer predictions is noise
NEVER = 1.01


def featurize(pairs):
    return [pair_features(p.claim, list(p.sentences), p.several) for p in pairs]


def build_vocab(feats) -> tuple[list[str], np.ndarray]:
    df = Counter(name for sparse, _, _ in feats for name in sparse)
    vocab = sorted(name for name, n in df.items() if n >= MIN_DF)
    n = len(feats)
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in vocab])
    return vocab, idf


def matrix(feats, verifier: Verifier):
    rows, cols, vals = [], [], []
    for i, (sparse, dense, _) in enumerate(feats):
        idx, values = verifier.vectorize(sparse, dense)
        rows.extend([i] * len(idx))
        cols.extend(idx)
        vals.extend(values)
    width = len(verifier.index) + len(DENSE)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(feats), width))


def shell(vocab, idf, mean, std, classes):
    """A Verifier with zero coefficients: the vectorizer the model is trained on."""
    width = len(vocab) + len(DENSE)
    meta = {
        "classes": classes,
        "intercept": [0.0] * len(classes),
        "dense_mean": [float(m) for m in mean],
        "dense_std": [float(v) for v in std],
        "thresholds": {},
    }
    return Verifier(vocab, idf.tolist(), [[0.0] * width for _ in classes], meta)


def fit(X, y, c):
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
    model.fit(X, y)
    return model


def labels_for(probs, classes, thresholds):
    return [decide(dict(zip(classes, row)), thresholds).label for row in probs]


def choose_thresholds(gold, probs, classes):
    """Thresholds maximising macro-F1 with REFUTE precision >= the target.

    When no REFUTE threshold reaches the target on cross-validated train predictions, the
    model never says REFUTE on its own (threshold above 1): contradictions then come only
    from the deterministic detectors, which quote both sides.
    """
    best, best_key = None, None
    for t_refute in [*THRESHOLD_GRID, NEVER]:
        for t_support in THRESHOLD_GRID[:12]:
            th = {"REFUTE": t_refute, "SUPPORT": t_support}
            predicted = labels_for(probs, classes, th)
            s = scores(gold, predicted)
            enough = sum(p == "REFUTE" for p in predicted) >= MIN_REFUTE_PREDICTIONS
            ok = t_refute == NEVER or (
                enough and s["contradicted_precision"] >= TARGET_REFUTE_PRECISION
            )
            key = (ok, s["macro_f1"])
            if ok and (best_key is None or key > best_key):
                best, best_key = th, key
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src/citecheck/data/support" / MODEL_FILE
    )
    args = parser.parse_args()
    corpus = args.data / "corpus.jsonl"
    train = read_pairs(args.data / "claims_train.jsonl", corpus)
    dev = read_pairs(args.data / "claims_dev.jsonl", corpus)
    train_feats, dev_feats = featurize(train), featurize(dev)
    vocab, idf = build_vocab(train_feats)
    dense = np.array([d for _, d, _ in train_feats])
    mean, std = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    classes = list(LABELS)
    base = shell(vocab, idf, mean, std, classes)
    X, Xd = matrix(train_feats, base), matrix(dev_feats, base)
    y = [p.label for p in train]
    gold_dev = [p.label for p in dev]

    # 1. regularisation on dev (plain argmax, no abstention)
    results = {}
    for c in C_GRID:
        model = fit(X, y, c)
        order = [list(model.classes_).index(k) for k in classes]
        probs = model.predict_proba(Xd)[:, order]
        results[c] = scores(gold_dev, labels_for(probs, classes, {}))["macro_f1"]
        print(f"C={c}: dev macro-F1 {results[c]:.3f} (argmax)")
    c = max(C_GRID, key=lambda k: (results[k], -k))

    # 2. abstention thresholds from 5-fold cross-validated probabilities on train
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    oof = np.zeros((len(train), len(classes)))
    for fit_idx, held_idx in folds.split(np.zeros(len(y)), y):
        model = fit(X[fit_idx], [y[i] for i in fit_idx], c)
        order = [list(model.classes_).index(k) for k in classes]
        oof[held_idx] = model.predict_proba(X[held_idx])[:, order]
    thresholds = choose_thresholds(y, oof, classes)
    print(f"chosen C={c}, thresholds {thresholds}")

    # 3. final model on all of train, checked on dev
    model = fit(X, y, c)
    order = [list(model.classes_).index(k) for k in classes]
    coef, intercept = model.coef_[order], model.intercept_[order]
    dev_probs = model.predict_proba(Xd)[:, order]
    dev_scores = scores(gold_dev, labels_for(dev_probs, classes, thresholds))
    abstained = sum(
        decide(dict(zip(classes, row)), thresholds).abstained for row in dev_probs
    ) / len(dev)
    print(json.dumps({**dev_scores, "abstained_share": round(abstained, 4)}, indent=1))
    meta = {
        "classes": classes,
        "intercept": [float(b) for b in intercept],
        "dense_mean": [float(m) for m in mean],
        "dense_std": [float(v) for v in std],
        "thresholds": thresholds,
        "C": c,
        "seed": SEED,
        "min_df": MIN_DF,
        "train_pairs": len(train),
        "dev_macro_f1": dev_scores["macro_f1"],
        "dev_contradicted_precision": dev_scores["contradicted_precision"],
        "data": "Citation-Integrity (Sarol et al. 2024), SciFact packaging of "
        "jedick/MLE-capstone-project (MIT)",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_model(args.out, vocab, idf.tolist(), coef.tolist(), meta)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(vocab)} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
