"""Index benchmark: build rate and size on a generated Crossref-format snapshot, lookup latency.

    .venv/bin/python bench/index.py --records 1000000   # snapshot in /tmp, never committed

Generates gzipped JSON files of `items` (Crossref's public data file shape) with realistic
titles, builds the index, then times DOI lookups and title-word candidate searches.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citecheck.index.build import build_index  # noqa: E402
from citecheck.index.lookup import IndexSource  # noqa: E402

VOCAB_SIZE = 30000
PER_FILE = 5000


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 11))) for _ in range(VOCAB_SIZE)]


def item(n: int, rng: random.Random, vocab: list[str]) -> dict:
    # Zipf-like word choice: a few words are very common, most are rare (as in real titles).
    title = " ".join(vocab[min(int(rng.paretovariate(0.6)) - 1, VOCAB_SIZE - 1) if rng.random() < 0.5
                           else rng.randrange(VOCAB_SIZE)] for _ in range(rng.randint(6, 14)))
    return {
        "DOI": f"10.{1000 + n % 9000}/bench.{n}",
        "title": [title],
        "author": [{"family": rng.choice(vocab).title(), "given": "A."} for _ in range(rng.randint(1, 6))],
        "container-title": [f"Journal of {rng.choice(vocab).title()}"],
        "issued": {"date-parts": [[rng.randint(1950, 2025)]]},
        "volume": str(rng.randint(1, 300)),
        "issue": str(rng.randint(1, 12)),
        "page": f"{(p := rng.randint(1, 3000))}-{p + rng.randint(2, 20)}",
        "type": "journal-article",
    }


def generate(folder: Path, records: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    sample = []
    for start in range(0, records, PER_FILE):
        items = [item(n, rng, vocab) for n in range(start, min(records, start + PER_FILE))]
        sample.extend(items[:: max(1, records // 2000)][:2])
        (folder / f"{start // PER_FILE}.json.gz").write_bytes(
            gzip.compress(json.dumps({"items": items}).encode(), 1)
        )
    return sample


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    args = parser.parse_args()
    work = Path(args.workdir) / f"citecheck-index-bench-{args.records}"
    snapshot = work / "snapshot"
    snapshot.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sample = generate(snapshot, args.records)
    snapshot_mb = sum(p.stat().st_size for p in snapshot.iterdir()) / 1e6
    print(f"generated {args.records} records ({snapshot_mb:.0f} MB gz) in {time.perf_counter() - started:.0f} s")
    stats = build_index(snapshot, work / "bench.idx")
    per_million = stats.bytes / 1e6 * 1e6 / stats.records
    print(f"build: {stats.records / stats.seconds:,.0f} records/s ({stats.seconds:.0f} s), "
          f"{stats.bytes / 1e6:.0f} MB = {per_million:.0f} MB per million records")
    index = IndexSource(work / "bench.idx")
    by_doi, by_title, hits = [], [], 0
    for record in sample[:1000]:
        t = time.perf_counter()
        assert index.work(record["DOI"]) is not None
        by_doi.append(time.perf_counter() - t)
        text = f"{record['author'][0]['family']} A. {record['title'][0]}. {record['container-title'][0]}. {record['issued']['date-parts'][0][0]}"
        t = time.perf_counter()
        found = index.search(text)
        by_title.append(time.perf_counter() - t)
        hits += any(w.doi == record["DOI"].lower() for w, _ in found)
    print(f"lookup by DOI: median {statistics.median(by_doi) * 1e3:.2f} ms, p99 {percentile(by_doi, .99) * 1e3:.2f} ms")
    print(f"search by title: median {statistics.median(by_title) * 1e3:.1f} ms, p99 {percentile(by_title, .99) * 1e3:.1f} ms; "
          f"right record among candidates {hits}/{len(by_title)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
