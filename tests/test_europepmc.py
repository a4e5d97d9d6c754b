"""Europe PMC abstracts: found, absent, and every way of failing (HTTP mocked with responses)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from citecheck.model import Location, Reference
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.europepmc import (
    BASE_URL,
    LABEL,
    SEARCH_URL,
    abstract_for,
    fetch_abstract,
    fetch_fulltext_sections,
)

DOI = "10.1016/j.exger.2023.112119"
ABSTRACT = "<h4>Background</h4>TNF-&alpha; drives <i>disc</i> degeneration."


def body(*results: dict) -> dict:
    return {"hitCount": len(results), "resultList": {"result": list(results)}}


@responses.activate
def test_abstract_by_doi_is_plain_text():
    responses.get(
        SEARCH_URL,
        json=body({"doi": DOI.upper(), "pmid": "36758650", "abstractText": ABSTRACT}),
        match=[
            matchers.query_param_matcher(
                {"query": f'DOI:"{DOI}"', "resultType": "core", "format": "json", "pageSize": "5"}
            )
        ],
    )
    assert fetch_abstract(requests.Session(), doi=DOI) == (
        LABEL,
        "Background TNF-α drives disc degeneration.",
    )


@responses.activate
def test_pmid_is_preferred_and_must_match():
    responses.get(
        SEARCH_URL,
        json=body(
            {"pmid": "111", "abstractText": "other"}, {"pmid": "36758650", "abstractText": "mine"}
        ),
        match=[
            matchers.query_param_matcher(
                {"query": "EXT_ID:36758650 AND SRC:MED"}, strict_match=False
            )
        ],
    )
    ref = Reference("r1", "", Location("m.txt"), 1, doi=DOI, pmid="36758650")
    assert abstract_for(ref, requests.Session()) == (LABEL, "mine")


@responses.activate
def test_other_record_or_no_abstract_is_none():
    responses.get(SEARCH_URL, json=body({"doi": "10.1/other", "abstractText": "x"}, {"doi": DOI}))
    assert fetch_abstract(requests.Session(), doi=DOI) is None
    responses.get(SEARCH_URL, json=body())
    assert fetch_abstract(requests.Session(), doi=DOI) is None


def test_no_identifier_means_no_request():
    with responses.RequestsMock():  # any request would fail: none is registered
        assert fetch_abstract(requests.Session()) is None


@pytest.mark.parametrize(
    "reply",
    [
        {"status": 500, "json": {}},
        {"status": 429, "json": {}},
        {"status": 200, "body": "<html>not json</html>"},
        {"status": 200, "json": {"unexpected": True}},
        {"body": requests.ConnectionError("network down")},
    ],
)
@responses.activate
def test_failures_raise_lookup_failed(reply):
    responses.get(SEARCH_URL, **reply)
    with pytest.raises(LookupFailed):
        fetch_abstract(requests.Session(), doi=DOI)


# --- full text and recorded evidence (issue 9) ---------------------------------------------

SHARED_EPMC = Path(__file__).resolve().parents[2] / "shared" / "data" / "sources" / "europepmc"
BASE = "http://epmc.test/rest"
FULLTEXT = b"""<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD Journal Archiving and Interchange DTD v3.0//EN" "x.dtd">
<article><front><article-meta><permissions>
<license xlink:href="http://creativecommons.org/licenses/by/4.0/"
 xmlns:xlink="http://www.w3.org/1999/xlink"><license-p>CC BY</license-p></license>
</permissions></article-meta></front><body>
<sec><title>Introduction</title><p>Discs degenerate with age.</p></sec>
<sec sec-type="materials|methods"><title>Methods</title><p>Cells were cultured.</p></sec>
<sec><title>Results</title><sec><title>miR-21</title>
<p>Exosomal miR-21 directly targets PTEN. It reduced apoptosis of NP cells (Fig. 2).</p></sec></sec>
<sec><title>Discussion</title><p>Our data suggest a therapy.</p></sec>
</body></article>"""


@responses.activate
def test_fulltext_results_and_discussion_with_licence():
    responses.get(f"{BASE}/PMC123/fullTextXML", body=FULLTEXT)
    sections, licence = fetch_fulltext_sections(requests.Session(), "123", base_url=BASE)
    assert licence == "http://creativecommons.org/licenses/by/4.0/"
    assert sections == {
        "results": [
            "Exosomal miR-21 directly targets PTEN. It reduced apoptosis of NP cells (Fig. 2)."
        ],
        "discussion": ["Our data suggest a therapy."],
    }


@pytest.mark.skipif(not SHARED_EPMC.exists(), reason="../shared Europe PMC fixtures absent")
@responses.activate
def test_fulltext_of_a_real_pmc_article():
    xml = (SHARED_EPMC / "pyeuropepmc_fullTextXML_PMC3258128.xml").read_bytes()
    responses.get(f"{BASE_URL}/PMC3258128/fullTextXML", body=xml)
    sections, licence = fetch_fulltext_sections(requests.Session(), "PMC3258128")
    assert "by-nc/3.0" in licence
    assert set(sections) == {"results", "discussion"}
    assert any("miR-122" in p for p in sections["results"])


@pytest.mark.parametrize("reply", [{"status": 500}, {"status": 200, "body": b"<article><body>"}])
@responses.activate
def test_fulltext_failures_raise_lookup_failed(reply):
    responses.get(f"{BASE}/PMC1/fullTextXML", **reply)
    with pytest.raises(LookupFailed):
        fetch_fulltext_sections(requests.Session(), "PMC1", base_url=BASE)


@responses.activate
def test_no_fulltext_is_none():
    responses.get(f"{BASE}/PMC1/fullTextXML", status=404)
    assert fetch_fulltext_sections(requests.Session(), "PMC1", base_url=BASE) is None


@responses.activate
def test_recorded_evidence_from_the_configured_base_url(tmp_path):
    from citecheck.claims.support.store import evidence_path, load_evidence
    from citecheck.model import Manuscript
    from citecheck.workflow import record_evidence

    responses.get(
        f"{BASE}/search",
        json=body({"pmid": "36758650", "abstractText": "We studied discs. Exosomes helped."}),
    )
    responses.get(f"{BASE}/PMC77/fullTextXML", body=FULLTEXT)
    ref = Reference("r1", "", Location("m.txt"), 1, doi=DOI, pmid="36758650", pmcid="PMC77")
    lock = tmp_path / "references.lock.json"
    assert record_evidence(Manuscript("m.txt", (ref,)), str(lock), requests.Session(), BASE) == 3
    entries = {e.kind: e for e in load_evidence(evidence_path(lock))}
    assert set(entries) == {"abstract", "fulltext:results", "fulltext:discussion"}
    assert entries["abstract"].sentences == ("We studied discs.", "Exosomes helped.")
    assert entries["abstract"].identifier == "PMID:36758650" and entries["abstract"].retrieved
    results = entries["fulltext:results"]
    assert results.sentences[1] == "It reduced apoptosis of NP cells (Fig. 2)."
    assert results.label == "fulltext:results:europepmc" and results.licence.endswith("by/4.0/")


def test_base_url_from_option_environment_or_config(monkeypatch):
    from citecheck.cli import _network_options
    from citecheck.config import Config

    config = Config(europepmc_url="http://from-config")
    args = (False, None, None, False, False, True)
    monkeypatch.delenv("CITECHECK_EUROPEPMC_URL", raising=False)
    assert _network_options(config, *args).europepmc_url == "http://from-config"
    assert _network_options(Config(), *args).europepmc_url == BASE_URL
    monkeypatch.setenv("CITECHECK_EUROPEPMC_URL", "http://from-env")
    assert _network_options(config, *args).europepmc_url == "http://from-env"
    assert _network_options(config, *args, "http://option").europepmc_url == "http://option"
