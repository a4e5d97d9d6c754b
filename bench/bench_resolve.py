"""Throughput of CrossrefClient + resolve_all against a local fake Crossref with polite limits.

Resolves N references by DOI (work()) against bench/fake_crossref.py (200 ms latency,
10 req/s and 3 in flight, 429 beyond). The limit-bound throughput is
min(rate, concurrency / latency) = min(10, 3 / 0.2 = 15) = 10 req/s; the target is at
least 90% of it with no 429. --unpaced lifts the client's limiter to show what the limits
cost a client that ignores them.

Usage: .venv/bin/python bench/bench_resolve.py [--count 100] [--runs 1] [--unpaced]
Exit status 0 when the target is met, 1 when it is not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_crossref import FakeCrossref

from citecheck.model import Location, Reference, Resolution, Verdict
from citecheck.resolve.resolver import resolve_all
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.crossref import CrossrefClient, user_agent
from citecheck.resolve.sources.http import make_session
from citecheck.resolve.sources.ratelimit import POLITE, PoolLimits, RateLimiter

MAILTO = "bench@example.org"
TARGET = 0.90


def references(count: int) -> list[Reference]:
    return [
        Reference(
            key=f"bench{i}",
            raw=f"Benchmark reference {i}",
            location=Location("bench", i),
            number=i,
            doi=f"10.5555/bench.{i}",
        )
        for i in range(1, count + 1)
    ]


def run(count: int, latency: float, unpaced: bool) -> dict[str, float]:
    with FakeCrossref(latency=latency, lifetime=600.0) as api:
        limits = PoolLimits(1000.0, 1000.0, 50) if unpaced else POLITE
        client = CrossrefClient(
            base_url=api.url,
            mailto=MAILTO,
            session=make_session(cache=False, user_agent=user_agent(MAILTO)),
            limiter=RateLimiter(limits),
        )

        def resolve_one(ref: Reference) -> Resolution:
            try:
                work = client.work(ref.doi)
            except LookupFailed as exc:
                return Resolution(Verdict.LOOKUP_FAILED, detail=str(exc), source=client.name)
            verdict = Verdict.MATCHED if work is not None else Verdict.NOT_FOUND
            return Resolution(verdict, work=work, source=client.name)

        start = time.perf_counter()
        results = resolve_all(references(count), resolve_one, concurrency=client.concurrency)
        elapsed = time.perf_counter() - start
        stats = api.stats
    bound = min(api.rate / api.interval, api.concurrency / latency)
    matched = sum(1 for r in results.values() if r.verdict is Verdict.MATCHED)
    return {
        "references": count,
        "matched": matched,
        "elapsed_s": elapsed,
        "requests": stats.requests,
        "answered_429": stats.rejected,
        "peak_in_flight": stats.peak_in_flight,
        "resolved_per_s": count / elapsed,
        "limit_bound_per_s": bound,
        "fraction_of_bound": (count / elapsed) / bound,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--unpaced", action="store_true", help="lift the client's limiter")
    parser.add_argument("--runs", type=int, default=1, help="repeat; the target must hold in all")
    args = parser.parse_args(argv)
    runs = [run(args.count, args.latency, args.unpaced) for _ in range(max(1, args.runs))]
    names = list(runs[0])
    print(" ".join(f"{name:>17}" for name in names))
    for figures in runs:
        print(" ".join(_cell(figures[name]) for name in names))
    met = all(f["fraction_of_bound"] >= TARGET and f["answered_429"] == 0 for f in runs)
    verdict = "met" if met else "NOT met"
    print(f"target >= {TARGET:.0%} of limit-bound and no 429 in every run: {verdict}")
    return 0 if met else 1


def _cell(value: float) -> str:
    return f"{value:>17.2f}" if isinstance(value, float) else f"{value:>17}"


if __name__ == "__main__":
    sys.exit(main())
