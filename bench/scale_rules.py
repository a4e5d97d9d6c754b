"""Reference-list rules grow linearly: duplicate-reference and incomplete-reference at 1x, 10x, 100x.

The worst case for the old duplicate check: every entry shares first author and year, so a
first-author/year bucket compared all pairs (10,000 entries: 11 s, growing as n^2). Blocking
keys and sorted neighbours keep it near-linear. Titles are distinct but alike (one shared
stem, a different subject word), and one entry in a hundred repeats an earlier one.

    .venv/bin/python bench/scale_rules.py [--base 1000] [--factors 1 10 100]
"""

from __future__ import annotations

import argparse
import random
import time

from citecheck.model import Author, Location, Manuscript, Project, Reference
from citecheck.rules import run
from citecheck.rules.references import duplicate_reference, incomplete_reference

WORDS = (
    "exosome disc cartilage bone marrow stem cell apoptosis inflammation matrix collagen "
    "nucleus pulposus annulus fibrosus senescence autophagy hypoxia signalling pathway"
).split()


def references(n: int, seed: int = 7) -> tuple[Reference, ...]:
    rng = random.Random(seed)
    refs = []
    for i in range(1, n + 1):
        source = i - rng.randint(1, min(i - 1, 50)) if i > 1 and i % 100 == 0 else i
        subject = " ".join(rng.choice(WORDS) for _ in range(3))
        title = f"Study {source} of {subject} in the degenerating disc"
        refs.append(
            Reference(
                key=f"smith2020s{i}",
                raw=f"Smith J, Doe A. {title}. J Spine Res. 2020;{source % 40 + 1}:{source}.",
                location=Location("refs.bib", i),
                number=i,
                authors=(Author("Smith", "J"), Author("Doe", "A")),
                title=title,
                container="J Spine Res",
                year=2020,
                volume=str(source % 40 + 1),
                pages=str(source),
            )
        )
    return tuple(refs)


def timed(n: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, findings): CPU time is what a shared machine cannot blur."""
    project = Project(Manuscript("refs.bib", references=references(n)))
    start, cpu = time.perf_counter(), time.process_time()
    findings = run(project, [duplicate_reference, incomplete_reference])
    return time.perf_counter() - start, time.process_time() - cpu, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=1000)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    first = None
    print(f"{'entries':>9} {'wall s':>7} {'CPU s':>7} {'CPU us/entry':>13} {'findings':>9} {'vs 1x':>6}")
    for factor in args.factors:
        n = args.base * factor
        wall, cpu, found = timed(n)
        first = first or cpu / factor
        print(
            f"{n:>9,} {wall:>7.2f} {cpu:>7.2f} {cpu / n * 1e6:>13.1f} {found:>9,} "
            f"{cpu / first / factor:>6.2f}"
        )


if __name__ == "__main__":
    main()
