"""A local multi-source stand-in: Crossref, PubMed, Europe PMC, OpenAlex, DataCite and doi.org.

bench/fake_crossref.py's idea for every source of issue 10, on 127.0.0.1 only. One server
per service (its own port, under a path prefix: /crossref, /pubmed, /europepmc, /openalex,
/datacite, /doi) answers from a corpus of `Work` records, in the shapes of the real recorded
responses (../shared/data/sources: EFetch XML, ECitMatch lines, ESearch JSON, Europe PMC
core JSON, OpenAlex work JSON, DataCite JSON:API, doi.org /ra). Each service enforces its
published limits (requests per second over a sliding 1 s window, requests in flight) and
answers 429 with Retry-After beyond them; every answer takes `latency` seconds; a service
can be told to fail (`fail={"openalex": 503}`).

Run in its own process (as bench/identity.py does) so that the client's work never delays
the server's clock: `python bench/fake_sources.py SETUP.json` prints its base URL and serves
until stopped (one JSON line: service -> base URL); GET /_stats on any of them answers the
per-service counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from citecheck.model import Work
from citecheck.normalize import doi_key, words

# Published limits: requests per second and in flight (Crossref polite pool: 10/s single,
# 3/s searches, 3 concurrent; NCBI 3/s without key; OpenAlex 10/s; DataCite 3000/5 min).
LIMITS = {
    "crossref": (10, 3),
    "crossref-list": (3, 3),
    "pubmed": (3, 10),
    "europepmc": (10, 10),
    "openalex": (10, 10),
    "datacite": (10, 10),
    "doi": (10, 10),
}
SERVICES = ("crossref", "pubmed", "europepmc", "openalex", "datacite", "doi")
DATACITE_PREFIXES = ("10.5061", "10.6084", "10.5438")
OTHER_AGENCIES = {"10.1392": "mEDRA", "10.11367": "JaLC", "10.5012": "KISTI"}


@dataclass
class ServiceStats:
    requests: int = 0
    rejected: int = 0
    peak_in_flight: int = 0


@dataclass
class _Gate:
    rate: int
    concurrency: int
    arrivals: deque = field(default_factory=deque)
    in_flight: int = 0
    stats: ServiceStats = field(default_factory=ServiceStats)


class FakeSources:
    """The stand-in, as a context manager; `url(service)` is a service's base URL (own port)."""

    def __init__(
        self,
        corpus: list[Work],
        *,
        latency: float = 0.2,
        fail: dict[str, int] | None = None,
        retry_after: int = 1,
        lifetime: float = 900.0,
        preprints: dict[str, str] | None = None,
    ) -> None:
        self.corpus = corpus
        self.latency = latency
        self.fail = dict(fail or {})
        self.retry_after = retry_after
        self.preprints = dict(preprints or {})  # preprint DOI -> published DOI
        self._lock = threading.Lock()
        self.gates = {name: _Gate(rate, conc) for name, (rate, conc) in LIMITS.items()}
        # One server (port) per service, as the real services are separate hosts: each keeps
        # its own connections, so one source's traffic never delays another's arrivals.
        self._servers = {
            name: ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self)) for name in SERVICES
        }
        for server in self._servers.values():
            server.daemon_threads = True
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True) for s in self._servers.values()
        ]
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = threading.Event()

    def url(self, service: str) -> str:
        host, port = self._servers[service].server_address[:2]
        suffix = "/entrez/eutils" if service == "pubmed" else ""
        return f"http://{host}:{port}/{service}{suffix}"

    def urls(self) -> dict[str, str]:
        return {name: self.url(name) for name in SERVICES}

    @property
    def stats(self) -> dict[str, ServiceStats]:
        return {name: gate.stats for name, gate in self.gates.items()}

    def start(self) -> Self:
        for thread in self._threads:
            thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._timer.cancel()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def admit(self, name: str) -> bool:
        now = time.monotonic()
        gate = self.gates[name]
        with self._lock:
            gate.stats.requests += 1
            while gate.arrivals and gate.arrivals[0] <= now - 1.0:
                gate.arrivals.popleft()
            over = len(gate.arrivals) >= gate.rate or gate.in_flight >= gate.concurrency
            gate.arrivals.append(now)
            if over:
                gate.stats.rejected += 1
                return False
            gate.in_flight += 1
            gate.stats.peak_in_flight = max(gate.stats.peak_in_flight, gate.in_flight)
            return True

    def done(self, name: str) -> None:
        with self._lock:
            self.gates[name].in_flight -= 1

    # --- look-ups over the corpus --------------------------------------------------------------

    def by_doi(self, doi: str) -> Work | None:
        return next((w for w in self.corpus if w.doi and doi_key(w.doi) == doi_key(doi)), None)

    def by_pmid(self, pmid: str) -> Work | None:
        return next((w for w in self.corpus if w.pmid and w.pmid == pmid), None)

    def by_pmcid(self, pmcid: str) -> Work | None:
        return next((w for w in self.corpus if w.pmcid and w.pmcid.upper() == pmcid.upper()), None)

    def title_hits(self, text: str, share: float = 1.0) -> list[Work]:
        """Works whose title holds at least `share` of the query's words (3+ letters)."""
        asked = {w for w in words(text) if len(w) >= 3}
        hits = []
        for work in self.corpus:
            title = set(words(work.title))
            if asked and len(asked & title) >= share * len(asked):
                hits.append(work)
        return hits


# --- answers in each service's recorded shape ------------------------------------------------


def crossref_message(work: Work, preprint_of: str = "") -> dict:
    message = {
        "DOI": work.doi,
        "type": work.type or "journal-article",
        "title": [work.title],
        "author": [
            {"family": a.family, "given": a.given, "sequence": "additional"} for a in work.authors
        ],
        "container-title": [work.container_title] if work.container_title else [],
        "short-container-title": [work.short_container_title] if work.short_container_title else [],
        "issued": {"date-parts": [[work.year]]} if work.year else {"date-parts": [[None]]},
        "volume": work.volume,
        "issue": work.issue,
        "page": work.page,
        "article-number": work.article_number,
    }
    if preprint_of:
        message["relation"] = {
            "is-preprint-of": [{"id-type": "doi", "id": preprint_of, "asserted-by": "subject"}]
        }
    return {k: v for k, v in message.items() if v not in ("", [], None)}


def pubmed_article(work: Work) -> str:
    """One <PubmedArticle>, laid out like EFetch's (metapub/retractobot recordings)."""
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{escape(a.family)}</LastName><ForeName>{escape(a.given)}</ForeName></Author>'
        for a in work.authors
    )
    pages = work.page or work.article_number
    retracted = any("retract" in u.type for u in work.updated_by)
    types = '<PublicationType UI="D016428">Journal Article</PublicationType>'
    if retracted:
        types += '<PublicationType UI="D016441">Retracted Publication</PublicationType>'
    ids = f'<ArticleId IdType="pubmed">{work.pmid}</ArticleId>'
    if work.doi:
        ids += f'<ArticleId IdType="doi">{escape(work.doi)}</ArticleId>'
    if work.pmcid:
        ids += f'<ArticleId IdType="pmc">{escape(work.pmcid)}</ArticleId>'
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{work.pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>{escape(work.volume)}</Volume>'
        f"<Issue>{escape(work.issue)}</Issue><PubDate><Year>{work.year or ''}</Year></PubDate></JournalIssue>"
        f"<Title>{escape(work.container_title)}</Title><ISOAbbreviation>{escape(work.short_container_title)}</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(work.title)}.</ArticleTitle><Pagination><MedlinePgn>{escape(pages)}</MedlinePgn></Pagination>"
        f'<AuthorList CompleteYN="Y">{authors}</AuthorList><Language>eng</Language>'
        f"<PublicationTypeList>{types}</PublicationTypeList></Article></MedlineCitation>"
        f"<PubmedData><ArticleIdList>{ids}</ArticleIdList></PubmedData></PubmedArticle>"
    )


def europepmc_record(work: Work) -> dict:
    pages = work.page or work.article_number
    record = {
        "id": work.pmid or work.doi,
        "source": "MED" if work.pmid else "PPR",
        "pmid": work.pmid,
        "pmcid": work.pmcid,
        "doi": work.doi,
        "title": work.title + ".",
        "authorList": {
            "author": [
                {"fullName": f"{a.family} {a.given}", "firstName": a.given, "lastName": a.family}
                for a in work.authors
            ]
        },
        "journalInfo": {
            "issue": work.issue,
            "volume": work.volume,
            "yearOfPublication": work.year,
            "journal": {
                "title": work.container_title,
                "isoabbreviation": work.short_container_title,
            },
        },
        "pubYear": str(work.year or ""),
        "pageInfo": pages,
        "pubTypeList": {"pubType": ["Journal Article"]},
    }
    return {k: v for k, v in record.items() if v not in ("", None)}


def openalex_work(work: Work) -> dict:
    first, _, last = (work.page or work.article_number).partition("-")
    return {
        "id": f"https://openalex.org/W{abs(hash(work.doi or work.title)) % 10**10}",
        "doi": f"https://doi.org/{work.doi}" if work.doi else None,
        "title": work.title,
        "display_name": work.title,
        "publication_year": work.year,
        "ids": {
            **({"doi": f"https://doi.org/{work.doi}"} if work.doi else {}),
            **({"pmid": f"https://pubmed.ncbi.nlm.nih.gov/{work.pmid}"} if work.pmid else {}),
        },
        "primary_location": {"source": {"display_name": work.container_title}},
        "type": {"journal-article": "article", "posted-content": "preprint"}.get(
            work.type, work.type or "article"
        ),
        "authorships": [
            {
                "author_position": "middle",
                "author": {"display_name": f"{a.given} {a.family}".strip()},
            }
            for a in work.authors
        ],
        "biblio": {
            "volume": work.volume,
            "issue": work.issue,
            "first_page": first,
            "last_page": last or first,
        },
        "is_retracted": any("retract" in u.type for u in work.updated_by),
    }


def datacite_record(work: Work) -> dict:
    return {
        "data": {
            "id": work.doi,
            "type": "dois",
            "attributes": {
                "doi": work.doi,
                "titles": [{"title": work.title}],
                "creators": [
                    {"name": f"{a.family}, {a.given}", "givenName": a.given, "familyName": a.family}
                    for a in work.authors
                ],
                "publisher": work.container_title,
                "publicationYear": work.year,
                "types": {"resourceTypeGeneral": "Dataset" if work.type == "dataset" else "Text"},
                "container": {},
            },
        }
    }


def _handler_for(api: FakeSources) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/_stats":  # for the benchmark, not a service: never counted
                self._send(200, {k: vars(v) for k, v in api.stats.items()}, "json")
                return
            service, _, rest = parts.path.lstrip("/").partition("/")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            gate = service
            if service == "crossref" and rest == "works" and "query.bibliographic" in query:
                gate = "crossref-list"
            if gate not in api.gates:
                self._send(404, "no such service", "text/plain")
                return
            if not api.admit(gate):
                self._send(
                    429, "Too many requests", "text/plain", {"Retry-After": str(api.retry_after)}
                )
                return
            try:
                time.sleep(api.latency)
                if service in api.fail:
                    status, body, kind = api.fail[service], "Service unavailable", "text/plain"
                else:
                    status, body, kind = self._answer(service, "/" + rest, query)
            finally:
                api.done(gate)
            self._send(status, body, kind)

        def _answer(self, service: str, path: str, q: dict[str, str]):
            return getattr(self, "_" + service)(path, q)

        def _crossref(self, path: str, q):
            if path.startswith("/works/"):
                work = api.by_doi(unquote(path.removeprefix("/works/")))
                if work is None or work.doi.split("/")[0] in DATACITE_PREFIXES:
                    return 404, "Resource not found.", "text/plain"
                body = {
                    "status": "ok",
                    "message-type": "work",
                    "message": crossref_message(work, api.preprints.get(work.doi, "")),
                }
                return 200, body, "json"
            if path == "/works":
                text = q.get("query.bibliographic", "")
                items = []
                if text:
                    asked = set(words(text))
                    for work in api.corpus:
                        if work.doi.split("/")[0] in DATACITE_PREFIXES:
                            continue
                        title = set(words(work.title))
                        share = len(title & asked) / len(title) if title else 0.0
                        if share > 0.3:
                            items.append(
                                {
                                    **crossref_message(work, api.preprints.get(work.doi, "")),
                                    "score": round(len(text) * share, 1),
                                }
                            )
                items.sort(key=lambda i: -i["score"])
                items = items[: int(q.get("rows", "5"))]
                message = {
                    "total-results": len(items),
                    "items": items,
                    "items-per-page": len(items),
                }
                return (
                    200,
                    {"status": "ok", "message-type": "work-list", "message": message},
                    "json",
                )
            return 404, "Resource not found.", "text/plain"

        def _pubmed(self, path: str, q):
            if path.endswith("/ecitmatch.cgi"):
                lines = []
                for line in q.get("bdata", "").split("\r"):
                    cells = line.split("|")
                    if len(cells) < 6:
                        continue
                    journal, year, volume, page, author, key = cells[:6]
                    found = next(
                        (
                            w
                            for w in api.corpus
                            if w.pmid
                            and str(w.year) == year
                            and w.volume == volume
                            and re.split(r"[-–]", w.page or w.article_number)[0] == page
                            and journal.lower()
                            in (w.short_container_title.lower(), w.container_title.lower())
                        ),
                        None,
                    )
                    lines.append(
                        "|".join(
                            [
                                journal,
                                year,
                                volume,
                                page,
                                author,
                                key,
                                found.pmid if found else "NOT_FOUND",
                            ]
                        )
                    )
                return 200, "\n".join(lines) + "\n", "text/plain"
            if path.endswith("/esearch.fcgi"):
                term = q.get("term", "")
                if q.get("field") == "aid":
                    hits = [
                        w
                        for w in api.corpus
                        if w.pmid and w.doi and doi_key(w.doi) == doi_key(term)
                    ]
                else:
                    asked = " ".join(re.findall(r"(\w+)\[ti\]", term))
                    hits = [w for w in api.title_hits(asked) if w.pmid]
                ids = [w.pmid for w in hits][: int(q.get("retmax", "20"))]
                body = {
                    "header": {"type": "esearch", "version": "0.3"},
                    "esearchresult": {
                        "count": str(len(ids)),
                        "retmax": str(len(ids)),
                        "retstart": "0",
                        "idlist": ids,
                        "translationset": [],
                        "querytranslation": term,
                    },
                }
                return 200, body, "json"
            if path.endswith("/efetch.fcgi"):
                found = [api.by_pmid(i) for i in q.get("id", "").split(",")]
                articles = "".join(pubmed_article(w) for w in found if w is not None)
                xml = f'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>{articles}</PubmedArticleSet>'
                return 200, xml, "text/xml"
            return 404, "not found", "text/plain"

        def _europepmc(self, path: str, q):
            query = q.get("query", "")
            hits: list[Work] = []
            if m := re.match(r'DOI:"(.*)"', query):
                hits = [
                    w for w in [api.by_doi(m.group(1))] if w is not None and (w.pmid or w.pmcid)
                ]
            elif m := re.match(r"EXT_ID:(\d+)", query):
                hits = [w for w in [api.by_pmid(m.group(1))] if w is not None]
            elif m := re.match(r"PMCID:(PMC\d+)", query):
                hits = [w for w in [api.by_pmcid(m.group(1))] if w is not None]
            elif m := re.match(r"TITLE:\((.*)\)", query):
                asked = " ".join(m.group(1).split(" AND "))
                hits = [w for w in api.title_hits(asked) if w.pmid or w.pmcid]
            results = [europepmc_record(w) for w in hits[: int(q.get("pageSize", "25"))]]
            return (
                200,
                {"version": "6.9", "hitCount": len(results), "resultList": {"result": results}},
                "json",
            )

        def _openalex(self, path: str, q):
            if path.startswith("/works/"):
                ident = unquote(path.removeprefix("/works/"))
                work = (
                    api.by_pmid(ident[5:])
                    if ident.startswith("pmid:")
                    else api.by_doi(ident.removeprefix("https://doi.org/"))
                )
                if work is None:
                    return 404, {"error": "Not Found", "message": "not found"}, "json"
                return 200, openalex_work(work), "json"
            if path == "/works":
                hits = api.title_hits(q.get("search", ""), share=0.7)[
                    : int(q.get("per_page", "25"))
                ]
                return (
                    200,
                    {
                        "meta": {"count": len(hits), "page": 1, "per_page": len(hits)},
                        "results": [openalex_work(w) for w in hits],
                        "group_by": [],
                    },
                    "json",
                )
            return 404, {"error": "Not Found"}, "json"

        def _datacite(self, path: str, q):
            work = api.by_doi(unquote(path.removeprefix("/dois/")))
            if work is None or work.doi.split("/")[0] not in DATACITE_PREFIXES:
                return (
                    404,
                    {
                        "errors": [
                            {
                                "status": "404",
                                "title": "The resource you are looking for doesn't exist.",
                            }
                        ]
                    },
                    "json",
                )
            return 200, datacite_record(work), "json"

        def _doi(self, path: str, q):
            prefix = unquote(path.removeprefix("/ra/"))
            if prefix in DATACITE_PREFIXES:
                agency = "DataCite"
            elif prefix in OTHER_AGENCIES:
                agency = OTHER_AGENCIES[prefix]
            elif any(w.doi.startswith(prefix + "/") for w in api.corpus) or prefix in ("10.1101",):
                agency = "Crossref"
            else:
                return 200, [{"DOI": prefix, "status": "DOI does not exist"}], "json"
            return 200, [{"DOI": prefix, "RA": agency}], "json"

        def _send(self, status: int, body, kind: str, headers: dict | None = None) -> None:
            data = (json.dumps(body) if kind == "json" else str(body)).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type",
                {"json": "application/json", "text/xml": "text/xml"}.get(kind, "text/plain"),
            )
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main() -> None:
    """Serve the corpus in SETUP.json ({"works": [lock work JSON], "preprints": {...},
    "latency": s, "fail": {...}}) until stopped; print the base URL first."""
    from citecheck.resolve.lock import work_from_json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("setup")
    parser.add_argument("--lifetime", type=float, default=900.0)
    args = parser.parse_args()
    setup = json.loads(Path(args.setup).read_text(encoding="utf-8"))
    works = [work_from_json(w) for w in setup["works"]]
    with FakeSources(
        works,
        latency=setup.get("latency", 0.2),
        fail=setup.get("fail"),
        preprints=setup.get("preprints"),
        lifetime=args.lifetime,
    ) as fake:
        print(json.dumps(fake.urls()), flush=True)
        fake._stopped.wait()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
