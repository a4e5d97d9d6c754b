"""Benchmark the offline spine: CLI start-up, the seed end to end, and a 5,000-reference manuscript.

Targets: `citecheck --version` < 150 ms wall; seed end to end < 0.3 s after interpreter
start; 5,000 references + 20,000 callouts < 5 s and < 500 MB peak RSS (issue 2); a
2,000-claim document < 10 s (issue 4). Each in-process figure includes imports and the
JSON report.
Run: .venv/bin/python bench/bench_check.py   (figures printed and written to bench/out/)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "manuscript.txt"
CLI = [sys.executable, "-m", "citecheck.cli"]

# Runs the check in a fresh interpreter and reports its own timing and peak memory.
IN_PROCESS = """
import json, resource, sys, time
t0 = time.perf_counter()
from citecheck.config import Config
from citecheck.reports import WRITERS
from citecheck.workflow import run_check
result = run_check(Config(), manuscript=sys.argv[1], lock_path=sys.argv[2])
text = WRITERS["json"](result)
elapsed = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_rss_mb": peak_mb, "findings": len(result.findings)}))
"""


def wall(command: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


NO_LOCK = ROOT / "bench" / "out" / "no-such.lock.json"
SEED_LOCK = ROOT / "refs" / "references.lock.json"


def in_process(path: Path, lock: Path) -> dict:
    """Check `path` in a fresh interpreter (with `lock` as the lock file); its own figures."""
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(path), str(lock)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    figures: dict[str, object] = {}
    bare = wall([sys.executable, "-c", "pass"])
    figures["python_start_s"] = round(bare, 4)
    figures["version_wall_s"] = round(wall(CLI + ["--version"]), 4)
    figures["version_minus_python_s"] = round(figures["version_wall_s"] - bare, 4)
    if SEED.is_file():
        runs = [in_process(SEED, SEED_LOCK)["seconds"] for _ in range(5)]
        figures["seed_end_to_end_s"] = round(statistics.median(runs), 4)
        figures["seed_cli_wall_s"] = round(
            wall(CLI + ["check", str(SEED), "--format", "json", "--fail-on", "never"], 5), 4
        )
    # The embedded default: refs/references.bib + claims.yaml + the lock, offline (issue 3: < 0.5 s).
    figures["embedded_default_lock_only_cli_wall_s"] = round(
        wall(CLI + ["check", "--format", "json", "--fail-on", "never"], 5), 4
    )
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import manuscript

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_text(manuscript(5000, 20000), encoding="utf-8")
        result = in_process(big, NO_LOCK)
    figures["synthetic_5000_refs_20000_callouts"] = result
    with tempfile.TemporaryDirectory() as tmp:
        claims_doc = Path(tmp) / "claims.txt"
        claims_doc.write_text(manuscript(500, 2000), encoding="utf-8")
        figures["synthetic_2000_claims"] = in_process(claims_doc, NO_LOCK)
    for name, value in figures.items():
        print(f"{name:40} {value}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_check.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
