"""Run citecheck on every Pandoc rendering of a cross-format manuscript and reduce its findings
to what does not depend on the format: (rule, reference identity, severity).

A reference's identity is its first author's family name, year and first title words, because
each format numbers and keys entries its own way (BibTeX key, JATS `ref-key` id, list number).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
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
_WORD = re.compile(r"[^\W_]+")


def paths(name: str) -> dict[str, Path]:
    """The source (`md+bib`) and every rendering of one manuscript."""
    found = {"md+bib": XFORMAT / f"{name}.md"}
    found.update({fmt: RENDERED / pattern.format(name) for fmt, pattern in RENDERINGS.items()})
    return found


def check(path: Path, lock: Path) -> CheckResult:
    return run_check(Config(), manuscript=str(path), lock_path=str(lock))


def _ascii(text: str) -> str:
    """Accents off and lower case ("Jäger" = "jager"); Han characters kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


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
        out.add((finding.rule, who, finding.severity.label))
    return out


# ---------------------------------------------------------------------------------------------
# Links: which entries each citation reaches, as identities.

_CITATION = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_KEY = re.compile(r"-?@([\w:.+/-]*\w)")


def source_links(name: str) -> list[frozenset[str]]:
    """Per bracketed citation of the .md source, in order, the entries its keys name: the
    truth the renderings are measured against (a key the .bib lacks stays `<key>`)."""
    from citecheck.readers import read_manuscript

    source = XFORMAT / f"{name}.md"
    by_key = {ref.key: identity(ref) for ref in read_manuscript(str(source)).references}
    text = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]  # after the front matter
    return [
        frozenset(by_key.get(key, f"<{key}>") for key in _KEY.findall(group))
        for group in _CITATION.findall(text)
    ]


def rendered_links(path: Path) -> list[frozenset[str]]:
    """Per callout of a rendering, in order, the entries it links to (by number or key); a
    cite of no entry is named by its key as the source names it."""
    from citecheck.references.reflist import read_input

    manuscript, _ = read_input(str(path))
    by_number = {r.number: r for r in manuscript.references if r.number is not None}
    by_key = {r.key: r for r in manuscript.references}
    links = []
    for callout in manuscript.callouts:
        reached = [identity(by_number[n]) for n in callout.numbers if n in by_number]
        for key in callout.keys:
            ref = by_key.get(key)
            if ref is None or ref.number not in callout.numbers or ref.number is None:
                reached.append(identity(ref) if ref else f"<{cited_key(key)}>")
        links.append(frozenset(reached))
    return links


def precision_recall(gold: list[frozenset], got: list[frozenset]) -> tuple[float, float]:
    """Over the multiset of (cited entry) links: a group split in two ("(Spiegel et al., 2004;
    Taheri et al., 2004)" is two author-year callouts) is not an error."""
    want = Counter(x for group in gold for x in group)
    have = Counter(x for group in got for x in group)
    hits = sum((want & have).values())
    return hits / max(1, sum(have.values())), hits / max(1, sum(want.values()))


def table(lock: Path) -> list[str]:
    """docs/formats.md's table: per rendering, source findings kept, findings added, link
    precision and recall over all manuscripts."""
    names = ("muscle", "sleep", "exosome")
    rows = []
    for fmt in ["md+bib", *RENDERINGS]:
        kept, added, gold, got = [], 0, [], []
        for name in names:
            source = reduced(check(paths(name)["md+bib"], lock))
            rendered = reduced(check(paths(name)[fmt], lock))
            kept.append(f"{len(source & rendered)}/{len(source)}")
            added += len(rendered - source)
            gold += source_links(name)
            got += rendered_links(paths(name)[fmt])
        precision, recall = precision_recall(gold, got)
        rows.append(f"| {fmt} | {'; '.join(kept)} | {added} | {precision:.3f} | {recall:.3f} |")
    return rows


if __name__ == "__main__":  # .venv/bin/python tests/xformat_support.py
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print("\n".join(table(Path(folder) / "absent.lock.json")))
