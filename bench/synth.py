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


def corpus_manuscript(index: int, pool: list[str], rng: random.Random, size: int = 40) -> str:
    """One manuscript of a corpus: `size` references drawn from a shared pool of works (so
    works recur across manuscripts, as in a real literature), cited in order."""
    chosen = rng.sample(range(len(pool)), size)
    body = " ".join(f"Finding {i} was reported [{i}]." for i in range(1, size + 1))
    refs = "\n".join(f"{i}. {pool[w]}" for i, w in enumerate(chosen, start=1))
    return f"Manuscript {index}\n\n{body}\n\nReferences\n\n{refs}\n"


def work_pool(works: int = 20000, seed: int = 7) -> list[str]:
    """Distinct reference strings, half with a DOI, for corpus_manuscript."""
    rng = random.Random(seed)
    pool = []
    for n in range(works):
        text = reference(n, rng).split(" ", 1)[1]
        pool.append(f"{text} doi:10.5555/synth.{n}" if n % 2 else text)
    return pool


def corpus(folder, manuscripts: int = 2000, size: int = 40, seed: int = 7) -> list:
    """Write `manuscripts` text manuscripts into folder; their paths."""
    from pathlib import Path

    rng = random.Random(seed)
    pool = work_pool(seed=seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(manuscripts):
        path = folder / f"ms{i:05d}.txt"
        path.write_text(corpus_manuscript(i, pool, rng, size), encoding="utf-8")
        paths.append(path)
    return paths
