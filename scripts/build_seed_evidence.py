"""Build the seed's recorded evidence refs/references.evidence.json from
../shared/seed/recorded-abstracts.json (the way build_seed_lock.py builds the lock).

    .venv/bin/python scripts/build_seed_evidence.py [--shared ../shared] [--lock PATH]

The abstracts were transcribed from public pages of open-access (CC BY) articles, so every
entry says source "recorded" with its licence and page. Only works in the seed's reference
list are kept (a work cited by a number the list lacks cannot be checked). A partial
abstract stays marked partial: what it lacks is unknown, never evidence against a claim.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citecheck.claims.evidence import split_sentences
from citecheck.claims.support.store import StoredEvidence, evidence_path, save_evidence

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--lock", type=Path, default=ROOT / "refs" / "references.lock.json")
    args = parser.parse_args()
    source = args.shared / "seed" / "recorded-abstracts.json"
    works = json.loads(source.read_text(encoding="utf-8"))["works"]
    entries = [
        StoredEvidence(
            number=int(w["n"]),
            source="recorded",
            kind="abstract",
            sentences=tuple(split_sentences(w["abstract"])),
            doi=w.get("doi") or "",
            identifier=w.get("source_url") or "",
            licence=w.get("licence") or "",
            retrieved="",  # transcribed by hand; the shared file records no date
            partial=bool(w.get("partial")),
        )
        for w in works
        if w.get("in_reference_list") and w.get("abstract")
    ]
    out = evidence_path(args.lock)
    save_evidence(entries, out)
    print(f"wrote {out}: {len(entries)} recorded abstracts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
