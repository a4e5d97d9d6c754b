"""Paste each real dev document's printed reference list and see whether `check` takes it
for a bare list (issue 12, "just a list"); also that no manuscript file is taken for one.

    .venv/bin/python bench/pasted_lists.py

Reads ../shared/data/realworld-dev; writes nothing. Lists from BibTeX databases are skipped
(their entries are BibTeX, not printed references).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from citecheck.files import read_text_file
from citecheck.readers import read_manuscript
from citecheck.references import reflist

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "realworld-dev"
TEXT_SUFFIXES = {".md", ".txt", ".rmd", ".qmd", ".markdown", ".tex"}


def main() -> None:
    if not ROOT.exists():
        sys.exit(f"{ROOT} is not available")
    documents = json.loads((ROOT / "manifest.json").read_text())["documents"]
    rows, taken = [], []
    for d in documents:
        files = [f["path"] for f in d["files"]]
        for name in files:
            path = ROOT / name
            if path.suffix.lower() in TEXT_SUFFIXES and reflist.as_list(
                read_text_file(path), str(path)
            ):
                taken.append(name)
        refs = next((f for f in files if f.endswith((".bib", "references.json"))), None)
        doc = read_manuscript(str(ROOT / files[0]), str(ROOT / refs) if refs else None)
        raws = [r.raw for r in doc.references if len(r.raw) > 20 and not r.raw.startswith("@")]
        if len(raws) < 3:
            continue
        for style in ("numbered", "plain"):
            lines = (f"{i}. {r}" if style == "numbered" else r for i, r in enumerate(raws, 1))
            found = reflist.as_list("\n".join(lines), "paste.txt")
            rows.append((d["name"], style, len(raws), len(found.references) if found else 0))
    for row in rows:
        print(*row)
    seen = [r for r in rows if r[3]]
    print(
        f"{len(seen)}/{len(rows)} pasted lists recognised; entries read: "
        f"{sum(r[3] for r in seen)}/{sum(r[2] for r in seen)}; manuscript files taken for a "
        f"list: {len(taken)} {taken}"
    )


if __name__ == "__main__":
    main()
