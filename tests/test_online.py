"""Live Crossref checks: run only with CITECHECK_ONLINE=1 (they need the network)."""

from __future__ import annotations

import os

import pytest

from citecheck.resolve.sources.crossref import CrossrefClient

pytestmark = [
    pytest.mark.online,
    pytest.mark.skipif(
        os.environ.get("CITECHECK_ONLINE") != "1",
        reason="set CITECHECK_ONLINE=1 to talk to Crossref",
    ),
]


def client() -> CrossrefClient:
    return CrossrefClient(mailto=os.environ.get("CITECHECK_MAILTO") or None)


def test_live_work_by_doi():
    work = client().work("10.1371/journal.pone.0033693")
    assert work is not None
    assert work.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert work.authors[0].family == "Sadasivan"
    assert work.year == 2012
    assert any(update.type == "correction" for update in work.updated_by)


def test_live_unknown_doi_is_not_found():
    assert client().work("10.1371/notarealdoi") is None


def test_live_search_finds_the_paper_first():
    found = client().search(
        "Sadasivan S, Pond BB, Pani AK. Methylphenidate exposure induces dopamine neuron loss "
        "and activation of microglia in the basal ganglia of mice. PLoS One. 2012;7(3):e33693",
        rows=3,
    )
    assert found and found[0][0].doi.lower() == "10.1371/journal.pone.0033693"
