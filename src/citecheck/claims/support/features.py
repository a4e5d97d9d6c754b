"""What the support verifier sees of one (claim, evidence sentences) pair, as named features.

Shared by scripts/train_support.py and the runtime verifier so both see exactly the same
thing. Two kinds: sparse word features (claim n-grams; words shared with or missing from
the evidence) and a few dense hand features (coverage, numbers, negation, hedging, direction
words) that carry meaning the words alone do not.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

from citecheck.claims.support.retrieve import bm25_scores, content_words, tokens

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
NEGATION = frozenset(
    [
        "not",
        "no",
        "never",
        "neither",
        "nor",
        "without",
        "lack",
        "lacks",
        "lacking",
        "absence",
        "absent",
        "fail",
        "failed",
        "fails",
        "unable",
        "cannot",
    ]
)
HEDGE = frozenset(
    [
        "may",
        "might",
        "could",
        "possibly",
        "suggest",
        "suggests",
        "suggested",
        "suggesting",
        "likely",
        "potential",
        "potentially",
        "appear",
        "appears",
        "hypothesis",
        "hypothesize",
        "speculate",
        "unclear",
        "unknown",
        "whether",
    ]
)
UP = frozenset(
    [
        "increase",
        "increased",
        "increases",
        "increasing",
        "up-regulate",
        "up-regulated",
        "upregulate",
        "upregulated",
        "upregulation",
        "up-regulation",
        "elevate",
        "elevated",
        "enhance",
        "enhanced",
        "enhances",
        "promote",
        "promoted",
        "promotes",
        "activate",
        "activated",
        "activates",
        "activation",
        "induce",
        "induced",
        "induces",
        "higher",
        "high",
        "more",
        "stimulate",
        "stimulated",
    ]
)
DOWN = frozenset(
    [
        "decrease",
        "decreased",
        "decreases",
        "decreasing",
        "down-regulate",
        "down-regulated",
        "downregulate",
        "downregulated",
        "downregulation",
        "down-regulation",
        "reduce",
        "reduced",
        "reduces",
        "reduction",
        "suppress",
        "suppressed",
        "suppresses",
        "inhibit",
        "inhibited",
        "inhibits",
        "inhibition",
        "attenuate",
        "attenuated",
        "lower",
        "low",
        "less",
        "diminish",
        "diminished",
        "impair",
        "impaired",
        "block",
        "blocked",
    ]
)

DENSE = (
    "coverage_best",
    "coverage_all",
    "bm25_best",
    "jaccard_best",
    "numbers_claim",
    "numbers_missing",
    "negation_claim",
    "negation_evidence",
    "hedge_claim",
    "hedge_evidence",
    "direction_conflict",
    "several_cited",
    "claim_length",
    "evidence_sentences",
    "no_overlap",
)


def pair_features(
    claim: str, sentences: list[str], several: bool = False, k: int = 2
) -> tuple[dict[str, float], list[float], list[int]]:
    """(sparse word features, dense features in DENSE order, indices of the best sentences)."""
    scores = bm25_scores(claim, sentences)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    best = [sentences[i] for i in order]
    claim_words = content_words(claim)
    cset = set(claim_words)
    best_words = set(content_words(best[0])) if best else set()
    all_words = {w for s in sentences for w in content_words(s)}
    top_words = {w for s in best for w in content_words(s)}
    sparse: dict[str, float] = {}
    claim_tokens = tokens(claim)
    for w in cset:
        sparse["c:" + w] = 1.0
    for a, b in pairwise(claim_tokens):
        sparse[f"c:{a} {b}"] = 1.0
    for w in cset & top_words:
        sparse["s:" + w] = 1.0
    for w in cset - all_words:
        sparse["m:" + w] = 1.0
    for w in top_words:
        sparse["e:" + w] = 1.0
    evidence_tokens = {t for s in best for t in tokens(s)}
    claim_numbers = set(_NUMBER.findall(claim))
    evidence_numbers = {n for s in sentences for n in _NUMBER.findall(s)}
    ctok = set(claim_tokens)
    dense = [
        len(cset & best_words) / len(cset) if cset else 0.0,
        len(cset & all_words) / len(cset) if cset else 0.0,
        math.log1p(scores[order[0]]) if order else 0.0,
        len(cset & best_words) / len(cset | best_words) if cset | best_words else 0.0,
        min(len(claim_numbers), 3) / 3,
        len(claim_numbers - evidence_numbers) / len(claim_numbers) if claim_numbers else 0.0,
        float(bool(ctok & NEGATION)),
        float(bool(evidence_tokens & NEGATION)),
        float(bool(ctok & HEDGE)),
        float(bool(evidence_tokens & HEDGE)),
        float(_direction(ctok) * _direction(evidence_tokens) < 0),
        float(several),
        math.log1p(len(claim_words)) / 4,
        math.log1p(len(sentences)) / 4,
        float(not (cset & all_words)),
    ]
    return sparse, dense, order


def _direction(words: set[str]) -> int:
    return (len(words & UP) > 0) - (len(words & DOWN) > 0)
