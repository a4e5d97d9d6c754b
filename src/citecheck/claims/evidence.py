"""What citecheck knows a cited work says: its titles and abstracts, labelled by source.

Claims are checked against this evidence. Labels name where the text came from so a
verdict can say "absent from the title" (weak) apart from "absent from the abstract".
"""

from __future__ import annotations

import html
import re

from citecheck.model import Reference, Resolution, Verdict

REFERENCE_TITLE = "reference-title"
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


def evidence_for(
    ref: Reference,
    resolution: Resolution | None,
    abstract: tuple[str, str] | None = None,
) -> tuple[tuple[str, str], ...]:
    """Evidence texts for one reference, most direct first.

    The reference's own title, then the matched record's title and abstract, then an
    abstract fetched elsewhere, given as (label, text) e.g. ("abstract:europepmc", ...).
    Records replayed from recorded metadata are labelled "recorded-..." rather than
    "crossref-...": they were transcribed by hand, not returned by the Crossref API.
    """
    evidence: list[tuple[str, str]] = []
    if ref.title.strip():
        evidence.append((REFERENCE_TITLE, ref.title.strip()))
    work = resolution.work if resolution and resolution.verdict == Verdict.MATCHED else None
    if work is not None:
        origin = "recorded" if resolution.source == "recorded" else "crossref"
        if work.title.strip():
            evidence.append((f"{origin}-title", plain_text(work.title)))
        if work.abstract.strip():
            evidence.append((f"{origin}-abstract", plain_text(work.abstract)))
    if abstract is not None and abstract[1].strip():
        evidence.append((abstract[0], plain_text(abstract[1])))
    return tuple(evidence)


def plain_text(text: str) -> str:
    """Text without JATS/HTML tags or entities, whitespace folded (Crossref abstracts are JATS)."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def is_body(label: str) -> bool:
    """True for an abstract or a full-text section: text that can show what a work found."""
    return is_abstract(label) or label.startswith("fulltext")


def is_abstract(label: str) -> bool:
    """True for labels of abstracts, whose silence about an entity means more than a title's."""
    return "abstract" in label


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[A-Z0-9(\[\"“])|(?<=[。！？])")
_ABBREVIATION = re.compile(
    r"(?:\bet al|\be\.g|\bi\.e|\bFig|\bvs|\bca|\bapprox|\bNo)\.$", re.IGNORECASE
)


def split_sentences(text: str) -> list[str]:
    """Sentences of an abstract or section (abbreviations such as 'et al.' do not end one)."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts
