"""OpenAlex works by DOI, PMID and title search (https://docs.openalex.org).

OpenAlex covers many journals outside Crossref and PubMed, and marks retracted works
(`is_retracted`). Polite use: a `mailto` parameter, at most 10 requests/s. A work is asked
for as `/works/https://doi.org/{doi}` (the form recorded from the live service) and
`/works/pmid:{pmid}`; the identifier is one percent-encoded path segment.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import requests

from citecheck.model import Author, Reference, Update, Work
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer
from citecheck.resolve.sources.polite import ServiceClient, ServiceLimits, ServiceSource, json_body

BASE_URL = "https://api.openalex.org"
URL_ENV = "CITECHECK_OPENALEX_URL"
NAME = "openalex"
LABEL = "OpenAlex"
LIMITS = ServiceLimits(rate=10.0, concurrency=5)
SEARCH_ROWS = 5
_TYPES = {
    "article": "journal-article",
    "preprint": "posted-content",
    "book": "book",
    "book-chapter": "book-chapter",
    "dataset": "dataset",
}


class OpenAlexClient(ServiceSource):
    name = NAME

    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        session: requests.Session | None = None,
        mailto: str = "",
        **options,
    ) -> None:
        self.http = ServiceClient(LABEL, base_url, LIMITS, session=session, **options)
        self._common = {"mailto": mailto} if mailto else {}

    def by_doi(self, doi: str) -> Work | None:
        doi = doi.strip()
        return (
            self._work("https://doi.org/" + doi, f"DOI {doi[:80]}")
            if doi.startswith("10.")
            else None
        )

    def by_pmid(self, pmid: str) -> Work | None:
        pmid = pmid.strip()
        return self._work(f"pmid:{pmid}", f"PMID {pmid}") if pmid.isdigit() else None

    def search(self, ref: Reference, rows: int = SEARCH_ROWS) -> list[Work]:
        words = re.findall(r"[^\W_]{3,}", ref.title)[:12]
        if len(words) < 3:
            return []
        params = {"search": " ".join(words), "per_page": str(rows), **self._common}

        def parse(answer: Answer) -> list[Work]:
            body = json_body(LABEL, "search", answer)
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise LookupFailed(f"{LABEL} search: unexpected response shape")
            return [work_from_openalex(r) for r in results if isinstance(r, dict)]

        return self.http.ask("/works", params, "search", parse, absent_on_404=False)

    def _work(self, ident: str, what: str) -> Work | None:
        def parse(answer: Answer) -> Work:
            body = json_body(LABEL, what, answer)
            if not isinstance(body, dict) or not str(body.get("id", "")).startswith(
                "https://openalex.org/"
            ):
                raise LookupFailed(f"{LABEL} {what}: unexpected response shape")
            return work_from_openalex(body)

        return self.http.ask("/works/" + quote(ident, safe=""), self._common, what, parse)


def work_from_openalex(data: dict[str, Any]) -> Work:
    """An OpenAlex work object as a Work."""
    ids = data.get("ids") if isinstance(data.get("ids"), dict) else {}
    biblio = data.get("biblio") if isinstance(data.get("biblio"), dict) else {}
    location = (
        data.get("primary_location") if isinstance(data.get("primary_location"), dict) else {}
    )
    venue = location.get("source") if isinstance(location.get("source"), dict) else {}
    first, last = str(biblio.get("first_page") or ""), str(biblio.get("last_page") or "")
    year = str(data.get("publication_year") or "")
    retracted = data.get("is_retracted") in (True, "True", "true")
    kind = str(data.get("type") or "")
    return Work(
        doi=_strip(str(data.get("doi") or ids.get("doi") or ""), "https://doi.org/"),
        title=" ".join(str(data.get("title") or data.get("display_name") or "").split()),
        authors=tuple(_authors(data.get("authorships"))),
        container_title=str(venue.get("display_name") or ""),
        short_container_title=str(venue.get("abbreviated_title") or ""),
        year=int(year) if year.isdigit() else None,
        volume=str(biblio.get("volume") or ""),
        issue=str(biblio.get("issue") or ""),
        page=f"{first}-{last}" if first and last and first != last else "",
        article_number=first if first and (not last or first == last) else "",
        type=_TYPES.get(kind, kind),
        updated_by=(Update("retraction", label="OpenAlex: is_retracted"),) if retracted else (),
        pmid=_strip(str(ids.get("pmid") or ""), "https://pubmed.ncbi.nlm.nih.gov/").strip("/"),
        pmcid=_strip(
            str(ids.get("pmcid") or ""), "https://www.ncbi.nlm.nih.gov/pmc/articles/"
        ).strip("/"),
    )


def _authors(value: Any):
    for item in value if isinstance(value, list) else []:
        author = item.get("author") if isinstance(item, dict) else None
        name = str((author or {}).get("display_name") or item.get("raw_author_name") or "").strip()
        if not name:
            continue
        parts = name.rsplit(" ", 1)
        yield Author(parts[-1], parts[0] if len(parts) == 2 else "")


def _strip(text: str, prefix: str) -> str:
    return text[len(prefix) :] if text.lower().startswith(prefix.lower()) else text
