"""PubMed, Europe PMC, OpenAlex, DataCite and doi.org clients on recorded responses (responses mocks).

Fixtures in tests/fixtures/sources/ are real recorded bodies (origins in their README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import responses
from responses import matchers

from citecheck.limits import Limits
from citecheck.model import Author, Location, Reference
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.datacite import DataCiteClient
from citecheck.resolve.sources.doi_agency import NO_SUCH_PREFIX, DoiAgencyClient
from citecheck.resolve.sources.europepmc_search import EuropePMCClient
from citecheck.resolve.sources.openalex import OpenAlexClient
from citecheck.resolve.sources.pubmed import PubMedClient

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "sources"
PUBMED = "https://eutils.test/entrez/eutils"
EPMC = "https://epmc.test/rest"
OPENALEX = "https://openalex.test"
DATACITE = "https://datacite.test"
DOIORG = "https://doi.test"
FAST = {"sleep": lambda s: None, "bounds": Limits()}


def text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def ref(**fields) -> Reference:
    return Reference(
        key="k",
        raw=fields.pop("raw", "entry"),
        location=Location("refs.txt", 1),
        number=1,
        **fields,
    )


@responses.activate
def test_pubmed_efetch_reads_record_identifiers_and_erratum():
    responses.get(
        f"{PUBMED}/efetch.fcgi",
        body=text("pubmed_efetch_35649368_erratum.xml"),
        match=[
            matchers.query_param_matcher(
                {
                    "db": "pubmed",
                    "retmode": "xml",
                    "id": "35649368",
                    "tool": "citecheck",
                    "email": "me@example.org",
                }
            )
        ],
    )
    work = PubMedClient(base_url=PUBMED, email="me@example.org", **FAST).by_pmid("35649368")
    assert work.pmid == "35649368"
    assert work.doi == "10.1016/j.celrep.2022.110870"
    assert work.title.startswith("Fatty acid oxidation protects cancer cells")
    assert work.authors[0] == Author("Li", "Yi-Jia")
    assert (work.year, work.volume, work.issue, work.article_number) == (2022, "39", "9", "110870")
    assert work.short_container_title == "Cell Rep"
    assert [u.type for u in work.updated_by] == ["correction"]
    assert "35767954" in work.updated_by[0].label


@responses.activate
def test_pubmed_retracted_publication_type_is_a_retraction_naming_pubmed():
    responses.get(f"{PUBMED}/efetch.fcgi", body=text("pubmed_efetch_10066780_retracted.xml"))
    work = PubMedClient(base_url=PUBMED, **FAST).by_pmid("10066780")
    kinds = {(u.type, u.label) for u in work.updated_by}
    assert ("retraction", "PubMed: Retracted Publication") in kinds
    assert any("RetractionIn" in label and "11905463" in label for _t, label in kinds)
    assert work.page == "7196-9"


@responses.activate
def test_pubmed_empty_set_is_absent_not_failure():
    responses.get(f"{PUBMED}/efetch.fcgi", body=text("pubmed_efetch_empty.xml"))
    assert PubMedClient(base_url=PUBMED, **FAST).by_pmid("37909814") is None


@responses.activate
def test_pubmed_ecitmatch_sends_one_bdata_line_and_reads_the_pmid():
    responses.get(
        f"{PUBMED}/ecitmatch.cgi",
        body=text("pubmed_ecitmatch_hit.txt").replace("citation_1", "c0"),
        match=[
            matchers.query_param_matcher(
                {
                    "db": "pubmed",
                    "retmode": "xml",
                    "tool": "citecheck",
                    "bdata": "proc natl acad sci u s a|1991|88|3248|Mann BJ|c0|",
                }
            )
        ],
    )
    entry = ref(
        container="proc natl acad sci u s a",
        year=1991,
        volume="88",
        pages="3248-3252",
        authors=(Author("Mann", "BJ"),),
    )
    assert PubMedClient(base_url=PUBMED, **FAST).citmatch(entry) == "2014248"


@responses.activate
def test_pubmed_prefetch_batches_citations_and_records_for_a_whole_list():
    hit = text("pubmed_ecitmatch_hit.txt").strip().replace("citation_1", "c0")
    miss = "cell rep|2022|39|999999|Li YJ|c1|NOT_FOUND"
    responses.get(f"{PUBMED}/ecitmatch.cgi", body=f"{hit}\n{miss}\n")
    responses.get(
        f"{PUBMED}/efetch.fcgi",
        body=text("pubmed_efetch_35649368_erratum.xml"),
        match=[matchers.query_param_matcher({"id": "2014248,35649368"}, strict_match=False)],
    )
    first = ref(
        container="proc natl acad sci u s a",
        year=1991,
        volume="88",
        pages="3248-52",
        authors=(Author("Mann", "BJ"),),
    )
    second = ref(
        container="cell rep", year=2022, volume="39", pages="999999", authors=(Author("Li", "YJ"),)
    )
    third = ref(pmid="35649368", title="Fatty acid oxidation")
    client = PubMedClient(base_url=PUBMED, **FAST)
    client.prefetch([first, second, third])
    assert len(responses.calls) == 2  # one ECitMatch, one EFetch for the whole list
    assert "\r" in responses.calls[0].request.params["bdata"]
    assert client.citmatch(first) == "2014248" and client.citmatch(second) == ""
    assert client.by_pmid("35649368").title.startswith("Fatty acid oxidation")
    assert client.by_pmid("2014248") is None  # asked and absent from the answer
    assert len(responses.calls) == 2  # all from the batch


@responses.activate
def test_pubmed_api_key_raises_the_rate_and_is_sent():
    client = PubMedClient(base_url=PUBMED, api_key="KEY", **FAST)
    assert client.http.limiter.rate() == pytest.approx(10 * 0.90)
    assert PubMedClient(base_url=PUBMED, **FAST).http.limiter.rate() == pytest.approx(3 * 0.90)
    responses.get(
        f"{PUBMED}/esearch.fcgi",
        body=text("pubmed_esearch_doi.json"),
        match=[matchers.query_param_matcher({"api_key": "KEY"}, strict_match=False)],
    )
    assert client.esearch("10.4014/jmb.1812.02044", field="aid") == ["29913552"]


@responses.activate
def test_pubmed_html_error_page_is_a_failure_and_is_not_cached():
    responses.get(
        f"{PUBMED}/esearch.fcgi", body="<html>414 Request-URI Too Long</html>", status=414
    )
    with pytest.raises(LookupFailed, match="HTTP 414"):
        PubMedClient(base_url=PUBMED, **FAST).esearch("x")


@responses.activate
def test_pubmed_429_waits_retry_after_then_answers():
    slept = []
    responses.get(f"{PUBMED}/efetch.fcgi", status=429, headers={"Retry-After": "2"})
    responses.get(f"{PUBMED}/efetch.fcgi", body=text("pubmed_efetch_empty.xml"))
    client = PubMedClient(base_url=PUBMED, sleep=slept.append, bounds=Limits())
    assert client.by_pmid("1") is None
    assert slept == [2.0]


@responses.activate
def test_europepmc_by_doi_keeps_only_the_record_with_that_doi():
    responses.get(
        f"{EPMC}/search",
        body=text("europepmc_search_core_3.json"),
        match=[
            matchers.query_param_matcher(
                {"query": 'DOI:"10.1016/s0140-6736(24)02716-8"'}, strict_match=False
            )
        ],
    )
    work = EuropePMCClient(base_url=EPMC, **FAST).by_doi("10.1016/s0140-6736(24)02716-8")
    assert work.pmcid == "PMC12124214"
    assert work.short_container_title == "Lancet"
    assert work.update_to and work.update_to[0].type == "correction"  # it is an erratum notice


@responses.activate
def test_europepmc_no_results_is_absent():
    responses.get(f"{EPMC}/search", body=text("europepmc_search_none.json"))
    assert EuropePMCClient(base_url=EPMC, **FAST).by_pmcid("PMC1") is None


@responses.activate
def test_openalex_work_by_doi_encodes_the_doi_as_one_segment():
    responses.get(
        f"{OPENALEX}/works/https%3A%2F%2Fdoi.org%2F10.1371%2Fjournal.pone.0000030",
        body=text("openalex_work_pone.0000030.json"),
        match=[matchers.query_param_matcher({"mailto": "me@example.org"})],
    )
    work = OpenAlexClient(base_url=OPENALEX, mailto="me@example.org", **FAST).by_doi(
        "10.1371/journal.pone.0000030"
    )
    assert work.doi == "10.1371/journal.pone.0000030"
    assert work.pmid == "17183658"
    assert work.year == 2006 and work.article_number == "e30"
    assert work.authors[0].family == "Ralser"
    assert work.updated_by == ()


@responses.activate
def test_openalex_404_is_absent_and_400_is_failure():
    responses.get(f"{OPENALEX}/works/pmid%3A1", status=404, json={"error": "not found"})
    responses.get(f"{OPENALEX}/works", status=400, json={"error": "bad"})
    client = OpenAlexClient(base_url=OPENALEX, **FAST)
    assert client.by_pmid("1") is None
    with pytest.raises(LookupFailed, match="HTTP 400"):
        client.search(ref(title="Triose phosphate isomerase deficiency dimerization"))


@responses.activate
def test_datacite_record_and_404():
    responses.get(f"{DATACITE}/dois/10.5061%2Fdryad.8515", body=text("datacite_dryad.8515.json"))
    responses.get(f"{DATACITE}/dois/10.5061%2Fmissing", status=404, body=text("datacite_404.json"))
    client = DataCiteClient(base_url=DATACITE, **FAST)
    work = client.by_doi("10.5061/dryad.8515")
    assert work.title.startswith("Data from: A new malaria agent")
    assert work.type == "dataset" and work.year == 2011 and work.authors[0].family == "Ollomo"
    assert client.by_doi("10.5061/missing") is None


@responses.activate
def test_doi_agency_names_the_agency_and_unknown_prefixes():
    for prefix, name in (
        ("10.1371", "ra_crossref"),
        ("10.5061", "ra_datacite"),
        ("10.1392", "ra_medra"),
        ("10.99999", "ra_not_found"),
    ):
        responses.get(f"{DOIORG}/ra/{prefix}", body=text(f"{name}.json"))
    client = DoiAgencyClient(base_url=DOIORG, **FAST)
    assert client.agency("10.1371/journal.pone.0000030") == "crossref"
    assert client.agency("10.5061/dryad.8515") == "datacite"
    assert client.agency("10.1392/x") == "medra"
    assert client.agency("10.99999/x") == NO_SUCH_PREFIX


@responses.activate
def test_one_session_caches_only_validated_answers(tmp_path):
    from citecheck.resolve.sources.http import make_session

    session = make_session(cache_dir=tmp_path, user_agent="t")
    responses.get(f"{DATACITE}/dois/10.5061%2Fdryad.8515", body="<html>portal</html>")
    client = DataCiteClient(base_url=DATACITE, session=session, **FAST)
    with pytest.raises(LookupFailed, match="HTML"):
        client.by_doi("10.5061/dryad.8515")
    responses.replace(
        responses.GET,
        f"{DATACITE}/dois/10.5061%2Fdryad.8515",
        body=text("datacite_dryad.8515.json"),
    )
    assert client.by_doi("10.5061/dryad.8515").year == 2011
    responses.replace(responses.GET, f"{DATACITE}/dois/10.5061%2Fdryad.8515", status=500)
    assert client.by_doi("10.5061/dryad.8515").year == 2011  # from the cache


@responses.activate
def test_europepmc_title_search_asks_for_every_title_word():
    responses.get(
        f"{EPMC}/search",
        body=text("europepmc_search_none.json"),
        match=[
            matchers.query_param_matcher(
                {"query": "TITLE:(Abscopal AND response AND patient AND with AND fibrolamellar)"},
                strict_match=False,
            )
        ],
    )
    entry = ref(title="Abscopal response in a patient with fibrolamellar")
    assert EuropePMCClient(base_url=EPMC, **FAST).search(entry) == []


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/sources is not present")
def test_every_recorded_efetch_parses():
    from citecheck.resolve.sources.http import Answer
    from citecheck.resolve.sources.pubmed import _parse_efetch

    for path in sorted((SHARED / "pubmed").glob("*efetch*.xml")):
        works = _parse_efetch(Answer(200, path.read_bytes()))
        assert all(w.pmid for w in works), path.name
