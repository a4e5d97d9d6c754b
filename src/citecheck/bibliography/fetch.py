"""`citecheck bib fetch`: a BibTeX entry built from a metadata record, for one identifier or title.

The query says what it is (DOI, PMID, PMCID, arXiv id) or else is a title. Identifiers are
asked of the sources that hold them, in order, until one has the record; a title is searched
and the hits whose titles are the query (near-identically) are the candidates: one is
written as BibTeX, several are listed for the user to choose from, never chosen for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from citecheck.messages import Said, say
from citecheck.model import Location, Reference, Work
from citecheck.resolve.sources import LookupFailed

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.IGNORECASE)
_PMCID = re.compile(r"^(?:pmcid:?\s*)?pmc\s*(\d{1,9})$", re.IGNORECASE)
_ARXIV = re.compile(
    r"^(?:arxiv:\s*|https?://arxiv\.org/abs/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$",
    re.IGNORECASE,
)
# A title hit is a candidate when its title is the query's, near enough (case, punctuation).
TITLE_SIMILARITY = 92.0
_KIND_BY_TYPE = {
    "journal-article": "article",
    "article": "article",
    "posted-content": "misc",
    "preprint": "misc",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "book-chapter": "incollection",
    "proceedings-article": "inproceedings",
    "dissertation": "phdthesis",
    "report": "techreport",
    "dataset": "misc",
}


@dataclass(frozen=True)
class Query:
    kind: str  # "doi", "pmid", "pmcid", "arxiv" or "title"
    value: str


@dataclass(frozen=True)
class Fetched:
    """What the sources said: one record (`works` of one), several candidates, or none."""

    query: Query
    works: tuple[tuple[Work, str], ...]  # (record, source name)
    asked: tuple[str, ...]
    failed: tuple[str, ...] = ()  # sources that could not answer, with why


class FetchError(Said, Exception):
    """Nothing could be fetched: bad query, or no source could be asked. One line for the CLI,
    in English (`str`) or in another language (`said`)."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(say(key, "en", **values))


def parse_query(text: str) -> Query:
    """What the user typed: an identifier by its shape, else a title."""
    text = " ".join(text.split())
    if not text:
        raise FetchError("fetch.empty")
    for kind, pattern in (("doi", _DOI), ("pmcid", _PMCID), ("arxiv", _ARXIV), ("pmid", _PMID)):
        m = pattern.match(text)
        if m:
            value = m.group(1)
            return Query(kind, "PMC" + value if kind == "pmcid" else value)
    if len(text) < 10:
        raise FetchError("fetch.not_a_query", text=repr(text))
    return Query("title", text)


def fetch(query: Query, clients: dict[str, object]) -> Fetched:
    """Ask the clients (sources.multi names: crossref, pubmed, europepmc, openalex,
    datacite) that can answer this kind of query."""
    if query.kind == "title":
        return _by_title(query, clients)
    asked, failed = [], []
    for name, ask in _identifier_askers(query):
        client = clients.get(name)
        if client is None:
            continue
        asked.append(name)
        try:
            work = ask(client)
        except LookupFailed as error:
            failed.append(f"{name}: {error}")
            continue
        if work is not None:
            return Fetched(query, ((work, name),), tuple(asked), tuple(failed))
    return Fetched(query, (), tuple(asked), tuple(failed))


def _identifier_askers(query: Query) -> list[tuple[str, Callable[[object], Work | None]]]:
    v = query.value
    if query.kind == "doi":
        return [
            ("crossref", lambda c: c.work(v)),
            ("datacite", lambda c: c.by_doi(v)),
            ("openalex", lambda c: c.by_doi(v)),
            ("europepmc", lambda c: c.by_doi(v)),
        ]
    if query.kind == "pmid":
        return [
            ("pubmed", lambda c: c.by_pmid(v)),
            ("europepmc", lambda c: c.by_pmid(v)),
            ("openalex", lambda c: c.by_pmid(v)),
        ]
    if query.kind == "pmcid":
        return [("europepmc", lambda c: c.by_pmcid(v))]
    # arXiv registers its DOIs (10.48550/arXiv.<id>) with DataCite.
    doi = "10.48550/arXiv." + re.sub(r"v\d+$", "", v)
    return [("datacite", lambda c: c.by_doi(doi)), ("openalex", lambda c: c.by_doi(doi))]


def _by_title(query: Query, clients: dict[str, object]) -> Fetched:
    from rapidfuzz import fuzz

    from citecheck.normalize import squash

    asked, failed, hits = [], [], []
    probe = Reference(key="", raw=query.value, location=Location("<query>"), title=query.value)
    for name in ("crossref", "openalex", "europepmc"):
        client = clients.get(name)
        if client is None:
            continue
        asked.append(name)
        try:
            if name == "crossref":
                found = [w for w, _score in client.search(query.value, rows=10)]
            else:
                found = list(client.search(probe))
        except LookupFailed as error:
            failed.append(f"{name}: {error}")
            continue
        hits += [(w, name) for w in found if w.title]
        if hits:
            break  # the first source that answers decides; others would only repeat it
    wanted = squash(query.value)
    close = [
        (w, name) for w, name in hits if fuzz.ratio(squash(w.title), wanted) >= TITLE_SIMILARITY
    ]
    unique: dict[str, tuple[Work, str]] = {}
    for w, name in close:
        unique.setdefault((w.doi or w.pmid or w.title).lower(), (w, name))
    return Fetched(query, tuple(unique.values()), tuple(asked), tuple(failed))


def to_reference(work: Work, query: Query) -> Reference:
    """A Reference holding the record's fields, keyed like `refs extract` keys entries."""
    from citecheck.references.refparse import make_key

    ref = Reference(
        key="",
        raw="",
        location=Location("<fetch>"),
        kind=_KIND_BY_TYPE.get(work.type, "article" if work.container_title else "misc"),
        authors=work.authors,
        et_al=not work.authors_complete,
        title=work.title,
        container=work.container_title or work.short_container_title,
        year=work.year,
        volume=work.volume,
        issue=work.issue,
        pages=work.page,
        article_number=work.article_number if not work.page else "",
        doi=work.doi,
        pmid=work.pmid,
        pmcid=work.pmcid,
        arxiv=query.value if query.kind == "arxiv" else "",
    )
    return replace(ref, key=make_key(ref, frozenset()))


def bibtex(fetched: Fetched, now: datetime | None = None, lang: str = "en") -> str:
    """The one record as BibTeX, after a comment (in `lang`) naming the source and the date."""
    from citecheck.bibliography.bib import references_to_bibtex

    ((work, source),) = fetched.works
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    q = fetched.query
    comment = say("fetch.comment", lang, kind=q.kind, value=q.value, source=source, when=when)
    comment += "\n"
    return comment + references_to_bibtex([to_reference(work, q)])


def candidates(fetched: Fetched, lang: str = "en") -> str:
    """Several works match a title: one line each, to choose from and fetch by identifier."""
    lines = [say("fetch.candidates", lang, count=len(fetched.works))]
    no_year = say("fetch.no_year", lang)
    for work, source in fetched.works:
        first = work.authors[0].family if work.authors else "?"
        ident = f"doi:{work.doi}" if work.doi else f"pmid:{work.pmid}" if work.pmid else source
        venue = work.container_title or work.short_container_title or work.type
        lines.append(f"  {ident}  {first} ({work.year or no_year}) {work.title}. {venue}")
    return "\n".join(lines) + "\n"


def fetch_online(text: str, network) -> Fetched:
    """parse_query + fetch on one HTTP session with the chosen sources (workflow's
    NetworkOptions); FetchError when offline or when every source failed to answer."""
    from citecheck.resolve.sources.crossref import CrossrefClient
    from citecheck.resolve.sources.multi import open_sources
    from citecheck.workflow import open_session

    query = parse_query(text)
    if not network.online:
        raise FetchError("fetch.offline")
    session = open_session(network)
    crossref = CrossrefClient(
        base_url=network.api_url, mailto=network.mailto or None, session=session
    )
    sources = open_sources(network, session, crossref)
    try:
        fetched = fetch(query, sources.clients)
    finally:
        sources.close()
    if not fetched.asked:
        raise FetchError("fetch.no_source_holds", kind=query.kind)
    if not fetched.works and len(fetched.failed) == len(fetched.asked):
        raise FetchError("fetch.none_asked", failed="; ".join(fetched.failed))
    return fetched
