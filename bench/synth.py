"""Generate a large synthetic manuscript (numbered callouts + Vancouver list) for benchmarks."""

from __future__ import annotations

import random

SURNAMES = [
    "Smith",
    "Chen",
    "Wang",
    "Garcia",
    "Müller",
    "Kim",
    "Nguyen",
    "Rossi",
    "Zhu",
    "Cheng",
    "Li",
    "Tao",
]
WORDS = [
    "exosomes",
    "stem",
    "cells",
    "disc",
    "degeneration",
    "apoptosis",
    "inflammation",
    "matrix",
    "repair",
    "signalling",
    "pathway",
]
JOURNALS = ["Cell Cycle", "Exp Cell Res", "Stem Cells", "J Cell Mol Med", "Theranostics", "Spine J"]


def reference(n: int, rng: random.Random) -> str:
    authors = ", ".join(
        f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}" for _ in range(3)
    )
    title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
    first = rng.randint(1, 900)
    return (
        f"{n} {authors}, et al. {title} [J]. {rng.choice(JOURNALS)}, {rng.randint(1990, 2025)}, "
        f"{rng.randint(1, 400)} ({rng.randint(1, 12)}): {first}-{first + rng.randint(2, 20)}."
    )


def manuscript(references: int = 5000, callouts: int = 20000, seed: int = 7) -> str:
    """A manuscript citing every reference in order, then at random, with author mentions."""
    rng = random.Random(seed)
    sentences = []
    for i in range(callouts):
        n = i + 1 if i < references else rng.randint(1, references)
        if rng.random() < 0.3:  # an author mention, right or wrong, checked against entry n
            sentences.append(
                f"{rng.choice(SURNAMES)} et al. [{n}] showed that {rng.choice(WORDS)} matters."
            )
        else:
            sentences.append(f"The {rng.choice(WORDS)} {rng.choice(WORDS)} was studied [{n}].")
    paragraphs = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    refs = [reference(n, rng) for n in range(1, references + 1)]
    return "\n\n".join(paragraphs) + "\n\nReferences\n\n" + "\n".join(refs) + "\n"
