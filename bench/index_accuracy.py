"""Index accuracy against the online path: does `--index` give the answer the online path gave?

    .venv/bin/python bench/index_accuracy.py [--distractors 50000] [--verbose]

The online answers are the recorded ones: the seed lock (refs/references.lock.json: 25
references matched to their recorded records, 14 unresolved), the Crossref work messages of
../shared/data/crossref-api (each the record its DOI answers) and the records of
../shared/data/sources (PubMed EFetch, Europe PMC, OpenAlex, DataCite: each the record its
identifier answers). An index is built from those records (Crossref's data-file shape, as
`citecheck index build` reads it), the records of the recorded Crossref searches, and
generated distractors: random titles (bench/index.py's generator) and near-twins of every
recorded work (same title, other authors, year and journal; same authors and journal, other
title). Each reference goes through `resolve_with_index` as cited, and again with its DOI and
PMID removed (title search only). Printed: same DOI, both none, and every disagreement with
the index's verdict and reason.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from fake_sources import crossref_message
from identity import citable, corpus, vancouver

from citecheck.model import Author, Location, Verdict, Work
from citecheck.normalize import doi_key
from citecheck.references.refparse import parse_reference
from citecheck.resolve.index.build import build_index
from citecheck.resolve.index.lookup import IndexSource, resolve_with_index
from citecheck.resolve.lock import work_from_json
from citecheck.resolve.sources.crossref import work_from_message

ROOT = BENCH.parent
CROSSREF = ROOT.parent / "shared" / "data" / "crossref-api"
LOCK = ROOT / "refs" / "references.lock.json"


def recorded_cases() -> tuple[list[tuple[str, str, str]], list[dict]]:
    """(label, reference text, the online answer's DOI or "") and the recorded records."""
    cases: list[tuple[str, str, str]] = []
    records: list[dict] = []
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    for entry in lock["references"]:
        answer = ""
        if entry.get("verdict") == "matched" and entry.get("work"):
            work = work_from_json(entry["work"])
            records.append(crossref_message(work))
            answer = doi_key(work.doi)
        cases.append((f"seed lock [{entry['number']}]", entry["query"], answer))
    for path in sorted(CROSSREF.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8")).get("body")
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            continue
        if "items" in message:  # a recorded search: its hits are real records (distractors)
            records.extend(i for i in message["items"] if i.get("DOI"))
            continue
        records.append(message)
        work = work_from_message(message)
        if work.title and work.authors:
            text = vancouver(work, doi=work.doi)
            cases.append((f"crossref-api {path.stem}", text, doi_key(work.doi)))
    for work in corpus():
        if not (citable(work) and work.doi):
            continue
        records.append(crossref_message(work))
        cases.append((f"sources {work.pmid or work.doi}", vancouver(work, doi=work.doi), doi_key(work.doi)))
    return cases, records


def twins(records: list[dict], rng: random.Random) -> list[dict]:
    """For each record: its title under other authors, year and journal, and its authors,
    journal and year under another title (the distractors a title search must pass over)."""
    out = []
    for n, message in enumerate(records):
        work = work_from_message(message)
        if not work.title:
            continue
        other = work_from_message(records[(n + 5) % len(records)])
        out.append(crossref_message(replace(
            work, doi=f"10.9999/twin.title.{n}", authors=other.authors or (Author("Nobody", "A"),),
            year=(work.year or 2000) - 7, container_title=other.container_title or "Other",
            short_container_title="", volume=str(rng.randint(1, 99)), page="1-9", article_number="",
        )))
        out.append(crossref_message(replace(
            work, doi=f"10.9999/twin.authors.{n}", title=other.title or "Unrelated work",
        )))
    return out


def distractors(count: int, rng: random.Random) -> list[dict]:
    from index import item, vocabulary

    vocab = vocabulary(rng)
    return [item(n, rng, vocab) for n in range(count)]


def reason(index: IndexSource, answer: str, got: str) -> str:
    """Why the index's answer differs, as far as the records tell."""
    expected = index.work(answer) if answer else None
    if answer and expected is None:
        return "the online answer is not in the index"
    if expected is not None and not expected.title:
        return ("the online answer's record has no title (a partial record), so no title "
                "search can reach it; the online answer came from elsewhere")
    if got and not answer:
        return "the index matched a record where the online path found none"
    return "the index ranked or validated another record (see the candidate above)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=50000)
    parser.add_argument("--verbose", action="store_true", help="every case, not only disagreements")
    args = parser.parse_args()
    if not CROSSREF.exists() or not LOCK.exists():
        print(f"skipped: {CROSSREF} or {LOCK} is not present")
        return 0
    rng = random.Random(3)
    cases, records = recorded_cases()
    seen: dict[str, dict] = {}
    for message in records:
        seen.setdefault(doi_key(message.get("DOI", "")) or message["title"][0], message)
    items = list(seen.values())
    items += twins(items, rng) + distractors(args.distractors, rng)
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "snapshot"
        snapshot.mkdir()
        for start in range(0, len(items), 5000):
            (snapshot / f"{start // 5000}.json.gz").write_bytes(
                gzip.compress(json.dumps({"items": items[start : start + 5000]}).encode(), 1)
            )
        build_index(snapshot, Path(folder) / "a.idx", workers=1)
        index = IndexSource(Path(folder) / "a.idx")
        print(f"index: {index.records()} records ({len(seen)} recorded, the rest distractors)")
        totals = {}
        for mode in ("as cited", "no DOI/PMID"):
            same = none = 0
            wrong = []
            for label, text, answer in cases:
                ref = parse_reference(text, number=1, location=Location("bench", 1))
                if mode != "as cited":
                    ref = replace(ref, doi="", pmid="", pmcid="")
                res = resolve_with_index(ref, index)
                got = doi_key(res.work.doi) if res.verdict is Verdict.MATCHED and res.work else ""
                if got == answer:
                    same += bool(answer)
                    none += not answer
                    if args.verbose:
                        print(f"  ok   {mode:11} {label}: {got or 'none'}")
                else:
                    wrong.append((label, answer, got, res))
            totals[mode] = (same, none, wrong)
            print(f"{mode}: {len(cases)} references: {same} same DOI, {none} both none, "
                  f"{len(wrong)} disagree")
            for label, answer, got, res in wrong:
                print(f"  {label}: online {answer or 'none'}, index {got or 'none'} "
                      f"({res.verdict.value}, score {res.score:.2f}; {res.detail[:140]})")
                print(f"    reason: {reason(index, answer, got)}")
    return 0 if not any(w for _, _, w in totals.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
