"""Reader time against input size: the text and LaTeX readers on inputs grown 10x and 100x.

Each step multiplies references and callouts by ten; linear time shows as a time ratio near
10 per step (quadratic would be ~100). The 100x text step is issue 13's 50 MB manuscript:
2,000 references and 800,000 callouts, with one paragraph of 8,000 callouts in every size.

Usage: .venv/bin/python bench/scale_readers.py [--steps 3] [--reader text|latex|both]
"""

from __future__ import annotations

import argparse
import time

from citecheck.readers.latex import read_latex
from citecheck.readers.text import read_text

BASE_REFERENCES = 20
BASE_CALLOUTS = 8_000


def text_manuscript(references: int, callouts: int) -> str:
    """Paragraphs of cited sentences (one dense paragraph of 8,000), then a numbered list."""
    sentences = []
    for i in range(callouts):
        n = i % references + 1
        end = "\n\n" if i % 40 == 39 and i >= BASE_CALLOUTS else " "
        sentences.append(f"Cells grew in culture as reported before [{n}].{end}")
    entries = "\n".join(
        f"{n}. Smith J, Jones K. Growth of cells number {n}. J Cell Biol. 2001;{n}:1-9."
        for n in range(1, references + 1)
    )
    return "".join(sentences) + "\n\nReferences\n" + entries + "\n"


def latex_manuscript(references: int, callouts: int) -> tuple[str, list]:
    from citecheck.model import Location, Reference

    body = []
    for i in range(callouts):
        end = "\n\n" if i % 40 == 39 and i >= BASE_CALLOUTS else " "
        body.append(f"Cells grew as reported~\\cite{{k{i % references + 1}}}.{end}")
    tex = "\\documentclass{article}\n\\begin{document}\n" + "".join(body) + "\n\\end{document}\n"
    refs = [
        Reference(key=f"k{n}", raw="", location=Location("r.bib", n), title=f"T {n}", year=2001)
        for n in range(1, references + 1)
    ]
    return tex, refs


def measure(reader: str, scale: int) -> tuple[float, int, int]:
    references, callouts = BASE_REFERENCES * scale, BASE_CALLOUTS * scale
    if reader == "text":
        text = text_manuscript(references, callouts)
        started = time.perf_counter()
        manuscript = read_text(text, "scale.txt")
    else:
        text, refs = latex_manuscript(references, callouts)
        started = time.perf_counter()
        manuscript = read_latex(text, "scale.tex", tuple(refs))
    seconds = time.perf_counter() - started
    assert len(manuscript.callouts) == callouts and len(manuscript.references) == references
    return seconds, len(text.encode()), len(manuscript.callouts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3, help="1x, 10x, 100x ... (default 3)")
    parser.add_argument("--reader", choices=("text", "latex", "both"), default="both")
    args = parser.parse_args(argv)
    readers = ("text", "latex") if args.reader == "both" else (args.reader,)
    print(f"{'reader':6} {'scale':>6} {'MB':>7} {'callouts':>9} {'seconds':>8} {'ratio':>6}")
    for reader in readers:
        previous = None
        for step in range(args.steps):
            scale = 10**step
            seconds, size, count = measure(reader, scale)
            ratio = f"{seconds / previous:6.1f}" if previous else "     -"
            print(f"{reader:6} {scale:>5}x {size / 1e6:7.1f} {count:9,} {seconds:8.2f} {ratio}")
            previous = seconds
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
