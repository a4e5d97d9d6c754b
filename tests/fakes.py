"""Test doubles for metadata sources and small builders for references and works."""

from __future__ import annotations

from collections.abc import Iterable

from citecheck.model import Author, Location, Reference, Work
from citecheck.normalize import doi_key
from citecheck.resolve.sources import LookupFailed


class FakeSource:
    """A Source answering from given works: DOI lookups by DOI, every search with `candidates`.

    `error` makes every call raise LookupFailed(error); `calls` records what was asked.
    """

    name = "fake"

    def __init__(
        self,
        works: Iterable[Work] = (),
        candidates: Iterable[tuple[Work, float]] = (),
        error: str = "",
    ) -> None:
        self.by_doi = {doi_key(w.doi): w for w in works if w.doi}
        self.candidates = list(candidates)
        self.error = error
        self.calls: list[tuple[str, str]] = []

    def work(self, doi: str) -> Work | None:
        self.calls.append(("work", doi))
        if self.error:
            raise LookupFailed(self.error)
        return self.by_doi.get(doi_key(doi))

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        self.calls.append(("search", bibliographic))
        if self.error:
            raise LookupFailed(self.error)
        return self.candidates[:rows]


HIT = Work(
    doi="10.5555/citecheck.hit",
    title="Exosomes and the intervertebral disc: a test record",
    authors=(Author("Zhou", "Jun"), Author("Li", "Hong-Guang"), Author("Wang", "Wei")),
    container_title="Journal of Example Research",
    short_container_title="J Example Res",
    year=2019,
    volume="36",
    issue="4",
    page="1611-1621",
    type="journal-article",
)

HIT_TEXT = (
    "Zhou J, Li HG, Wang W. Exosomes and the intervertebral disc: a test record. "
    "J Example Res. 2019;36(4):1611-21."
)


def ref(**fields: object) -> Reference:
    """A reference agreeing with HIT unless fields say otherwise."""
    values: dict[str, object] = {
        "key": "zhou2019exosomes",
        "raw": HIT_TEXT,
        "location": Location("refs/references.bib", 10),
        "number": 7,
        "authors": (Author("Zhou", "J"), Author("Li", "HG"), Author("Wang", "W")),
        "title": "Exosomes and the intervertebral disc: a test record",
        "container": "J Example Res",
        "year": 2019,
        "volume": "36",
        "issue": "4",
        "pages": "1611-21",
    }
    values.update(fields)
    return Reference(**values)  # type: ignore[arg-type]


def relevant(work: Work, query: str = HIT_TEXT) -> tuple[Work, float]:
    """A candidate with a Crossref-like relevance comfortably above the per-character floor."""
    return work, 1.0 * len(query)
