"""Abstracts from the Europe PMC REST API, looked up by PMID or DOI (online, `--abstracts` only).

API: https://europepmc.org/RestfulWebService -- `search?query=...&resultType=core&format=json`
returns `resultList.result[]` with `abstractText` (HTML-ish markup) for records that have one.
The caller passes the requests.Session (normally the shared cached one) so caching, retries
and the user agent are decided in one place.
"""

from __future__ import annotations

import requests

from citecheck.evidence import plain_text
from citecheck.limits import Limits, active
from citecheck.model import Reference
from citecheck.safeload import JsonError, parse_json
from citecheck.sources import LookupFailed
from citecheck.sources.http import FetchFailed, cached, fetch, remember

SEARCH_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
LABEL = "abstract:europepmc"


def fetch_abstract(
    session: requests.Session,
    *,
    doi: str = "",
    pmid: str = "",
    limits: Limits | None = None,
    deadline: float | None = None,
    url: str = SEARCH_URL,
) -> tuple[str, str] | None:
    """(LABEL, abstract) for the record with this PMID (preferred) or DOI, or None.

    None means Europe PMC answered but has no such record or no abstract for it. Any
    failure to get an answer raises LookupFailed. The request is bounded like every other
    (http.fetch: size cap, total deadline); only an answer that parsed is cached.
    """
    doi, pmid = doi.strip(), pmid.strip()
    if pmid:
        query = f"EXT_ID:{pmid} AND SRC:MED"
    elif doi:
        query = f'DOI:"{doi}"'
    else:
        return None
    params = {"query": query, "resultType": "core", "format": "json", "pageSize": "5"}
    bounds = limits if limits is not None else active()
    deadline = deadline if deadline is not None else bounds.deadline
    answer = cached(session, url, params)
    if answer is None:
        try:
            answer = fetch(session, url, params, limits=bounds, deadline=deadline)
        except FetchFailed as error:
            raise LookupFailed(f"Europe PMC: {error.reason}") from None
    if answer.status != 200:
        raise LookupFailed(f"Europe PMC answered HTTP {answer.status} for {query}")
    try:
        results = parse_json(answer.body, max_depth=bounds.max_depth)["resultList"]["result"]
    except (JsonError, KeyError, TypeError) as error:
        raise LookupFailed(f"Europe PMC sent an unexpected body for {query}") from error
    if not isinstance(results, list):
        raise LookupFailed(f"Europe PMC sent an unexpected body for {query}")
    remember(session, url, params, answer)
    for record in results:
        if not isinstance(record, dict):
            continue
        # The search is a query, not a lookup: keep only the record that is this work.
        same = (pmid and str(record.get("pmid", "")) == pmid) or (
            not pmid and str(record.get("doi", "")).lower() == doi.lower()
        )
        text = plain_text(str(record.get("abstractText") or ""))
        if same and text:
            return LABEL, text
    return None


def abstract_for(
    ref: Reference,
    session: requests.Session,
    *,
    limits: Limits | None = None,
    deadline: float | None = None,
) -> tuple[str, str] | None:
    """The Europe PMC abstract of a reference, by its PMID or DOI; None without either."""
    return fetch_abstract(session, doi=ref.doi, pmid=ref.pmid, limits=limits, deadline=deadline)
