"""Ask every chosen source about a reference, side by side, and turn the answers into a verdict.

Each source has its own thread pool (sized to what it tolerates in flight) and its own rate
limiter, so PubMed's 3 requests/s never slows OpenAlex's 10: a reference's questions go to
all its sources at once and the run takes as long as the slowest source needs for its
share. Each source asks only what it can answer: records by the entry's identifiers (DOI,
PMID, PMCID), else candidates by title (PubMed: ECitMatch first). The verdict is
identity.decide's; this module only gathers.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from citecheck.model import Reference, Resolution, Verdict, Work
from citecheck.resolve.match import MIN_RELEVANCE_PER_CHAR, SEARCH_ROWS, score_candidate, utc_now
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.identity import (
    ABSENT,
    CONFLICT,
    FAILED,
    UNDETERMINED,
    Lookup,
    decide,
)

# Every source citecheck can ask, in the order `--sources` lists them by default.
ALL_SOURCES = ("crossref", "pubmed", "europepmc", "openalex", "datacite")


@dataclass
class Sources:
    """The clients of one run, by name (only the chosen ones); `agency` is the doi.org client."""

    clients: dict[str, object]
    agency: object | None = None
    on_request: Callable[[str], None] | None = None  # progress: one source finished one reference
    pools: dict[str, ThreadPoolExecutor] = field(default_factory=dict)
    workers: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, client in self.clients.items():
            self.workers[name] = max(1, int(getattr(client, "concurrency", 1)))
            self.pools[name] = ThreadPoolExecutor(
                self.workers[name], thread_name_prefix=f"citecheck-{name}"
            )

    @property
    def concurrency(self) -> int:
        """How many references to keep in flight so that every source's pool stays busy."""
        return max(2, 2 * max(self.workers.values(), default=1))

    def prefetch(self, refs: list[Reference]) -> None:
        """Let sources that can answer a whole list in batches (PubMed) do so first."""
        for client in self.clients.values():
            if hasattr(client, "prefetch"):
                client.prefetch(refs)

    def close(self) -> None:
        for pool in self.pools.values():
            pool.shutdown(wait=False, cancel_futures=True)


def resolve_everywhere(ref: Reference, sources: Sources, *, now=utc_now) -> Resolution:
    """One reference asked of every source at once; the Resolution carries the Identity."""
    agency_future: Future | None = None
    futures: dict[str, Future[Lookup]] = {}
    for name, client in sources.clients.items():
        if name == "datacite":
            continue  # asked only for DOIs doi.org says DataCite holds, below
        futures[name] = sources.pools[name].submit(_guarded, name, _ASK[name], client, ref, sources)
    agency = ""
    if ref.doi and sources.agency is not None:
        try:
            agency = sources.agency.agency(ref.doi)
        except LookupFailed:
            agency = ""
    if agency == "datacite" and "datacite" in sources.clients:
        agency_future = sources.pools["datacite"].submit(
            _guarded, "datacite", _ask_datacite, sources.clients["datacite"], ref, sources
        )
    lookups = [f.result() for f in futures.values()]
    if agency_future is not None:
        lookups.append(agency_future.result())
    decision = decide(ref, lookups, agency)
    identity = decision.identity
    base = Resolution(
        Verdict.NOT_FOUND,
        query=ref.raw,
        source=identity.matched_by or "sources",
        retrieved=now(),
        identity=identity,
        detail=identity.reason,
    )
    if decision.work is not None:
        return _with(
            base, Verdict.MATCHED, decision.work, round(score_candidate(ref, decision.work), 3)
        )
    if identity.verdict == UNDETERMINED and any(lk.status == FAILED for lk in lookups):
        return _with(base, Verdict.LOOKUP_FAILED)
    if identity.verdict == CONFLICT:
        return _with(base, Verdict.NOT_FOUND)
    return base


def _with(
    base: Resolution, verdict: Verdict, work: Work | None = None, score: float = 0.0
) -> Resolution:
    from dataclasses import replace

    return replace(base, verdict=verdict, work=work, score=score)


def _guarded(name: str, ask, client, ref: Reference, sources: Sources) -> Lookup:
    try:
        return ask(client, ref)
    except LookupFailed as error:
        return Lookup(name, FAILED, detail=str(error) or type(error).__name__)
    except Exception as error:  # noqa: BLE001 - a crash is this source's failure, not the run's
        return Lookup(name, FAILED, detail=" ".join(f"{type(error).__name__}: {error}".split()))
    finally:
        if sources.on_request is not None:
            sources.on_request(name)


def _wanted(ref: Reference, found: list[Work | None]) -> bool:
    """Search by title only when no identifier gave this source a record."""
    return not any(found)


def _ask_crossref(client, ref: Reference) -> Lookup:
    by_doi = client.work(ref.doi) if ref.doi else None
    candidates: tuple[Work, ...] = ()
    if _wanted(ref, [by_doi]) and ref.raw.strip():
        floor = MIN_RELEVANCE_PER_CHAR * len(ref.raw)
        hits = client.search(ref.raw, rows=SEARCH_ROWS)
        candidates = tuple(w for w, relevance in hits if relevance >= floor)
    return Lookup("crossref-api", ABSENT, by_doi=by_doi, candidates=candidates)


def _ask_pubmed(client, ref: Reference) -> Lookup:
    by_pmid = client.by_pmid(ref.pmid) if ref.pmid else None
    candidates = tuple(client.search(ref)) if _wanted(ref, [by_pmid]) else ()
    return Lookup("pubmed", ABSENT, by_pmid=by_pmid, candidates=candidates)


def _ask_europepmc(client, ref: Reference) -> Lookup:
    by_pmcid = client.by_pmcid(ref.pmcid) if ref.pmcid else None
    by_doi = client.by_doi(ref.doi) if ref.doi else None
    candidates = tuple(client.search(ref)) if _wanted(ref, [by_pmcid, by_doi]) else ()
    return Lookup("europepmc", ABSENT, by_doi=by_doi, by_pmcid=by_pmcid, candidates=candidates)


def _ask_openalex(client, ref: Reference) -> Lookup:
    by_doi = client.by_doi(ref.doi) if ref.doi else None
    by_pmid = client.by_pmid(ref.pmid) if ref.pmid and by_doi is None else None
    candidates = tuple(client.search(ref)) if _wanted(ref, [by_doi, by_pmid]) else ()
    return Lookup("openalex", ABSENT, by_doi=by_doi, by_pmid=by_pmid, candidates=candidates)


def _ask_datacite(client, ref: Reference) -> Lookup:
    return Lookup("datacite", ABSENT, by_doi=client.by_doi(ref.doi))


_ASK = {
    "crossref": _ask_crossref,
    "pubmed": _ask_pubmed,
    "europepmc": _ask_europepmc,
    "openalex": _ask_openalex,
    "datacite": _ask_datacite,
}


def parse_sources(text: str) -> tuple[str, ...]:
    """`crossref,pubmed` -> ("crossref", "pubmed"); ValueError naming an unknown source."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in ALL_SOURCES]
    if unknown or not names:
        raise ValueError(
            f"unknown source {', '.join(unknown) or '(none)'}; choose from {', '.join(ALL_SOURCES)}"
        )
    return names


def resolve_with_sources(
    refs, network, session, crossref=None, on_progress=None, on_request=None
) -> dict[int, Resolution]:
    """Every chosen source for each reference: PubMed in NCBI's batch sizes for all of them
    first (ECitMatch lines, then EFetch ids), then one resolution per reference."""
    from citecheck.resolve.resolver import resolve_all

    refs = list(refs)
    sources = open_sources(network, session, crossref, on_request)
    try:
        sources.prefetch(refs)
        return resolve_all(
            refs,
            lambda ref: resolve_everywhere(ref, sources),
            concurrency=sources.concurrency,
            on_progress=on_progress,
        )
    finally:
        sources.close()


def open_sources(network, session, crossref=None, on_request=None) -> Sources:
    """The chosen sources' clients for one run, on the one shared session (workflow's
    NetworkOptions: sources, base URLs, mailto, NCBI API key)."""
    from citecheck.resolve.sources.datacite import DataCiteClient
    from citecheck.resolve.sources.doi_agency import DoiAgencyClient
    from citecheck.resolve.sources.europepmc_search import EuropePMCClient
    from citecheck.resolve.sources.openalex import OpenAlexClient
    from citecheck.resolve.sources.pubmed import PubMedClient

    make = {
        "crossref": lambda: crossref,
        "pubmed": lambda: PubMedClient(
            base_url=network.pubmed_url,
            session=session,
            api_key=network.ncbi_api_key,
            email=network.mailto,
        ),
        "europepmc": lambda: EuropePMCClient(
            base_url=network.europepmc_url, session=session, email=network.mailto
        ),
        "openalex": lambda: OpenAlexClient(
            base_url=network.openalex_url, session=session, mailto=network.mailto
        ),
        "datacite": lambda: DataCiteClient(base_url=network.datacite_url, session=session),
    }
    clients = {name: make[name]() for name in network.sources if name in make}
    clients = {name: c for name, c in clients.items() if c is not None}
    agency = DoiAgencyClient(base_url=network.doi_url, session=session)
    return Sources(clients, agency, on_request)
