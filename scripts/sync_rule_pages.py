"""Copy the canonical rule pages (src/citecheck/data/rules/, shipped in the package) to
docs/rules/, where the repository's readers and the report links find them.

    .venv/bin/python scripts/sync_rule_pages.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "citecheck" / "data" / "rules"
DST = ROOT / "docs" / "rules"


def main() -> None:
    DST.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in SRC.glob("*.md")}
    for p in DST.glob("*.md"):
        if p.name not in wanted:
            p.unlink()
    for name in sorted(wanted):
        shutil.copyfile(SRC / name, DST / name)
    print(f"{len(wanted)} rule pages in {DST}")


if __name__ == "__main__":
    main()
