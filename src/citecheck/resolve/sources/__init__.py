"""Metadata sources behind one small interface: Crossref online, the lock file offline, fakes in tests.

A source answers two questions. Both return plain `Work` records; a DOI that does not exist
is `None` / an empty list ("not found"), while any failure to get an answer (network down,
timeouts, repeated 5xx, 429 beyond the retry budget, malformed JSON) raises `LookupFailed`.
The two must never be confused: a failure becomes the verdict `lookup-failed`.
"""

from __future__ import annotations

from typing import Protocol

from citecheck.model import Work


class ServiceError(Exception):
    """Base class for every error a metadata source raises."""


class LookupFailed(ServiceError):
    """The source could not answer (network, timeout, 429/5xx after retries, bad JSON)."""


class Source(Protocol):
    """What the resolver needs from a metadata source."""

    name: str  # "crossref-api", "recorded", "fake"

    def work(self, doi: str) -> Work | None:
        """The work with this DOI, or None when the source has no such DOI."""
        ...

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        """Candidate works for a free-text reference string, each with the source's score."""
        ...
