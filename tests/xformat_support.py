"""Run citecheck on every Pandoc rendering of a cross-format manuscript and reduce its findings
to what does not depend on the format: (rule, reference identity, severity).

A reference's identity is its first author's family name, year and first title words, because
each format numbers and keys entries its own way (BibTeX key, JATS `ref-key` id, list number).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from citecheck.config import Config
from citecheck.model import CheckResult, Finding, Reference
from citecheck.workflow import run_check

XFORMAT = Path(__file__).resolve().parent / "fixtures" / "xformat"
RENDERED = XFORMAT / "rendered"
# Each rendering of NAME.md, by format name: what scripts/render_xformat.sh writes.
RENDERINGS = {
    "docx": "{}.docx",
    "docx_linked": "{}.linked.docx",
    "jats": "{}.jats.xml",
    "jats_publishing": "{}.jats_publishing.xml",
    "latex": "{}.tex",
    "plain": "{}.txt",
    "markdown": "{}.md",
}
_WORD = re.compile(r"[a-z0-9]+")


def paths(name: str) -> dict[str, Path]:
    """The source (`md+bib`) and every rendering of one manuscript."""
    found = {"md+bib": XFORMAT / f"{name}.md"}
    found.update({fmt: RENDERED / pattern.format(name) for fmt, pattern in RENDERINGS.items()})
    return found


def check(path: Path, lock: Path) -> CheckResult:
    return run_check(Config(), manuscript=str(path), lock_path=str(lock))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def identity(ref: Reference) -> str:
    """'wu 1999 mechanisms controlling mitochondrial': the same in every format."""
    family = _ascii(ref.authors[0].family) if ref.authors else ""
    words = _WORD.findall(_ascii(ref.title))[:3]
    return " ".join([family, str(ref.year or ""), *words])


def cited_key(key: str) -> str:
    """A key as the source names it: Pandoc's JATS ids are `ref-` + key, citeproc prints a key
    it did not find as `key?`."""
    key = key.strip().removesuffix("?")
    return key.removeprefix("ref-")


def entry_of(finding: Finding, result: CheckResult) -> Reference | None:
    for ref in result.references:
        if finding.reference is not None and ref.number == finding.reference:
            return ref
        if finding.bib_key and ref.key == finding.bib_key:
            return ref
    return None


def reduced(result: CheckResult) -> set[tuple[str, str, str]]:
    """Each finding as (rule, reference identity, severity); a cite of no entry is named by
    what was cited (the key or printed cite), since there is no entry to identify."""
    out = set()
    for finding in result.findings:
        ref = entry_of(finding, result)
        who = identity(ref) if ref else f"<{cited_key(finding.bib_key or finding.found)}>"
        out.add((finding.rule, who, str(finding.severity)))
    return out
