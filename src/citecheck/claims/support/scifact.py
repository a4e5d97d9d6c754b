"""Read claim-support splits in the SciFact format and score a verifier on them.

Used by bench/claim_support.py and scripts/train_support.py, so that training, model choice
and the published figures all read the data and count the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

LABELS = ("SUPPORT", "REFUTE", "NEI")
_MARKER = re.compile(r"\s*\[?\s*<\|(?:cit|multi_cit|other_cit)\|>\s*\]?")
_SEVERAL = re.compile(r"<\|(?:multi_cit|other_cit)\|>")


@dataclass(frozen=True)
class Pair:
    """One (claim, cited work) pair with its gold label."""

    claim_id: int
    claim: str
    several: bool  # the sentence cites other works too
    doc_id: int
    sentences: tuple[str, ...]
    label: str


def clean_claim(text: str) -> str:
    """The citing sentence without citation markers, as citecheck sees a claim."""
    return " ".join(_MARKER.sub(" ", text).split())


def read_pairs(claims: Path, corpus: Path) -> list[Pair]:
    """Every (claim, cited document) pair; a cited document without evidence is NEI."""
    docs: dict[int, tuple[str, ...]] = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            title = [d["title"]] if d.get("title") else []
            docs[int(d["doc_id"])] = tuple(title + list(d["abstract"]))
    pairs = []
    for line in claims.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        c = json.loads(line)
        for doc_id in c["cited_doc_ids"]:
            evidence = c.get("evidence", {}).get(str(doc_id)) or []
            label = evidence[0]["label"] if evidence else "NEI"
            pairs.append(
                Pair(
                    int(c["id"]),
                    clean_claim(c["claim"]),
                    bool(_SEVERAL.search(c["claim"])),
                    int(doc_id),
                    docs.get(int(doc_id), ()),
                    label,
                )
            )
    return pairs


def scores(gold: list[str], predicted: list[str]) -> dict:
    """Per-class precision/recall/F1, 3-class macro-F1 and the precision of REFUTE."""
    per_class = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        n_pred = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "predicted": n_pred,
            "gold": n_gold,
        }
    macro = sum(c["f1"] for c in per_class.values()) / len(LABELS)
    return {
        "macro_f1": round(macro, 4),
        "per_class": per_class,
        "contradicted_precision": per_class["REFUTE"]["precision"],
    }
