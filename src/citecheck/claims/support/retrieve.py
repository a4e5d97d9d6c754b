"""BM25 over the sentences of one cited work: which sentences speak to the claim?

A work has at most a few hundred sentences (abstract plus results and discussion), so a
plain Okapi BM25 over a per-work index is instant and needs no dependency.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z0-9]|[\u4e00-\u9fff]")
# Function words that say nothing about what a sentence is about.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "here",
        "we",
        "our",
        "they",
        "them",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "than",
        "then",
        "thus",
        "also",
        "not",
        "no",
        "nor",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "among",
        "such",
        "can",
        "could",
        "may",
        "might",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "so",
        "both",
        "either",
        "each",
        "other",
        "others",
        "via",
        "upon",
        "after",
        "before",
        "during",
        "while",
        "when",
        "where",
        "however",
        "whereas",
        "although",
        "though",
        "et",
        "al",
        "fig",
        "figure",
        "table",
        "ref",
        "refs",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (hyphenated names such as mir-21 stay whole; Han characters single)."""
    return _WORD.findall(text.lower())


def content_words(text: str) -> list[str]:
    """Tokens minus stopwords and one-letter tokens."""
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def bm25_scores(
    query: str, sentences: Sequence[str], k1: float = 1.2, b: float = 0.75
) -> list[float]:
    """Okapi BM25 score of every sentence for the query (IDF over these sentences only)."""
    docs = [content_words(s) for s in sentences]
    if not docs:
        return []
    n = len(docs)
    avg = sum(len(d) for d in docs) / n or 1.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    q = sorted(set(content_words(query)))
    scores = []
    for d in docs:
        tf = Counter(d)
        score = 0.0
        for term in q:
            f = tf.get(term, 0)
            if f:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len(d) / avg))
        scores.append(score)
    return scores


def best_sentences(query: str, sentences: Sequence[str], k: int = 2) -> list[int]:
    """Indices of the k best sentences, best first (ties keep document order)."""
    scores = bm25_scores(query, sentences)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return order[:k]
