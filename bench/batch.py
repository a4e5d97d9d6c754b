"""Batch benchmark: manuscripts/s with 1 and 2 workers, memory per worker, and lookups per
unique reference against the local Crossref stand-in (latency and polite limits enforced).

    .venv/bin/python bench/batch.py [--manuscripts 2000]

The corpus is bench/synth.py's (references drawn from a shared pool, so works recur) plus the
real JATS articles in ../shared/data/jats when present. Offline runs time reading + rules;
the online run resolves every unique reference once through one rate-limited client.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from fake_crossref import FakeCrossref
from synth import corpus

from citecheck.batch.engine import Settings, run_batch, start_client
from citecheck.batch.inputs import expand
from citecheck.batch.unique import UniqueResolver
from citecheck.config import Config

JATS = ROOT.parent / "shared" / "data" / "jats"


def one_run(inputs, out: Path, workers: int, resolver: UniqueResolver) -> tuple[float, object]:
    shutil.rmtree(out, ignore_errors=True)
    items = expand(inputs, out)
    client = start_client("", workers)
    try:
        client.submit(int, 1).result()  # the cluster is up before the clock starts
        started = time.perf_counter()
        summary = run_batch(items, out, Settings(Config()), resolver, client)
        elapsed = time.perf_counter() - started
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    return elapsed, summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuscripts", type=int, default=2000)
    parser.add_argument("--online-manuscripts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citecheck-batch-bench-"))
    corpus(work / "synth", args.manuscripts)
    inputs = [str(work / "synth")] + ([str(JATS)] if JATS.exists() else [])
    for workers in (1, 2):
        elapsed, s = one_run(inputs, work / f"out{workers}", workers, UniqueResolver())
        print(
            f"offline, {workers} worker(s): {s.total} manuscripts in {elapsed:.1f} s = "
            f"{s.total / elapsed:.1f} manuscripts/s; peak memory per worker "
            f"{', '.join(f'{v:.0f} MB' for v in s.worker_peak_mb.values())}; {s.failed} unreadable"
        )
    if args.online_manuscripts < 1:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    online = work / "online"
    corpus(online, args.online_manuscripts, seed=3)
    from citecheck.resolve.sources.crossref import CrossrefClient
    from citecheck.resolve.sources.http import make_session

    with FakeCrossref(latency=args.latency, rate=10, interval=1.0, concurrency=3) as api:
        client = CrossrefClient(base_url=api.url, mailto="bench@example.org",
                                session=make_session(cache=False, user_agent="citecheck-bench"))
        resolver = UniqueResolver(client=client)
        elapsed, s = one_run([str(online)], work / "out-online", 2, resolver)
        references = args.online_manuscripts * 40
        print(
            f"online, 2 workers: {s.total} manuscripts, {references} references, "
            f"{s.unique_references} unique; {api.stats.requests} requests to the stand-in "
            f"= {api.stats.requests / s.unique_references:.3f} per unique reference; "
            f"{api.stats.rejected} x 429; {elapsed:.1f} s"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
