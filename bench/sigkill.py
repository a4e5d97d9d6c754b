"""SIGKILL every command that writes at random moments; count the bytes of user data lost.

Each trial builds a small project (a synthetic manuscript, the user's own refs.bib,
claims.yaml with a hand-edited paraphrase, a lock, an earlier report), starts one writing
command, kills it with SIGKILL -- half the time after a random delay within the command's
measured run time, half the time the moment it starts writing (a temporary file appears) --
and checks every file: inputs unchanged; each output either exactly as before or exactly
what a complete run writes; the user's original refs.bib recoverable (itself or a .bak*);
every backup a complete copy. "Lost" counts the bytes of user files that are neither.

    .venv/bin/python bench/sigkill.py [--trials 150] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import manuscript  # noqa: E402

USER_BIB = "% my own bibliography, edited by hand\n@article{mine, title = {Kept}, year = {2020}}\n"
USER_REPORT = '{"earlier": "report"}\n'
# (name, arguments, files it may write)
COMMANDS = [
    ("check -o", ["check", "m.txt", "--format", "json", "-o", "report.json"], ["report.json"]),
    ("refs extract --force", ["refs", "extract", "m.txt", "-o", "refs.bib", "--force"], ["refs.bib"]),
    ("claims extract", ["claims", "extract", "m.txt", "-o", "claims.yaml"], ["claims.yaml"]),
    ("resolve (lock)", ["resolve", "m.txt", "--lock", "lock.json"], ["lock.json"]),
    ("bib --fix --in-place", ["bib", "--fix", "--refs", "refs.bib", "--in-place"], ["refs.bib"]),
    ("bib --style --output", ["bib", "--style", "apa", "--refs", "refs.bib", "--output", "s.txt"], ["s.txt"]),
]
CITECHECK = [sys.executable, "-m", "citecheck.cli"]


def build(folder: Path, text: str) -> None:
    """A fresh project: the manuscript, the user's files, and a lock and claims from citecheck."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "m.txt").write_text(text, encoding="utf-8")
    (folder / "report.json").write_text(USER_REPORT, encoding="utf-8")
    (folder / "s.txt").write_text("my earlier styled list\n", encoding="utf-8")
    run(folder, ["refs", "extract", "m.txt", "-o", "refs.bib"])
    run(folder, ["claims", "extract", "m.txt", "-o", "claims.yaml"])
    claims = (folder / "claims.yaml").read_text(encoding="utf-8")
    edited = re.sub(r"paraphrase: .*", "paraphrase: EDITED BY HAND", claims, count=1)
    (folder / "claims.yaml").write_text(edited, encoding="utf-8")
    run(folder, ["resolve", "m.txt", "--lock", "lock.json"])
    # The user's own bibliography replaces the extracted one: it is what --force must keep.
    (folder / "refs.user.bib").write_text((folder / "refs.bib").read_text(encoding="utf-8"))
    (folder / "refs.bib").write_text(USER_BIB + (folder / "refs.bib").read_text(encoding="utf-8"))


def run(folder: Path, args: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(CITECHECK + args, cwd=folder, capture_output=True, check=False)
    return time.monotonic() - start


def hunt(folder: Path, process: subprocess.Popen, rng: random.Random) -> None:
    """Return as soon as the command starts writing (a *.tmp appears), plus 0-3 ms."""
    while process.poll() is None:
        if any(name.endswith(".tmp") for name in os.listdir(folder)):
            time.sleep(rng.uniform(0.0, 0.003))
            return
        time.sleep(0.0002)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--references", type=int, default=120)
    parser.add_argument("--only", default="", help="only commands whose name contains this")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    text = manuscript(references=args.references, callouts=args.references * 3)
    work = Path(tempfile.mkdtemp(prefix="citecheck-sigkill-"))
    try:
        template = work / "template"
        build(template, text)
        before = snapshot(template)
        # What a complete run of each command writes (and how long it takes).
        complete: dict[str, dict[str, bytes]] = {}
        duration: dict[str, float] = {}

        def reference(name: str, argv: list[str], outputs: list[str]) -> None:
            scratch = work / "complete"
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.copytree(template, scratch)
            duration[name] = run(scratch, argv)
            complete[name] = {out: (scratch / out).read_bytes() for out in outputs}

        for name, argv, outputs in COMMANDS:
            reference(name, argv, outputs)
        lost_bytes = killed = finished = mid_write = 0
        problems: list[str] = []
        for trial in range(args.trials):
            name, argv, outputs = rng.choice(
                [c for c in COMMANDS if args.only in c[0]] or COMMANDS
            )
            folder = work / f"t{trial}"
            shutil.copytree(template, folder)
            process = subprocess.Popen(
                CITECHECK + argv, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if trial % 2:  # anywhere in the run
                time.sleep(rng.uniform(0.0, duration[name] * 1.05))
            else:  # hunting: the moment a temporary file appears, within a few milliseconds
                hunt(folder, process, rng)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            else:
                finished += 1
            process.wait()
            after = snapshot(folder)
            mid_write += any(f.endswith(".tmp") for f in after)
            for file, old in before.items():
                new = after.get(file)
                if file in outputs:
                    ok = new in (old, complete[name][file])
                    if not ok:  # the code may have changed meanwhile (a shared working tree)
                        reference(name, argv, outputs)
                        ok = new == complete[name][file]
                else:
                    ok = new == old
                if not ok:
                    lost_bytes += len(old)
                    kept = Path(tempfile.gettempdir()) / f"sigkill-trial{trial}-{file}"
                    kept.write_bytes(new or b"")
                    problems.append(
                        f"trial {trial} ({name}): {file} neither old nor complete (kept as {kept})"
                    )
            for file, data in after.items():
                if ".bak" in file and not file.endswith(".tmp") and data != before["refs.bib"]:
                    lost_bytes += len(before["refs.bib"])
                    problems.append(f"trial {trial} ({name}): backup {file} is incomplete")
            kept = [d for f, d in after.items() if f == "refs.bib" or ".bak" in f]
            if before["refs.bib"] not in kept:
                lost_bytes += len(before["refs.bib"])
                problems.append(f"trial {trial} ({name}): the user's refs.bib is gone")
            shutil.rmtree(folder)
        print(f"commands: {', '.join(n for n, _, _ in COMMANDS)}")
        print("run times (s): " + ", ".join(f"{n} {d:.2f}" for n, d in duration.items()))
        print(
            f"trials: {args.trials} (killed mid-run {killed}, of them {mid_write} while writing "
            f"(a temporary file left behind); finished before the kill {finished})"
        )
        print(f"bytes of user data lost: {lost_bytes}")
        for problem in problems[:20]:
            print("  " + problem)
        sys.exit(1 if lost_bytes else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.sync()


if __name__ == "__main__":
    main()
