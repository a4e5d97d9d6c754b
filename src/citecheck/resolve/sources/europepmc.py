"""Abstracts from the Europe PMC REST API, looked up by PMID or DOI (online, `--abstracts` only).

API: https://europepmc.org/RestfulWebService -- `search?query=...&resultType=core&format=json`
returns `resultList.result[]` with `abstractText` (HTML-ish markup) for records that have one.
The caller passes the requests.Session (normally the shared cached one) so caching, retries
and the user agent are decided in one place.
"""

from __future__ import annotations

import requests

from citecheck.claims.evidence import plain_text
from citecheck.limits import Limits, active
from citecheck.model import Reference
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import FetchFailed, cached, fetch, remember
from citecheck.safeload import JsonError, parse_json

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
    pmid = pmid if pmid.isdigit() else ""  # a PMID is digits; anything else is not one
    if pmid:
        query = f"EXT_ID:{pmid} AND SRC:MED"
    elif doi:  # a quote or backslash would end the phrase and change the query
        query = 'DOI:"' + doi.replace('"', "").replace("\\", "") + '"'
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


# --- claim-support evidence: base URL, open-access full text (issue 9) ----------------------

BASE_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
URL_ENV = "CITECHECK_EUROPEPMC_URL"
# Sections whose sentences report what the work found; methods and introduction do not.
_FINDING_SECTIONS = ("results", "discussion", "conclusion")


def fetch_fulltext_sections(
    session: requests.Session, pmcid: str, *, base_url: str = BASE_URL, timeout: float = 20.0
) -> tuple[dict[str, list[str]], str] | None:
    """({section: [paragraph text, ...]}, licence URL) of the results and discussion of an
    open-access PMC article, from `{base_url}/{PMCID}/fullTextXML`; None when Europe PMC has
    no full text for it (404). Any failure to get an answer raises LookupFailed."""
    pmcid = pmcid.strip().upper()
    if not pmcid:
        return None
    if not pmcid.startswith("PMC"):
        pmcid = "PMC" + pmcid
    url = f"{base_url.rstrip('/')}/{pmcid}/fullTextXML"
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as error:
        raise LookupFailed(f"Europe PMC: {error}") from error
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise LookupFailed(f"Europe PMC answered HTTP {response.status_code} for {pmcid}")
    return _finding_sections(response.content, pmcid)


def _finding_sections(xml: bytes, pmcid: str) -> tuple[dict[str, list[str]], str]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise LookupFailed(f"Europe PMC sent unreadable full text for {pmcid}") from error
    licence = ""
    for element in root.iter("license"):
        licence = (
            next((v for k, v in element.attrib.items() if k.endswith("href")), "")
            or " ".join("".join(element.itertext()).split())[:200]
        )
        break
    sections: dict[str, list[str]] = {}
    body = root.find("body")
    for sec in body.findall("sec") if body is not None else ():
        kind = _section_kind(sec)
        if not kind:
            continue
        for paragraph in sec.iter("p"):
            text = plain_text(" ".join("".join(paragraph.itertext()).split()))
            if text:
                sections.setdefault(kind, []).append(text)
    return sections, licence


def _section_kind(sec) -> str:
    """ "results", "discussion" or "conclusion" from a top-level section's type or title."""
    title = sec.find("title")
    words = f"{sec.get('sec-type', '')} {''.join(title.itertext()) if title is not None else ''}"
    words = words.lower()
    if "method" in words:
        return ""  # "Results and methods" style headings: not only findings
    return next((kind for kind in _FINDING_SECTIONS if kind in words), "")
