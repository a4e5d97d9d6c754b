"""Derive citecheck's bundled gene-symbol and miRNA-name lists from ../shared/data/nomenclature.

Run from the repository root:

    .venv/bin/python scripts/derive_nomenclature.py [--shared ../shared]

Inputs (third-party, see src/citecheck/data/NOTICE-nomenclature.md):
  hgnc_entries.tsv               HGNC gene table (CC0): approved, alias and previous symbols
  hsa_matures_miRBase_v22.fa     human mature miRNA names from miRBase v22

Outputs (small, deterministic, sorted so re-running gives identical bytes):
  src/citecheck/data/hgnc_symbols.tsv.gz
      one line per symbol, upper-cased: SYMBOL <TAB> kind:Approved[,kind:Approved...]
      where kind is approved, alias or previous; only genes whose status is "Approved"
      (withdrawn entries carry no current symbol and are left out).
  src/citecheck/data/hgnc_approved.txt.gz
      the approved symbols alone, one per line as HGNC spells them (the pool for "did you
      mean" suggestions; derived from the lines above so the two cannot disagree).
  src/citecheck/data/mirbase_human.txt
      one mature miRNA name per line without the "hsa-" prefix (miR-21-5p, let-7a-5p).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "citecheck" / "data"
KIND_ORDER = {"approved": 0, "alias": 1, "previous": 2}


def gene_lines(hgnc_tsv: Path) -> list[str]:
    """Map every approved/alias/previous symbol to the approved symbols it stands for."""
    index: dict[str, set[tuple[str, str]]] = {}
    with hgnc_tsv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["Status"] != "Approved":
                continue
            approved = row["Approved symbol"].strip()
            index.setdefault(approved.upper(), set()).add(("approved", approved))
            for kind, column in (("alias", "Alias symbols"), ("previous", "Previous symbols")):
                for symbol in row[column].split(","):
                    symbol = symbol.strip()
                    if symbol:
                        index.setdefault(symbol.upper(), set()).add((kind, approved))
    lines = []
    for symbol in sorted(index):
        hits = sorted(index[symbol], key=lambda hit: (KIND_ORDER[hit[0]], hit[1]))
        lines.append(symbol + "\t" + ",".join(f"{kind}:{name}" for kind, name in hits))
    return lines


def mirna_lines(fasta: Path) -> list[str]:
    """Human mature miRNA names from FASTA headers (">hsa-miR-21-5p MIMAT0000076 ...")."""
    names = set()
    for line in fasta.read_text(encoding="utf-8").splitlines():
        if line.startswith(">hsa-"):
            names.add(line[1:].split()[0].removeprefix("hsa-"))
    return sorted(names)


def approved_symbols(gene_lines: list[str]) -> list[str]:
    """Approved symbols as HGNC spells them, from lines "SYMBOL<TAB>approved:Symbol,..."."""
    names = set()
    for line in gene_lines:
        _, hits = line.split("\t", 1)
        for hit in hits.split(","):
            kind, name = hit.split(":", 1)
            if kind == "approved":
                names.add(name)
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    source = args.shared / "data" / "nomenclature"
    if not source.is_dir():
        print(f"{source} not found", file=sys.stderr)
        return 2
    genes = gene_lines(source / "hgnc_entries.tsv")
    mirnas = mirna_lines(source / "hsa_matures_miRBase_v22.fa")
    # mtime=0 keeps the gzip bytes reproducible.
    with gzip.GzipFile(DATA / "hgnc_symbols.tsv.gz", "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(genes) + "\n").encode("utf-8"))
    with gzip.GzipFile(DATA / "hgnc_approved.txt.gz", "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(approved_symbols(genes)) + "\n").encode("utf-8"))
    (DATA / "mirbase_human.txt").write_text("\n".join(mirnas) + "\n", encoding="utf-8")
    print(f"{len(genes)} gene symbols, {len(mirnas)} miRNA names written to {DATA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
