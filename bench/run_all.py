"""Run every benchmark in turn (`make bench`); each prints its own figures.

Those that need ../shared (parser and linking accuracy) say so and are skipped without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
BENCHES = (
    ("bench_check.py", False),  # start-up, seed end to end, 5,000 references
    ("bench_nomenclature.py", False),  # gene/miRNA list loading, claim extraction
    ("bench_resolve.py", False),  # Crossref throughput against a local fake server
    ("parse_accuracy.py", True),  # reference-string parser F1 on AnyStyle gold
    ("link_accuracy.py", True),  # callout linking vs PMC JATS gold
    ("claim_support.py", True),  # claim-support verdicts on the Citation-Integrity dev split
)


def main() -> int:
    failed = []
    for script, needs_shared in BENCHES:
        print(f"\n=== {script}", flush=True)
        if needs_shared and not SHARED.is_dir():
            print("skipped: ../shared not present")
            continue
        if subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
