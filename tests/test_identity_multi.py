"""The multi-source resolver end to end against bench/fake_sources.py (127.0.0.1, limits enforced)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.model import Location, Verdict
from citecheck.references.refparse import parse_reference
from citecheck.resolve.sources.http import make_session
from citecheck.resolve.sources.multi import ALL_SOURCES, parse_sources
from citecheck.workflow import NetworkOptions, resolve_online

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from fake_sources import FakeSources

from tests.test_identity import OTHER, REAL

CELL = replace(REAL, type="journal-article")
PONE = replace(OTHER, type="journal-article", short_container_title="PLoS One", issue="1")
TEXTS = {
    "real": "Li YJ, Fahrmann JF. Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids. Cell Rep. 2022;39(9):110870.",
    "pmid swapped": "Ralser M. Triose phosphate isomerase deficiency is caused by altered dimerization, not catalytic inactivity, of the mutant enzymes. PLoS One. 2006;1(1):e30. PMID: 35649368.",
    "invented": "Li YJ, Fahrmann JF. Quantum coherence of mitochondrial cristae governs ferroptosis in glioma stem cells. Cell Rep. 2022;39(9):110871.",
}


def _resolve(fail=None):
    refs = [
        parse_reference(t, number=n, location=Location("m.txt", n), key=k)
        for n, (k, t) in enumerate(TEXTS.items(), 1)
    ]
    with FakeSources([CELL, PONE], latency=0.0, fail=fail) as fake:
        network = NetworkOptions(
            online=True,
            sources=ALL_SOURCES,
            mailto="t@example.org",
            api_url=fake.url("crossref"),
            pubmed_url=fake.url("pubmed"),
            europepmc_url=fake.url("europepmc"),
            openalex_url=fake.url("openalex"),
            datacite_url=fake.url("datacite"),
            doi_url=fake.url("doi"),
        )
        found = resolve_online(refs, network, make_session(cache=False, user_agent="t"))
        rejected = sum(s.rejected for s in fake.stats.values())
    return {k: found[n] for n, k in enumerate(TEXTS, 1)}, rejected


def test_every_source_asked_verdicts_and_no_429():
    found, rejected = _resolve()
    assert rejected == 0
    assert found["real"].identity.verdict == "verified" and found["real"].verdict is Verdict.MATCHED
    assert found["real"].work.pmid == "35649368"
    assert found["pmid swapped"].identity.verdict == "identifier-conflict"
    assert "PMID 35649368" in found["pmid swapped"].identity.reason
    assert found["invented"].identity.verdict == "not-found"
    sources = {a.source for a in found["invented"].identity.answers}
    assert {"crossref-api", "pubmed", "europepmc", "openalex"} <= sources


def test_a_failing_source_turns_not_found_into_cannot_determine():
    found, _rejected = _resolve(fail={"openalex": 503})
    assert found["real"].identity.verdict == "verified"  # others still have it
    invented = found["invented"]
    assert (
        invented.identity.verdict == "cannot-determine" and "OpenAlex" in invented.identity.reason
    )
    assert invented.verdict is Verdict.LOOKUP_FAILED


def test_sources_option_names_are_checked():
    assert parse_sources("crossref, PubMed,crossref") == ("crossref", "pubmed")
    with pytest.raises(ValueError, match="unknown source scopus"):
        parse_sources("crossref,scopus")


def test_sources_from_config_and_a_bad_name_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner

    from citecheck.cli import _source_settings, main
    from citecheck.config import load_config
    from citecheck.files import InputError

    (tmp_path / "citecheck.toml").write_text('sources = ["pubmed", "crossref"]\n', encoding="utf-8")
    config = load_config(tmp_path)
    assert config.sources == ("pubmed", "crossref")
    settings = _source_settings(config, {"pubmed_url": "http://127.0.0.1:1/eutils"})
    assert settings["sources"] == ("pubmed", "crossref")
    assert settings["pubmed_url"] == "http://127.0.0.1:1/eutils"
    (tmp_path / "citecheck.toml").write_text('sources = ["pubmed", "scopus"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="citecheck.toml:1: .*unknown source scopus"):
        load_config(tmp_path)
    result = CliRunner().invoke(main, ["check", "--sources", "crossref,scopus"])
    assert result.exit_code == 2 and "unknown source scopus" in result.output


def test_resolve_offline_names_every_seed_reference_s_identity_verdict(tmp_path, monkeypatch):
    import shutil

    from click.testing import CliRunner

    from citecheck.cli import main

    repo = Path(__file__).resolve().parents[1]
    for folder in ("refs", "claims"):
        shutil.copytree(repo / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["resolve"])
    assert result.exit_code == 0, result.output
    assert "39 references locked (25 matched, 14 unresolved)" in result.output
    assert "identity: 14 cannot-determine, 25 verified" in result.output
    check = CliRunner().invoke(main, ["check", "--format", "json"])
    findings = __import__("json").loads(check.output)["findings"]
    undetermined = [f for f in findings if f["rule"] == "cannot-determine"]
    assert len(undetermined) == 14 and all("by hand" in f["message"] for f in undetermined)
    assert not [f for f in findings if f["rule"] in ("reference-not-found", "identifier-conflict")]
