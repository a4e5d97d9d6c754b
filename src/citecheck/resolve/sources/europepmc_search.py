"""Europe PMC records by DOI, PMID, PMCID and title (the `search` endpoint, resultType=core).

Same service and base URL as europepmc.py (abstracts, full text); this module asks it who a
work is. Europe PMC indexes PubMed, PMC and preprint servers (bioRxiv, medRxiv, Research
Square...) and links a preprint to its published version (commentCorrectionList), so it
answers "was this preprint published?". No published hard limit: we keep to 5 requests/s.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from citecheck.model import Author, Reference, Update, Work
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.europepmc import (  # noqa: F401 - one base URL for both
    BASE_URL,
    URL_ENV,
)
from citecheck.resolve.sources.http import Answer
from citecheck.resolve.sources.polite import ServiceClient, ServiceLimits, ServiceSource, json_body

NAME = "europepmc"
LABEL = "Europe PMC"
LIMITS = ServiceLimits(rate=5.0, concurrency=3)
SEARCH_ROWS = 5
_NOTICE_TYPES = {  # commentCorrection "type" -> (update kind, this work is the notice?)
    "retraction in": ("retraction", False),
    "retraction of": ("retraction", True),
    "erratum in": ("correction", False),
    "erratum for": ("correction", True),
    "expression of concern in": ("expression_of_concern", False),
    "expression of concern for": ("expression_of_concern", True),
}
_PREPRINT_SOURCE = "PPR"


class EuropePMCClient(ServiceSource):
    """Europe PMC's search as a source of identity: one record per identifier, or candidates."""

    name = NAME

    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        session: requests.Session | None = None,
        email: str = "",
        **options,
    ) -> None:
        self.http = ServiceClient(LABEL, base_url, LIMITS, session=session, **options)
        self._common = {
            "format": "json",
            "resultType": "core",
            **({"email": email} if email else {}),
        }

    def by_doi(self, doi: str) -> Work | None:
        return self._one(f'DOI:"{_quoted(doi)}"', lambda w: w.doi.lower() == doi.strip().lower())

    def by_pmid(self, pmid: str) -> Work | None:
        pmid = pmid.strip()
        return (
            self._one(f"EXT_ID:{pmid} AND SRC:MED", lambda w: w.pmid == pmid)
            if pmid.isdigit()
            else None
        )

    def by_pmcid(self, pmcid: str) -> Work | None:
        pmcid = pmcid.strip().upper()
        if not re.fullmatch(r"PMC\d+", pmcid):
            return None
        return self._one(f"PMCID:{pmcid}", lambda w: w.pmcid.upper() == pmcid)

    def search(self, ref: Reference, rows: int = SEARCH_ROWS) -> list[Work]:
        """Candidates whose title has the entry's title words."""
        words = re.findall(r"[^\W_]{3,}", ref.title)[:12]
        if len(words) < 3:
            return []
        # Every word in the title, in any order (a phrase would fail on the short words left out).
        return self._query("TITLE:(" + " AND ".join(words) + ")", rows)

    def _one(self, query: str, same) -> Work | None:
        found = [w for w in self._query(query, 5) if same(w)]
        return found[0] if found else None

    def _query(self, query: str, rows: int) -> list[Work]:
        params = {"query": query, "pageSize": str(rows), **self._common}

        def parse(answer: Answer) -> list[Work]:
            body = json_body(LABEL, "search", answer)
            results = body.get("resultList", {}).get("result") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise LookupFailed(f"{LABEL} search: unexpected response shape")
            return [work_from_record(r) for r in results if isinstance(r, dict)]

        return self.http.ask(
            "/search", params, f"search {query[:60]!r}", parse, absent_on_404=False
        )


def work_from_record(record: dict[str, Any]) -> Work:
    """One core search result as a Work (tolerant: odd fields become empty)."""
    info = record.get("journalInfo") if isinstance(record.get("journalInfo"), dict) else {}
    journal = info.get("journal") if isinstance(info.get("journal"), dict) else {}
    authors = (
        (record.get("authorList") or {}).get("author")
        if isinstance(record.get("authorList"), dict)
        else []
    )
    types = [str(t).lower() for t in ((record.get("pubTypeList") or {}).get("pubType") or [])]
    pages = str(record.get("pageInfo") or "")
    preprint = record.get("source") == _PREPRINT_SOURCE or "preprint" in types
    by, to, relation = _comments(record)
    year = str(record.get("pubYear") or info.get("yearOfPublication") or "")
    return Work(
        doi=str(record.get("doi") or ""),
        title=" ".join(str(record.get("title") or "").split()).rstrip("."),
        authors=tuple(
            _author(a) for a in authors or [] if isinstance(a, dict) and _author(a).family
        ),
        container_title=str(journal.get("title") or ""),
        short_container_title=str(
            journal.get("isoabbreviation") or journal.get("medlineAbbreviation") or ""
        ),
        year=int(year) if year.isdigit() else None,
        volume=str(info.get("volume") or ""),
        issue=str(info.get("issue") or ""),
        page=pages if "-" in pages else "",
        article_number=pages if pages and "-" not in pages else "",
        type="posted-content" if preprint else "journal-article",
        updated_by=by,
        update_to=to,
        relation=relation,
        pmid=str(record.get("pmid") or ""),
        pmcid=str(record.get("pmcid") or ""),
    )


def _author(a: dict[str, Any]) -> Author:
    if a.get("lastName"):
        return Author(str(a["lastName"]), str(a.get("firstName") or a.get("initials") or ""))
    return Author(str(a.get("collectiveName") or a.get("fullName") or ""))


def _comments(
    record: dict[str, Any],
) -> tuple[tuple[Update, ...], tuple[Update, ...], tuple[Update, ...]]:
    listed = (record.get("commentCorrectionList") or {}).get("commentCorrection") or []
    by: list[Update] = []
    to: list[Update] = []
    relation: list[Update] = []
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type") or "").lower()
        label = (
            f"Europe PMC {item.get('type')}: {item.get('source', '')} {item.get('id', '')}".strip()
        )
        if kind in _NOTICE_TYPES:
            update, notice = _NOTICE_TYPES[kind]
            (to if notice else by).append(Update(update, label=label))
        elif "preprint" in kind:  # "Preprint of" (the journal article) / "Preprint in"
            doi = _doi_in(str(item.get("reference") or ""))
            relation.append(Update("is-preprint-of", doi=doi, label=label))
    return tuple(by), tuple(to), tuple(relation)


def _doi_in(text: str) -> str:
    found = re.search(r"\b(10\.\d{4,9}/\S+[^\s.,;])", text)
    return found.group(1) if found else ""


def _quoted(text: str) -> str:
    return text.replace('"', " ").strip()
