"""Which registration agency holds a DOI: doi.org's `/ra/{prefix}` (Crossref, DataCite, mEDRA,
JaLC, KISTI, ISTIC, CNKI, Airiti, OP...). A DOI Crossref lacks is "not found" only if Crossref
is its agency; an agency we cannot query makes the verdict "cannot determine". An unknown
prefix answers HTTP 200 with `"status": "DOI does not exist"`."""

from __future__ import annotations

from urllib.parse import quote

import requests

from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer
from citecheck.resolve.sources.polite import ServiceClient, ServiceLimits, ServiceSource, json_body

BASE_URL = "https://doi.org"
URL_ENV = "CITECHECK_DOI_URL"
NAME = "doi-agency"
LABEL = "doi.org"
LIMITS = ServiceLimits(rate=5.0, concurrency=2)
NO_SUCH_PREFIX = "none"  # the agency of a prefix doi.org does not know


def prefix_of(doi: str) -> str:
    return doi.strip().split("/", 1)[0]


class DoiAgencyClient(ServiceSource):
    name = NAME

    def __init__(
        self, *, base_url: str = BASE_URL, session: requests.Session | None = None, **options
    ) -> None:
        self.http = ServiceClient(LABEL, base_url, LIMITS, session=session, **options)

    def agency(self, doi: str) -> str:
        """The agency of the DOI's prefix in lower case ("crossref", "datacite", "medra"...),
        or NO_SUCH_PREFIX when doi.org says the prefix does not exist."""
        prefix = prefix_of(doi)
        if not prefix.startswith("10."):
            return NO_SUCH_PREFIX
        what = f"agency of {prefix[:40]}"

        def parse(answer: Answer) -> str:
            body = json_body(LABEL, what, answer)
            first = (
                body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else None
            )
            if first is None:
                raise LookupFailed(f"{LABEL} {what}: unexpected response shape")
            if first.get("RA"):
                return str(first["RA"]).strip().lower()
            if "not exist" in str(first.get("status", "")).lower():
                return NO_SUCH_PREFIX
            raise LookupFailed(f"{LABEL} {what}: {str(first.get('status'))[:80]}")

        return self.http.ask("/ra/" + quote(prefix, safe=""), {}, what, parse, absent_on_404=False)
