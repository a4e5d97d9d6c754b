"""Online: what Europe PMC holds about each cited work, as evidence entries to record.

The abstract (by PMID or DOI) and, for an open-access PMC article, the paragraphs of its
results and discussion, each split into sentences. A failed lookup just means no evidence
for that work: "unknown", never a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from citecheck.claims.evidence import split_sentences
from citecheck.claims.support.store import StoredEvidence
from citecheck.model import Reference
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.europepmc import BASE_URL, fetch_abstract, fetch_fulltext_sections


def collect_evidence(
    refs: Sequence[Reference], session, base_url: str = BASE_URL
) -> list[StoredEvidence]:
    """Evidence entries for every numbered reference with a PMID, DOI or PMCID."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries: list[StoredEvidence] = []
    for ref in refs:
        if ref.number is None:
            continue
        try:
            entries.extend(_for_reference(ref, session, base_url.rstrip("/"), now))
        except LookupFailed:
            continue
    return entries


def _for_reference(ref: Reference, session, base_url: str, now: str) -> list[StoredEvidence]:
    found = []
    if ref.pmid or ref.doi:
        abstract = fetch_abstract(session, doi=ref.doi, pmid=ref.pmid, url=base_url + "/search")
        if abstract is not None:
            found.append(
                StoredEvidence(
                    number=ref.number or 0,
                    source="europepmc",
                    kind="abstract",
                    sentences=tuple(split_sentences(abstract[1])),
                    doi=ref.doi,
                    identifier=f"PMID:{ref.pmid}" if ref.pmid else f"DOI:{ref.doi}",
                    retrieved=now,
                )
            )
    pmcid = getattr(ref, "pmcid", "")
    if pmcid:
        full = fetch_fulltext_sections(session, pmcid, base_url=base_url)
        if full is not None:
            sections, licence = full
            found.extend(
                StoredEvidence(
                    number=ref.number or 0,
                    source="europepmc",
                    kind=f"fulltext:{section}",
                    sentences=tuple(s for p in paragraphs for s in split_sentences(p)),
                    doi=ref.doi,
                    identifier=pmcid,
                    licence=licence,
                    retrieved=now,
                )
                for section, paragraphs in sections.items()
            )
    return found
