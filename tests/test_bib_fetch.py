"""`citecheck bib fetch`: identifiers and titles against recorded API answers (responses)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from citecheck.bibliography import fetch
from citecheck.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="../shared/data (recorded API answers) is not available"
)
CROSSREF = "https://api.crossref.org"
OFFLINE_OK = ["--no-cache", "--mailto", "t@example.org"]


def _recorded(name: str) -> dict:
    return json.loads((SHARED / name).read_text())


def _run(*args: str):
    return CliRunner().invoke(main, ["bib", "fetch", *args, *OFFLINE_OK])


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10.1038/srep16696", "doi", "10.1038/srep16696"),
        ("https://doi.org/10.1038/srep16696", "doi", "10.1038/srep16696"),
        ("PMID: 12091962", "pmid", "12091962"),
        ("pmc3258128", "pmcid", "PMC3258128"),
        ("arXiv:2101.00001v2", "arxiv", "2101.00001v2"),
        ("hep-th/9901001", "arxiv", "hep-th/9901001"),
        ("Chemical Ecology", "title", "Chemical Ecology"),
    ],
)
def test_query_kinds(text, kind, value):
    assert fetch.parse_query(text) == fetch.Query(kind, value)


def test_offline_says_it_needs_online_in_one_line():
    result = CliRunner().invoke(main, ["bib", "fetch", "10.1038/srep16696"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "--online" in result.output


@needs_shared
@responses.activate
def test_doi_gives_bibtex_with_source_and_date():
    body = _recorded("crossref-api/work-10.1038_srep16696.json")["body"]
    work_url = re.compile(re.escape(CROSSREF) + r"/works/10\.1038(/|%2F)srep16696.*")
    responses.add(responses.GET, work_url, json=body)
    result = _run("--online", "--sources", "crossref", "doi:10.1038/srep16696")
    assert result.exit_code == 0, result.output
    first, *rest = result.output.splitlines()
    assert re.fullmatch(
        r"% citecheck bib fetch doi 10\.1038/srep16696: crossref record, retrieved \d{4}-\d\d-\d\d",
        first,
    )
    entry = "\n".join(rest)
    message = body["message"]
    assert entry.startswith("@article{")
    assert "doi = {10.1038/srep16696}" in entry
    assert message["title"][0][:30] in entry
    assert message["author"][0]["family"] in entry


@needs_shared
@responses.activate
def test_doi_crossref_lacks_falls_back_to_datacite():
    recorded = _recorded("sources/datacite/bolognese_dois_10.5061-dryad.8515.json")
    responses.add(
        responses.GET,
        re.compile(re.escape(CROSSREF) + r"/works/10\.5061.*"),
        status=404,
        body="Resource not found.",
    )
    responses.add(
        responses.GET,
        re.compile(r"https://api\.datacite\.org/dois/10\.5061.*"),
        body=recorded["response"]["body"],
        content_type="application/json",
    )
    result = _run("--online", "--sources", "crossref,datacite", "10.5061/dryad.8515")
    assert result.exit_code == 0, result.output
    assert ": datacite record, retrieved" in result.output.splitlines()[0]
    assert "doi = {10.5061/dryad.8515}" in result.output


@needs_shared
@responses.activate
def test_pmid_from_pubmed():
    xml = (SHARED / "sources/pubmed/biopython_efetch_pubmed_abstract-xml_12091962-9997.xml")
    text = xml.read_text()
    # EFetch answers for the PMID asked: keep that one article of the recorded pair.
    articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.DOTALL)
    one = next(a for a in articles if ">12091962</PMID>" in a)
    body = re.sub(r"<PubmedArticle>.*</PubmedArticle>", lambda m: one, text, flags=re.DOTALL)
    responses.add(
        responses.GET,
        re.compile(r"https://eutils\.ncbi\.nlm\.nih\.gov/entrez/eutils/efetch\.fcgi.*"),
        body=body,
        content_type="text/xml",
    )
    result = _run("--online", "--sources", "pubmed", "PMID:12091962")
    assert result.exit_code == 0, result.output
    assert "pubmed record" in result.output and "pmid = {12091962}" in result.output


def _search_body(titles: list[tuple[str, str]]) -> dict:
    """A Crossref /works answer shaped like the recorded one, with these (DOI, title) items."""
    recorded = _recorded("crossref-api/query-works_query_ecology_rows_2.json")["body"]
    item = recorded["message"]["items"][0]
    body = copy.deepcopy(recorded)
    body["message"]["items"] = [
        {**copy.deepcopy(item), "DOI": doi, "title": [title]} for doi, title in titles
    ]
    return body


@needs_shared
@responses.activate
def test_title_with_one_match_is_fetched_and_with_several_they_are_listed():
    responses.add(
        responses.GET,
        f"{CROSSREF}/works",
        json=_search_body([("10.1093/a", "Chemical Ecology"), ("10.1093/b", "Ecology of fish")]),
    )
    one = _run("--online", "--sources", "crossref", "Chemical ecology")
    assert one.exit_code == 0, one.output
    assert "doi = {10.1093/a}" in one.output and "10.1093/b" not in one.output

    responses.replace(
        responses.GET,
        f"{CROSSREF}/works",
        json=_search_body([("10.1093/a", "Chemical Ecology"), ("10.1093/c", "Chemical ecology.")]),
    )
    several = _run("--online", "--sources", "crossref", "Chemical ecology")
    assert several.exit_code == 1
    lines = several.output.splitlines()
    assert lines[0].startswith("2 works match this title")
    assert any("doi:10.1093/a" in x for x in lines) and any("doi:10.1093/c" in x for x in lines)
    assert "@" not in several.output  # nothing chosen for the user


@needs_shared
@responses.activate
def test_nothing_found_and_network_down_are_one_line():
    recorded = _recorded("crossref-api/work-10.1371_notarealdoi-404.json")
    responses.add(
        responses.GET,
        re.compile(re.escape(CROSSREF) + "/works/.*"),
        status=404,
        body=recorded["body"],
        content_type="text/plain",
    )
    # Crossref's client checks the service is up before calling a DOI absent.
    responses.add(responses.GET, f"{CROSSREF}/works", json=_search_body([]))
    missing = _run("--online", "--sources", "crossref", "10.1371/notarealdoi")
    assert missing.exit_code == 1
    assert missing.output.strip() == "no record found for doi '10.1371/notarealdoi' (asked crossref)"
    responses.replace(
        responses.GET, re.compile(re.escape(CROSSREF) + "/works/.*"), body=ConnectionError("down")
    )
    down = _run("--online", "--sources", "crossref", "10.1371/notarealdoi")
    assert down.exit_code == 2
    assert down.output.count("\n") == 1 and "no source could be asked" in down.output
