"""Measure nomenclature loading and lookup speed (run: .venv/bin/python bench/bench_nomenclature.py)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

# A fresh interpreter per sample: loading is cached per process, so only a cold start counts.
COLD = """
import time
t0 = time.perf_counter()
from citecheck.claims import nomenclature
t1 = time.perf_counter()
nomenclature.lookup_gene("TRAF6")
t2 = time.perf_counter()
nomenclature.is_mirna("miR-21")
t3 = time.perf_counter()
nomenclature.nearest_symbols("SUV38H1")
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def cold_start(samples: int = 7) -> dict[str, float]:
    rows = []
    for _ in range(samples):
        out = subprocess.run(
            [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
        )
        rows.append([float(x) for x in out.stdout.split()])
    names = ("import", "first gene lookup (loads HGNC)", "first miRNA check", "first nearest")
    return {name: statistics.median(col) * 1000 for name, col in zip(names, zip(*rows))}


def warm(repeats: int = 20000) -> dict[str, float]:
    from citecheck.claims import nomenclature

    nomenclature.load()
    timings = {}
    for label, call in (
        ("lookup_gene", lambda: nomenclature.lookup_gene("Trim32")),
        ("mirna_status", lambda: nomenclature.mirna_status("miR-194-5p")),
    ):
        start = time.perf_counter()
        for _ in range(repeats):
            call()
        timings[label] = (time.perf_counter() - start) / repeats * 1e6
    start = time.perf_counter()
    for _ in range(100):
        nomenclature.nearest_symbols("SUV38H1")
    timings["nearest_symbols"] = (time.perf_counter() - start) / 100 * 1e6
    return timings


# Entity extraction over the seed's citing sentences and reference titles, cold process.
SEED_RUN = """
import re, time
t0 = time.perf_counter()
from citecheck.citations.callouts import scan_callouts
from citecheck.claims.entities import extract_entities
body, _, listing = open({path!r}, encoding="utf-8").read().partition("\\n参考文献\\n")
sentences = {{c.sentence for c in scan_callouts(body, "seed")}}
titles = re.findall(r"^- \\d+ .*?\\. (.*?) \\[", listing, re.M)
t1 = time.perf_counter()
for text in [*sentences, *titles]:
    extract_entities(text)
t2 = time.perf_counter()
print(len(sentences), len(titles), t1 - t0, t2 - t1)
"""


def seed_extraction() -> str:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "manuscript.txt"
    if not seed.is_file():
        return "seed  ../shared not present: skipped"
    code = SEED_RUN.format(path=str(seed))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n_sent, n_titles, setup, extract = out.stdout.split()
    return (
        f"seed  {n_sent} citing sentences + {n_titles} titles: imports+scan "
        f"{float(setup) * 1000:.0f} ms, extraction incl. HGNC loading {float(extract) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    print(seed_extraction())
    for name, ms in cold_start().items():
        print(f"cold  {name:34s} {ms:8.1f} ms (median of 7)")
    for name, us in warm().items():
        print(f"warm  {name:34s} {us:8.1f} us per call")
