"""Measure callout-to-reference linking against the gold xref links of real JATS articles.

Each article in ../shared/data/jats is read two ways:
  text  rendered to plain text (callouts as printed, then "References" and the list) and read
        by the plain-text reader + numeric scanner, or the author-year scanner + linker;
  jats  read by the JATS reader; numbered callouts link by number, author-year callouts are
        linked by `link_author_year` from their printed text (the xref rid is the answer key).
A predicted link is (paragraph, reference id); precision and recall count multisets of them.

Usage: .venv/bin/python bench/link_accuracy.py [--jats-dir DIR] [--show-errors]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from citecheck.citations.authoryear import link_author_year, link_callout, scan_author_year
from citecheck.readers.jats import Gold, read_jats, render_jats_text
from citecheck.readers.text import find_reference_heading, read_text

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "jats"


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def compare(predicted: Counter, gold: Counter) -> tuple[Score, Counter, Counter]:
    """Multiset precision/recall, plus the false positives and false negatives."""
    hits = predicted & gold
    extra, missed = predicted - gold, gold - predicted
    return Score(sum(hits.values()), sum(extra.values()), sum(missed.values())), extra, missed


def text_links(text: str, gold: Gold) -> Counter:
    """(rendered line, rid) links found by reading the rendered text as a user's manuscript."""
    manuscript = read_text(text, "rendered.txt")
    rid_of = {ref.key: gold.entries.get(ref.location.line) for ref in manuscript.references}
    links: Counter = Counter()
    if gold.numbered:
        by_number = {ref.number: rid_of[ref.key] for ref in manuscript.references}
        for callout in manuscript.callouts:
            for number in callout.numbers:
                links[(callout.location.line, by_number.get(number))] += 1
        return links
    lines = text.split("\n")
    body = "\n".join(lines[: find_reference_heading(lines)])
    for callout in scan_author_year(body, "rendered.txt"):
        for ref in link_author_year(callout.text, manuscript.references):
            links[(callout.location.line, rid_of[ref.key])] += 1
    return links


def jats_links(data: bytes, path: str) -> Counter:
    """(XML location, rid) links from the JATS reader."""
    manuscript = read_jats(data, path)
    links: Counter = Counter()
    by_number = {ref.number: ref.key for ref in manuscript.references}
    for callout in manuscript.callouts:
        if manuscript.numbered:
            rids = [by_number.get(n) for n in callout.numbers]
        else:
            rids = [ref.key for ref in link_callout(callout, manuscript.references)]
        for rid in rids:
            links[(callout.location, rid)] += 1
    return links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jats-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(args.jats_dir.glob("*.nxml"))
    if not files:
        print(f"skipped: no .nxml files in {args.jats_dir} (../shared not present)")
        return 0
    totals = {
        (way, style): Score() for way in ("text", "jats") for style in ("numbered", "author-year")
    }
    print(f"{'article':24} {'style':11} {'way':4} {'gold':>5} {'P':>6} {'R':>6}  fp  fn")
    for path in files:
        data = path.read_bytes()
        text, gold = render_jats_text(data, str(path))
        style = "numbered" if gold.numbered else "author-year"
        expected = {
            "text": Counter((link.line, link.rid) for link in gold.links),
            "jats": Counter((link.xml_location, link.rid) for link in gold.links),
        }
        found = {"text": text_links(text, gold), "jats": jats_links(data, str(path))}
        for way in ("text", "jats"):
            score, extra, missed = compare(found[way], expected[way])
            totals[(way, style)].add(score)
            print(
                f"{path.stem:24} {style:11} {way:4} {len(gold.links):5} "
                f"{score.precision:6.3f} {score.recall:6.3f} {score.fp:3} {score.fn:3}"
            )
            if args.show_errors:
                for (where, rid), count in sorted(extra.items(), key=str):
                    print(f"    false positive x{count}: {where} -> {rid}")
                for (where, rid), count in sorted(missed.items(), key=str):
                    print(f"    missed x{count}: {where} -> {rid}")
    print("\nmicro overall")
    for (way, style), score in totals.items():
        print(
            f"  {style:11} {way:4} P={score.precision:.3f} R={score.recall:.3f} "
            f"(tp={score.tp} fp={score.fp} fn={score.fn})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
