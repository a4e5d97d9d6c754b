"""bench/pdf_accuracy.py's gold: author-year xrefs pointing at the wrong entry are restored."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "pdf-dev"


def _bench():
    """The bench script's functions (it is a script, not a module of the package)."""
    return SimpleNamespace(**runpy.run_path(str(ROOT / "bench" / "pdf_accuracy.py")))


def _entry(rid, surname, year, n, printed=""):
    return {
        "id": rid,
        "first_author": surname,
        "year": year,
        "year_printed": year,
        "n_authors": n,
        "printed": printed or f"{surname} {year}",
    }


def test_a_rid_naming_the_previous_entry_is_restored_from_the_printed_names():
    bench = _bench()
    entries = [
        _entry("R1", "reilly", "1991", 1),
        _entry("R2", "robinson", "2014", 1),
        _entry("R3", "robinson", "2014", 4),
        _entry("W1", "wood", "2006", 1),
        _entry("W2", "wood", "2006", 1),
    ]
    assert bench._restore_rid("R1", "2014", "grey seals (Robinson", entries) == "R2"
    assert bench._restore_rid("R2", "2014", "as in this study (Robinson et al.", entries) == "R3"
    assert bench._restore_rid("R3", "2014", "(Smith et al. 2001; Robinson et al.", entries) == "R3"
    assert bench._restore_rid("W1", "2006b", "two smooths (Wood", entries) == "W2"
    assert bench._restore_rid("R1", "1991", "fasting (Reilly", entries) == "R1"  # right already


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared not present")
def test_real_shifted_rids_are_restored():
    bench = _bench()
    root = bench._load_xml(SHARED / "springer-bes-69-1383.xml")
    entries = bench.gold_entries(root)
    links = bench.gold_links(root, entries)
    by_id = {e["id"]: e for e in entries}
    robinson = [rid for rid in links if by_id[rid]["printed"].startswith("Robinson KJ (2014)")]
    assert [links[rid] for rid in robinson] == [3]
