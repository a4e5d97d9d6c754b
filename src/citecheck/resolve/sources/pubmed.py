"""PubMed through NCBI's E-utilities: ECitMatch, ESearch and EFetch, within NCBI's limits.

Docs: https://www.ncbi.nlm.nih.gov/books/NBK25497/ and NBK25499. NCBI allows 3 requests/s
per client, 10/s with an API key (`NCBI_API_KEY`), asks for `tool` and `email` on every
request, and takes up to 200 ids per GET. ECitMatch ("journal|year|volume|first page|author|key|")
is the exact fit for Vancouver entries, which often carry no DOI: it answers a PMID or
NOT_FOUND. Records come from EFetch XML (retmode=xml), which also carries the PMCID, the
DOI, publication types ("Retracted Publication") and CommentsCorrections (RetractionIn,
ErratumIn, ExpressionOfConcernIn): PubMed's own retraction and correction notices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import requests

from citecheck.model import Author, Reference, Update, Work
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer
from citecheck.resolve.sources.polite import (
    ServiceClient,
    ServiceLimits,
    ServiceSource,
    json_body,
    xml_root,
)

BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
URL_ENV = "CITECHECK_PUBMED_URL"
KEY_ENV = "NCBI_API_KEY"
NAME = "pubmed"
LABEL = "PubMed"
TOOL = "citecheck"
# NCBI: "no more than 3 requests per second", 10 with an API key; ids per GET up to 200.
LIMITS = ServiceLimits(rate=3.0, concurrency=3)
KEYED_LIMITS = ServiceLimits(rate=10.0, concurrency=3)
MAX_IDS = 200
# Citations per ECitMatch GET: 20 lines of ~80 characters keep the URL near 2 kB (a long GET
# is answered 414 Request-URI Too Long, as recorded from NCBI's front end).
CITMATCH_BATCH = 20
SEARCH_ROWS = 5

# PublicationType / CommentsCorrections RefType -> (update kind, this work is the notice?)
_NOTICE_TYPES = {
    "retracted publication": ("retraction", False),
    "retraction of publication": ("retraction", True),
    "expression of concern": ("expression_of_concern", True),
    "published erratum": ("correction", True),
}
_NOTICE_REFS = {
    "RetractionIn": ("retraction", False),
    "RetractionOf": ("retraction", True),
    "ErratumIn": ("correction", False),
    "ErratumFor": ("correction", True),
    "ExpressionOfConcernIn": ("expression_of_concern", False),
    "ExpressionOfConcernFor": ("expression_of_concern", True),
}
_PMID = re.compile(r"^\d{1,9}$")


class PubMedClient(ServiceSource):
    """PubMed records by PMID, DOI, citation (ECitMatch) and title search."""

    name = NAME

    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        session: requests.Session | None = None,
        api_key: str = "",
        email: str = "",
        **options,
    ) -> None:
        limits = KEYED_LIMITS if api_key else LIMITS
        self.http = ServiceClient(LABEL, base_url, limits, session=session, **options)
        self._common = {"tool": TOOL, **({"email": email} if email else {})}
        if api_key:
            self._common["api_key"] = api_key
        # Answers of prefetch() for this client's run (ECitMatch line -> PMID, PMID -> record).
        self._matched: dict[str, str] = {}
        self._fetched: dict[str, Work | None] = {}

    # --- identifiers -------------------------------------------------------------------------

    def by_pmid(self, pmid: str) -> Work | None:
        """The PubMed record with this PMID, or None when PubMed has none."""
        pmid = pmid.strip()
        if not _PMID.match(pmid):
            return None
        if pmid in self._fetched:  # prefetched in a batch
            return self._fetched[pmid]
        found = self.fetch([pmid])
        return found[0] if found else None

    def by_doi(self, doi: str) -> Work | None:
        """The PubMed record carrying this DOI (ESearch field=aid), or None."""
        ids = self.esearch(doi.strip(), field="aid", rows=2)
        works = [w for w in self.fetch(ids) if w.doi.lower() == doi.strip().lower()]
        return works[0] if works else None

    def citmatch(self, ref: Reference) -> str:
        """ECitMatch: the PMID for journal|year|volume|first page|first author, or ""."""
        line = citation_line(ref)
        if not line:
            return ""
        if line in self._matched:  # prefetched in a batch
            return self._matched[line]
        return self._citmatch([line]).get(line, "")

    def prefetch(self, refs: Iterable[Reference]) -> None:
        """Ask for a whole reference list at once, in NCBI's batch sizes: ECitMatch for
        CITMATCH_BATCH citations a request, then EFetch for up to MAX_IDS PMIDs a request.
        A batch that fails is simply not remembered: those references are asked one by one."""
        refs = list(refs)
        lines = list(
            dict.fromkeys(line for ref in refs if not ref.pmid and (line := citation_line(ref)))
        )
        for start in range(0, len(lines), CITMATCH_BATCH):
            try:
                self._matched.update(self._citmatch(lines[start : start + CITMATCH_BATCH]))
            except LookupFailed:
                continue
        wanted = {ref.pmid.strip() for ref in refs if _PMID.match(ref.pmid.strip())}
        wanted |= {pmid for pmid in self._matched.values() if pmid}
        ids = sorted(wanted)
        for start in range(0, len(ids), MAX_IDS):
            batch = ids[start : start + MAX_IDS]
            try:
                works = {w.pmid: w for w in self.fetch(batch)}
            except LookupFailed:
                continue
            self._fetched.update({pmid: works.get(pmid) for pmid in batch})

    def _citmatch(self, lines: list[str]) -> dict[str, str]:
        """{citation line: PMID or ""} for up to CITMATCH_BATCH lines in one request."""
        keys = {f"c{i}": line for i, line in enumerate(lines)}
        bdata = "\r".join(f"{line}|{key}|" for key, line in keys.items())
        params = {"db": "pubmed", "retmode": "xml", "bdata": bdata, **self._common}

        def parse(answer: Answer) -> dict[str, str]:
            text = answer.body.decode("utf-8", "replace").strip()
            if text.lstrip().startswith("<"):
                raise LookupFailed(f"{LABEL} ECitMatch: an HTML or XML page, not citation lines")
            found: dict[str, str] = {}
            for row in text.splitlines():
                cells = row.split("|")
                if len(cells) >= 7 and cells[5] in keys:
                    pmid = cells[6].strip()
                    found[keys[cells[5]]] = pmid if _PMID.match(pmid) else ""
            if len(found) != len(keys):
                raise LookupFailed(f"{LABEL} ECitMatch: the answer lacks lines for some citations")
            return found

        return self.http.ask("/ecitmatch.cgi", params, "ECitMatch", parse, absent_on_404=False)

    def search(self, ref: Reference, rows: int = SEARCH_ROWS) -> list[Work]:
        """Candidates for an entry: ECitMatch first, else its title words in [ti]."""
        pmid = self.citmatch(ref) if ref.container else ""
        if pmid:  # by_pmid: a record prefetched in a batch costs no request
            return [w for w in [self.by_pmid(pmid)] if w is not None]
        words = re.findall(r"[^\W_]{3,}", ref.title)[:12]
        if len(words) < 3:
            return []
        term = " AND ".join(f"{w}[ti]" for w in words)
        return self.fetch(self.esearch(term, rows=rows))

    # --- E-utilities -------------------------------------------------------------------------

    def esearch(self, term: str, *, field: str = "", rows: int = SEARCH_ROWS) -> list[str]:
        """PMIDs for a query (ESearch, JSON)."""
        params = {"db": "pubmed", "retmode": "json", "retmax": str(rows), "term": term}
        if field:
            params["field"] = field
        params.update(self._common)

        def parse(answer: Answer) -> list[str]:
            body = json_body(LABEL, "ESearch", answer)
            result = body.get("esearchresult") if isinstance(body, dict) else None
            ids = result.get("idlist") if isinstance(result, dict) else None
            if not isinstance(ids, list):
                if isinstance(result, dict) and result.get("ERROR"):
                    raise LookupFailed(f"{LABEL} ESearch: {str(result['ERROR'])[:160]}")
                raise LookupFailed(f"{LABEL} ESearch: unexpected response shape")
            return [str(i) for i in ids if _PMID.match(str(i))]

        return self.http.ask("/esearch.fcgi", params, "ESearch", parse, absent_on_404=False)

    def fetch(self, pmids: Iterable[str]) -> list[Work]:
        """Records for up to MAX_IDS PMIDs per request (EFetch XML), in PubMed's order."""
        ids = [p for p in dict.fromkeys(pmids) if _PMID.match(p)]
        works: list[Work] = []
        for start in range(0, len(ids), MAX_IDS):
            batch = ids[start : start + MAX_IDS]
            params = {"db": "pubmed", "retmode": "xml", "id": ",".join(batch), **self._common}
            works += self.http.ask(
                "/efetch.fcgi", params, f"EFetch {batch[0]}", _parse_efetch, absent_on_404=False
            )
        return works


def citation_line(ref: Reference) -> str:
    """journal|year|volume|first page|author for ECitMatch, or "" when a part is missing."""
    first_page = re.split(r"[-–]", ref.pages or ref.article_number or "")[0].strip()
    if not (ref.container and ref.year and ref.volume and first_page):
        return ""
    author = f"{ref.authors[0].family} {ref.authors[0].initials}".strip() if ref.authors else ""
    return "|".join(
        _plain(x) for x in (ref.container, str(ref.year), ref.volume, first_page, author)
    )


def _parse_efetch(answer: Answer) -> list[Work]:
    root = xml_root(LABEL, "EFetch", answer)
    if root.tag == "PubmedArticle":  # a single record cut from a set
        return [work_from_article(root)]
    if root.tag != "PubmedArticleSet":
        error = root.findtext(".//ERROR") or root.tag
        raise LookupFailed(f"{LABEL} EFetch: unexpected answer ({error[:120]})")
    return [work_from_article(a) for a in root.findall("PubmedArticle")]


def work_from_article(article) -> Work:
    """One <PubmedArticle> as a Work, notices included (tolerant of absent elements)."""
    citation = article.find("MedlineCitation")
    art = citation.find("Article") if citation is not None else None
    if art is None:
        return Work()
    journal = art.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    ids = {
        (e.get("IdType") or "").lower(): (e.text or "").strip()
        for e in article.iterfind("PubmedData/ArticleIdList/ArticleId")
    }
    doi = ids.get("doi") or next(
        (
            (e.text or "").strip()
            for e in art.iterfind("ELocationID")
            if (e.get("EIdType") or "").lower() == "doi"
        ),
        "",
    )
    pages = _text(art, "Pagination/MedlinePgn")
    pmid = _text(citation, "PMID")
    updated_by, update_to = _notices(citation, art, pmid)
    types = [
        (_text(t, ".") or "").lower() for t in art.iterfind("PublicationTypeList/PublicationType")
    ]
    return Work(
        doi=doi,
        title=_text(art, "ArticleTitle").rstrip("."),
        authors=tuple(_authors(art)),
        container_title=_text(journal, "Title") if journal is not None else "",
        short_container_title=(_text(journal, "ISOAbbreviation") if journal is not None else "")
        or _text(citation, "MedlineJournalInfo/MedlineTA"),
        year=_year(issue),
        volume=_text(issue, "Volume") if issue is not None else "",
        issue=_text(issue, "Issue") if issue is not None else "",
        page=pages if "-" in pages or not pages.isalnum() else "",
        article_number=pages if pages.isalnum() else "",
        type="posted-content" if "preprint" in types else "journal-article",
        updated_by=updated_by,
        update_to=update_to,
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
    )


def _notices(citation, art, pmid: str) -> tuple[tuple[Update, ...], tuple[Update, ...]]:
    by: list[Update] = []
    to: list[Update] = []
    for kind_el in art.iterfind("PublicationTypeList/PublicationType"):
        found = _NOTICE_TYPES.get((kind_el.text or "").strip().lower())
        if found:
            kind, notice = found
            (to if notice else by).append(Update(kind, label=f"PubMed: {kind_el.text.strip()}"))
    for comment in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        found = _NOTICE_REFS.get(comment.get("RefType") or "")
        if not found:
            continue
        kind, notice = found
        other = _text(comment, "PMID")
        label = (
            f"PubMed {comment.get('RefType')}: PMID {other}"
            if other
            else (f"PubMed {comment.get('RefType')}: {_text(comment, 'RefSource')[:80]}")
        )
        (to if notice else by).append(Update(kind, label=label))
    return tuple(by), tuple(to)


def _authors(art) -> Iterable[Author]:
    for author in art.iterfind("AuthorList/Author"):
        family = _text(author, "LastName")
        if family:
            yield Author(family, _text(author, "ForeName") or _text(author, "Initials"))
        elif _text(author, "CollectiveName"):
            yield Author(_text(author, "CollectiveName"))


def _year(issue) -> int | None:
    if issue is None:
        return None
    text = _text(issue, "PubDate/Year") or _text(issue, "PubDate/MedlineDate")
    found = re.search(r"\b(1[6-9]\d\d|20\d\d)\b", text)
    return int(found.group(1)) if found else None


def _text(element, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path) if path != "." else element
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _plain(text: str) -> str:
    """A bdata cell: no bars, no line breaks (they separate cells and citations)."""
    return " ".join(text.replace("|", " ").split())
