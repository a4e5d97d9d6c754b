"""Europe PMC abstracts: found, absent, and every way of failing (HTTP mocked with responses)."""

from __future__ import annotations

import pytest
import requests
import responses
from responses import matchers

from citecheck.model import Location, Reference
from citecheck.sources import LookupFailed
from citecheck.sources.europepmc import LABEL, SEARCH_URL, abstract_for, fetch_abstract

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
