"""Abstracts from the Europe PMC REST API, looked up by PMID or DOI (online, `--abstracts` only).

API: https://europepmc.org/RestfulWebService -- `search?query=...&resultType=core&format=json`
returns `resultList.result[]` with `abstractText` (HTML-ish markup) for records that have one.
The caller passes the requests.Session (normally the shared cached one) so caching, retries
and the user agent are decided in one place.
"""

from __future__ import annotations

import requests

from citecheck.evidence import plain_text
from citecheck.model import Reference
from citecheck.sources import LookupFailed

SEARCH_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
LABEL = "abstract:europepmc"


def fetch_abstract(
    session: requests.Session,
    *,
    doi: str = "",
    pmid: str = "",
    timeout: float = 20.0,
    url: str = SEARCH_URL,
) -> tuple[str, str] | None:
    """(LABEL, abstract) for the record with this PMID (preferred) or DOI, or None.

    None means Europe PMC answered but has no such record or no abstract for it. Any
    failure to get an answer raises LookupFailed.
    """
    doi, pmid = doi.strip(), pmid.strip()
    if pmid:
        query = f"EXT_ID:{pmid} AND SRC:MED"
    elif doi:
        query = f'DOI:"{doi}"'
    else:
        return None
    params = {"query": query, "resultType": "core", "format": "json", "pageSize": "5"}
    try:
        response = session.get(url, params=params, timeout=timeout)
    except requests.RequestException as error:
        raise LookupFailed(f"Europe PMC: {error}") from error
    if response.status_code != 200:
        raise LookupFailed(f"Europe PMC answered HTTP {response.status_code} for {query}")
    try:
        results = response.json()["resultList"]["result"]
    except (ValueError, KeyError, TypeError) as error:
        raise LookupFailed(f"Europe PMC sent an unexpected body for {query}") from error
    for record in results if isinstance(results, list) else []:
        # The search is a query, not a lookup: keep only the record that is this work.
        same = (pmid and str(record.get("pmid", "")) == pmid) or (
            not pmid and str(record.get("doi", "")).lower() == doi.lower()
        )
        text = plain_text(str(record.get("abstractText") or ""))
        if same and text:
            return LABEL, text
    return None


def abstract_for(
    ref: Reference, session: requests.Session, *, timeout: float = 20.0
) -> tuple[str, str] | None:
    """The Europe PMC abstract of a reference, by its PMID or DOI; None without either."""
    return fetch_abstract(session, doi=ref.doi, pmid=ref.pmid, timeout=timeout)
