"""DataCite DOIs (https://support.datacite.org/docs/api-get-doi): datasets, software, Zenodo,
figshare, Dryad, many repositories and some journals. `GET /dois/{doi}` answers a JSON:API
record or 404. DataCite allows 3,000 requests per 5 minutes per client (10/s)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from citecheck.model import Author, Update, Work
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer
from citecheck.resolve.sources.polite import ServiceClient, ServiceLimits, ServiceSource, json_body

BASE_URL = "https://api.datacite.org"
URL_ENV = "CITECHECK_DATACITE_URL"
NAME = "datacite"
LABEL = "DataCite"
LIMITS = ServiceLimits(rate=10.0, concurrency=3)
_TYPES = {
    "journalarticle": "journal-article",
    "preprint": "posted-content",
    "dataset": "dataset",
    "software": "software",
    "book": "book",
    "bookchapter": "book-chapter",
}


class DataCiteClient(ServiceSource):
    name = NAME

    def __init__(
        self, *, base_url: str = BASE_URL, session: requests.Session | None = None, **options
    ) -> None:
        self.http = ServiceClient(LABEL, base_url, LIMITS, session=session, **options)

    def by_doi(self, doi: str) -> Work | None:
        doi = doi.strip()
        if not doi.startswith("10."):
            return None
        what = f"DOI {doi[:80]}"

        def parse(answer: Answer) -> Work:
            body = json_body(LABEL, what, answer)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, dict) or not isinstance(data.get("attributes"), dict):
                raise LookupFailed(f"{LABEL} {what}: unexpected response shape")
            return work_from_datacite(data["attributes"])

        return self.http.ask("/dois/" + quote(doi, safe=""), {}, what, parse)


def work_from_datacite(attributes: dict[str, Any]) -> Work:
    """A DataCite record's attributes as a Work."""
    titles = attributes.get("titles") if isinstance(attributes.get("titles"), list) else []
    title = next(
        (str(t.get("title")) for t in titles if isinstance(t, dict) and t.get("title")), ""
    )
    container = attributes.get("container") if isinstance(attributes.get("container"), dict) else {}
    types = attributes.get("types") if isinstance(attributes.get("types"), dict) else {}
    kind = str(types.get("resourceTypeGeneral") or "").lower()
    year = str(attributes.get("publicationYear") or "")
    related = (
        attributes.get("relatedIdentifiers")
        if isinstance(attributes.get("relatedIdentifiers"), list)
        else []
    )
    published = tuple(
        Update("is-preprint-of", doi=str(r.get("relatedIdentifier")))
        for r in related
        if isinstance(r, dict)
        and r.get("relationType") == "IsPreviousVersionOf"
        and str(r.get("relatedIdentifierType")).upper() == "DOI"
    )
    return Work(
        doi=str(attributes.get("doi") or ""),
        title=" ".join(title.split()),
        authors=tuple(_creators(attributes.get("creators"))),
        container_title=str(container.get("title") or attributes.get("publisher") or ""),
        year=int(year) if year.isdigit() else None,
        volume=str(container.get("volume") or ""),
        issue=str(container.get("issue") or ""),
        type=_TYPES.get(kind, kind),
        relation=published if kind == "preprint" else (),
    )


def _creators(value: Any):
    for c in value if isinstance(value, list) else []:
        if not isinstance(c, dict):
            continue
        if c.get("familyName"):
            yield Author(str(c["familyName"]), str(c.get("givenName") or ""))
        elif c.get("name"):
            yield Author(str(c["name"]))
