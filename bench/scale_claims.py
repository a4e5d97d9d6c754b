"""claims.yaml at 1x, 10x and 100x: write and load times should grow linearly (issue 13).

Before: loading 100,000 claims took 395 s (a duplicate-id check comparing every pair, and
the garbage collector rescanning every object PyYAML had built). Prints seconds and
microseconds per claim for each size.

    .venv/bin/python bench/scale_claims.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import time

from citecheck.claims.claimsfile import ClaimRecord, dump, load
from citecheck.model import Claim, Entity, Location


def records(count: int) -> list[ClaimRecord]:
    return [
        ClaimRecord(
            Claim(
                id=f"c{i:06d}",
                location=Location("paper.txt", i, 1),
                numbers=(i % 50 + 1,),
                author_mention="Cheng" if i % 3 else "",
                paraphrase=f"[{i % 50 + 1}] cited on miR-21",
                entities=(Entity("miR-21", "mirna", "mir-21"),),
            ),
            "text",
            f"{i:012x}",
        )
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"{'claims':>8} {'MB':>6} {'dump s':>8} {'load s':>8} {'load us/claim':>14}")
    for size in args.sizes:
        batch = records(size)
        start = time.perf_counter()
        text = dump(batch, "paper.txt")
        dumped = time.perf_counter() - start
        start = time.perf_counter()
        loaded, _ = load(text, "claims.yaml")
        took = time.perf_counter() - start
        assert len(loaded) == size
        print(
            f"{size:>8} {len(text) / 1e6:>6.1f} {dumped:>8.2f} {took:>8.2f} "
            f"{took / size * 1e6:>14.0f}"
        )


if __name__ == "__main__":
    main()
