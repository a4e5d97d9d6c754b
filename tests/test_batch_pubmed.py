"""Corpus mode asks PubMed in NCBI's batch sizes for all unique references of a chunk, and
gives the verdicts the per-manuscript path gives (responses mocks, recorded shapes)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from citecheck.batch.unique import UniqueResolver
from citecheck.model import Author, Location, Reference
from citecheck.resolve.sources.pubmed import CITMATCH_BATCH
from citecheck.workflow import NetworkOptions, resolve_online

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
PUBMED = "https://eutils.test/entrez/eutils"
NETWORK = NetworkOptions(online=True, sources=("pubmed",), pubmed_url=PUBMED, cache=False)
EFETCH = (FIXTURES / "pubmed_efetch_35649368_erratum.xml").read_text(encoding="utf-8")


class Unused:
    """The Crossref client: not among the chosen sources, so never asked."""

    name = "crossref"
    concurrency = 1


def _ecitmatch(request):
    """NOT_FOUND for every citation but Cell Rep 39:110870, which is PMID 35649368."""
    bdata = parse_qs(urlsplit(request.url).query)["bdata"][0]
    lines = []
    for line in bdata.split("\r"):
        cells = line.split("|")
        pmid = "35649368" if cells[2] == "39" and cells[3] == "110870" else "NOT_FOUND"
        lines.append("|".join([*cells[:6], pmid]))
    return 200, {}, "\n".join(lines) + "\n"


def _efetch(request):
    ids = parse_qs(urlsplit(request.url).query)["id"][0].split(",")
    return 200, {}, EFETCH if "35649368" in ids else (FIXTURES / "pubmed_efetch_empty.xml").read_text()


def references() -> list[Reference]:
    refs = [
        Reference(
            key=f"r{i}", location=Location("m", i), raw=f"Doe J. Entry {i}. J Test. 2001;{i}:{100 + i}.", number=i,
            authors=(Author("Doe", "J"),), title=f"Entry {i}", container="J Test",
            year=2001, volume=str(i), pages=f"{100 + i}-{110 + i}",
        )
        for i in range(1, CITMATCH_BATCH + 6)
    ]
    refs.append(
        Reference(
            key="hit", location=Location("m", 99), raw="Li YJ, Fahrmann JF. Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids. Cell Rep. 2022;39:110870.", number=99,
            authors=(Author("Li", "YJ"), Author("Fahrmann", "JF")),
            title="Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids", container="Cell Rep",
            year=2022, volume="39", pages="110870",
        )
    )
    refs.append(Reference(key="pmid", location=Location("m", 100), raw="PMID 35649368", number=100, pmid="35649368"))
    return refs


@responses.activate
def test_batch_asks_pubmed_in_batches_with_the_per_manuscript_verdicts():
    responses.add_callback(responses.GET, f"{PUBMED}/ecitmatch.cgi", callback=_ecitmatch)
    responses.add_callback(responses.GET, f"{PUBMED}/efetch.fcgi", callback=_efetch)
    refs = references()
    session = requests.Session()
    resolver = UniqueResolver(client=Unused(), network=NETWORK, session=session)
    resolver.resolve(refs)
    paths = [urlsplit(c.request.url).path.rsplit("/", 1)[1] for c in responses.calls]
    # 27 citations: two ECitMatch requests (20 + 7 lines), one EFetch for both PMIDs' record.
    assert paths == ["ecitmatch.cgi", "ecitmatch.cgi", "efetch.fcgi"]
    batched = resolver.resolutions_for(refs)
    responses.calls.reset()
    alone = resolve_online(refs, NETWORK, session)
    assert len(responses.calls) == 3  # `check` batches one manuscript's list the same way
    assert {n: r.verdict for n, r in batched.items()} == {n: r.verdict for n, r in alone.items()}
    assert batched[99].work.pmid == "35649368"
    assert {r.verdict.value for n, r in batched.items() if n < 99} == {"not-found"}
