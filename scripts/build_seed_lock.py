"""Build the seed's lock file refs/references.lock.json from ../shared/seed/recorded-metadata.json.

Run from the repository root:

    .venv/bin/python scripts/build_seed_lock.py [--shared ../shared] [--bib refs/references.bib]
    .venv/bin/python scripts/build_seed_lock.py --abbreviations   # seed rows of journal_abbrev.tsv

The recorded metadata was transcribed by hand from publisher, PubMed and PMC pages and laid
out like Crossref work messages; it is NOT Crossref API output, so every entry is written
with source "recorded". Records are partial: a field that is absent is unknown and never
causes a mismatch; "citecheck-author-list-incomplete" marks a partial author list.
References without a record (14 of 39) are locked as "unresolved" with the identity verdict
cannot-determine and its reason (issue 10): unknown, never "not found".

The reference texts and keys come from refs/references.bib when it exists, else from the
seed manuscript's reference list, read by citecheck's own text reader.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from citecheck.model import Reference, Resolution, Verdict
from citecheck.resolve.lock import Lock, LockEntry, save_lock
from citecheck.resolve.match import MIN_SIMILARITY, score_candidate
from citecheck.resolve.sources.crossref import work_from_message
from citecheck.resolve.sources.identity import recorded_identity, unasked_identity

ROOT = Path(__file__).resolve().parents[1]
RECORDED_NOTE = "recorded metadata (transcribed from public pages; not Crossref API output)"


def seed_references(shared: Path, bib: Path) -> tuple[Reference, ...]:
    """The seed's references: from the project's BibTeX file if present, else the manuscript."""
    if bib.exists():
        from citecheck.bibliography.bib import read_bibtex

        refs, _unparsed = read_bibtex(bib.read_text(encoding="utf-8"), str(bib))
        return tuple(refs)
    from citecheck.readers.text import read_text

    manuscript = shared / "seed" / "manuscript.txt"
    text = manuscript.read_text(encoding="utf-8")
    return read_text(text, "manuscript.txt").references


def recorded_timestamp(recorded: Path) -> str:
    """When the records were taken: the recorded file's modification time, in UTC."""
    moment = datetime.fromtimestamp(recorded.stat().st_mtime, UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def build_lock(records: dict, refs: tuple[Reference, ...], retrieved: str) -> Lock:
    """One matched entry per reference that has a record, scored like an online match."""
    by_number = {ref.number: ref for ref in refs if ref.number is not None}
    entries = []
    for item in records["references"]:
        ref = by_number.get(item["n"])
        if ref is None:
            continue
        if item.get("record") is None:
            # Issue 10: a verdict with its reason for every listed reference, never "not found"
            # from a search by hand: nobody has asked a source yet.
            identity = unasked_identity(item.get("note", ""))
            resolution = Resolution(
                Verdict.UNRESOLVED, query=ref.raw, source="recorded", retrieved=retrieved,
                detail=identity.reason, identity=identity,
            )
            entries.append(LockEntry(ref.number, ref.key, resolution))
            continue
        work = work_from_message(item["record"])
        pmid = str(item["record"].get("citecheck-pmid") or "")
        work = replace(work, pmid=pmid) if pmid.isdigit() else work
        resolution = Resolution(
            verdict=Verdict.MATCHED,
            work=work,
            score=round(score_candidate(ref, work), 3),
            query=ref.raw,
            source="recorded",
            retrieved=retrieved,
            detail=RECORDED_NOTE,
            identity=recorded_identity(ref, work),
        )
        entries.append(LockEntry(ref.number, ref.key, resolution))
    return Lock(tuple(entries))


def abbreviation_rows(records: dict) -> list[str]:
    """The "seed" rows of data/journal_abbrev.tsv: distinct full/short title pairs."""
    rows: list[str] = []
    for item in records["references"]:
        record = item.get("record") or {}
        full = (record.get("container-title") or [""])[0]
        short = (record.get("short-container-title") or [""])[0]
        row = f"title\t{full}\t{short}\tseed"
        if full and short and full != short and row not in rows:
            rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--bib", type=Path, default=ROOT / "refs" / "references.bib")
    parser.add_argument("--out", type=Path, default=ROOT / "refs" / "references.lock.json")
    parser.add_argument("--abbreviations", action="store_true", help="print seed TSV rows")
    args = parser.parse_args()

    recorded = args.shared / "seed" / "recorded-metadata.json"
    if not recorded.exists():
        print(f"{recorded} not found: pass --shared", file=sys.stderr)
        return 2
    records = json.loads(recorded.read_text(encoding="utf-8"))
    if args.abbreviations:
        print("\n".join(abbreviation_rows(records)))
        return 0

    refs = seed_references(args.shared, args.bib)
    lock = build_lock(records, refs, recorded_timestamp(recorded))
    for entry in lock.entries:
        if entry.resolution.work is not None and entry.resolution.score < MIN_SIMILARITY:
            print(f"warning: [{entry.number}] scores {entry.resolution.score}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_lock(lock, args.out)
    print(f"wrote {len(lock.entries)} recorded entries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
