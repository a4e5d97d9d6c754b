"""Batch benchmark: manuscripts/s with 1 and 2 workers, memory per worker, and lookups per
unique reference against the local Crossref stand-in (latency and polite limits enforced).

    .venv/bin/python bench/batch.py [--manuscripts 2000]
    .venv/bin/python bench/batch.py --pubmed 40   # only the PubMed run, 40 manuscripts

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
    parser.add_argument(
        "--pubmed", type=int, default=0, metavar="N",
        help="only the Crossref + PubMed run: N manuscripts of 15 references against "
        "bench/fake_sources.py (NCBI's 3 requests/s without an API key enforced)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citecheck-batch-bench-"))
    corpus(work / "synth", args.manuscripts)
    inputs = [str(work / "synth")] + ([str(JATS)] if JATS.exists() else [])
    if args.pubmed:
        pubmed_run(work, args.pubmed, args.latency)
        shutil.rmtree(work, ignore_errors=True)
        return 0
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


def pubmed_works(count: int):
    """Journal articles with PMIDs and DOIs, citable by ECitMatch (journal, year, volume,
    first page, first author)."""
    import random

    from synth import SURNAMES, WORDS

    from citecheck.model import Author, Work

    rng = random.Random(11)
    journals = ["Cell Cycle", "Exp Cell Res", "Stem Cells", "J Cell Mol Med", "Spine J"]
    works = []
    for n in range(count):
        first = rng.randint(1, 900)
        works.append(Work(
            doi=f"10.5555/pm.{n}",
            title=" ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" {n}",
            authors=tuple(Author(rng.choice(SURNAMES), "A B") for _ in range(3)),
            container_title=journals[n % len(journals)],
            short_container_title=journals[n % len(journals)],
            year=2000 + n % 24, volume=str(10 + n % 90), issue="2",
            page=f"{first}-{first + 9}", type="journal-article", pmid=str(30000000 + n),
        ))
    return works


def pubmed_run(work: Path, manuscripts: int, latency: float) -> None:
    """Crossref + PubMed through the multi-source resolver: requests per service, 429s, and
    the verdicts against the per-manuscript path (`check --online --sources crossref,pubmed`)."""
    import random

    from identity import stand_in, vancouver

    from citecheck.readers import read_manuscript
    from citecheck.resolve.sources.crossref import CrossrefClient
    from citecheck.resolve.sources.http import make_session
    from citecheck.workflow import NetworkOptions, resolve_online

    works = pubmed_works(150)
    rng = random.Random(5)
    folder = work / "pubmed"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(manuscripts):
        chosen = rng.sample(works, 15)
        refs = "\n".join(
            f"{n}. {vancouver(w, doi=w.doi if n % 3 == 0 else '', pmid=w.pmid if n % 3 == 1 else '')}"
            for n, w in enumerate(chosen, start=1)
        )
        body = " ".join(f"Finding {n} was reported [{n}]." for n in range(1, 16))
        (folder / f"pm{i:03d}.txt").write_text(f"Manuscript {i}\n\n{body}\n\nReferences\n\n{refs}\n")
    with stand_in(works, latency=latency) as urls:
        session = make_session(cache=False, user_agent="citecheck-bench")
        network = NetworkOptions(
            online=True, mailto="bench@example.org", api_url=urls["crossref"],
            sources=("crossref", "pubmed"), pubmed_url=urls["pubmed"], cache=False,
        )
        stats_url = urls["doi"].rsplit("/", 1)[0] + "/_stats"

        def counts():
            got = session.get(stats_url, timeout=10).json()
            return {k: (v["requests"], v["rejected"]) for k, v in got.items()}

        resolver = UniqueResolver(
            client=CrossrefClient(base_url=urls["crossref"], mailto="bench@example.org",
                                  session=session),
            network=network, session=session,
        )
        before = counts()
        elapsed, s = one_run([str(folder)], work / "out-pubmed", 1, resolver)
        after = counts()
        used = {k: (after[k][0] - before[k][0], after[k][1] - before[k][1]) for k in after}
        print(
            f"batch, crossref+pubmed: {s.total} manuscripts, {manuscripts * 15} references, "
            f"{s.unique_references} unique; {elapsed:.1f} s"
        )
        for name, (requests, rejected) in used.items():
            if requests:
                print(f"  {name}: {requests} requests = {requests / s.unique_references:.3f} "
                      f"per unique reference, {rejected} x 429")
        # The same verdicts as the per-manuscript path, for a sample of manuscripts.
        import json

        differ = 0
        for path in sorted(folder.glob("*.txt"))[:5]:
            doc = read_manuscript(str(path))
            alone = resolve_online(doc.references, network, session)
            found = sorted((work / "out-pubmed" / "rows").glob(f"*{path.stem}*.json"))
            rows = json.loads(found[0].read_text())
            batch = {r["number"]: r for r in rows["references"]}
            for ref in doc.references:
                one = alone.get(ref.number)
                got = batch.get(ref.number, {})
                doi = (one.work.doi if one.work is not None and one.work.doi else ref.doi)
                pair = ((one.verdict.value, doi.lower()), (got.get("verdict"), got.get("doi")))
                if pair[0] != pair[1]:
                    differ += 1
                    print(f"  differs: {path.name} [{ref.number}] alone {pair[0]} batch {pair[1]}")
        print(f"  verdicts against the per-manuscript path (5 manuscripts): {differ} differ")


if __name__ == "__main__":
    raise SystemExit(main())
