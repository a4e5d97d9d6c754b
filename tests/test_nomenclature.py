"""Bundled HGNC/miRBase lists: lookups, case folding, nearest names, and provenance."""

from __future__ import annotations

import gzip
import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from citecheck.claims.nomenclature import (
    is_mirna,
    lookup_gene,
    mirna_status,
    nearest_mirnas,
    nearest_symbols,
    normalize_mirna,
)

REPO = Path(__file__).resolve().parents[1]
NOMENCLATURE = REPO.parent / "shared" / "data" / "nomenclature"


def test_approved_alias_previous_symbols():
    assert lookup_gene("SUV39H1").kind == "approved"
    hit = lookup_gene("HO-1")
    assert (hit.kind, hit.approved_symbol) == ("alias", "HMOX1")
    assert lookup_gene("MLK3").kind == "previous"
    assert lookup_gene("MLK3").approved_symbol == "MAP3K11"
    assert lookup_gene("SUV38H1") is None
    assert lookup_gene("DNA") is None


def test_mouse_case_finds_the_human_symbol():
    assert lookup_gene("Trim32") == lookup_gene("TRIM32")
    assert lookup_gene("Trim32").approved_symbol == "TRIM32"


def test_ambiguous_alias_lists_every_gene():
    hit = lookup_gene("NRF2")
    assert hit.ambiguous and set(hit.approved) == {"GABPA", "NFE2L2"}


def test_nearest_symbols_suggests_the_approved_spelling():
    assert nearest_symbols("SUV38H1")[0] == "SUV39H1"
    assert nearest_symbols("TRAF6") and "TRAF6" not in nearest_symbols("TRAF6")
    assert len(nearest_symbols("TRIM23", n=2)) == 2


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("miR-21", "miR-21"),
        ("miRNA-21", "miR-21"),
        ("microRNA-199a", "miR-199a"),
        ("hsa-miR-142-3p", "miR-142-3p"),
        ("MiR-155", "miR-155"),
        ("let-7a-5p", "let-7a-5p"),
        ("mmu-miR-145a-5p", "miR-145a-5p"),
    ],
)
def test_mirna_names_normalise(written, canonical):
    assert normalize_mirna(written) == canonical


def test_mirna_status_levels():
    assert mirna_status("miR-21") == "known"  # arm-less base of miR-21-5p/-3p
    assert mirna_status("miR-194-5p") == "known"
    assert mirna_status("miR-4450") == "known"
    assert mirna_status("miR-145a-5p") == "family"  # mouse paralog letter
    assert mirna_status("miR-125-5p") == "family"  # shorthand for 125a/125b
    assert mirna_status("miR-9999") is None
    assert is_mirna("let-7") and not is_mirna("miR-9999") and not is_mirna("TRAF6")


def test_nearest_mirnas():
    assert "miR-194-5p" in nearest_mirnas("miR-194-6p")


def _derive_module():
    spec = importlib.util.spec_from_file_location(
        "derive_nomenclature", REPO / "scripts" / "derive_nomenclature.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_lists_are_what_the_script_derives():
    if not NOMENCLATURE.is_dir():
        pytest.skip("../shared/data/nomenclature not present")
    derive = _derive_module()
    data = resources.files("citecheck.data")
    genes = gzip.decompress(data.joinpath("hgnc_symbols.tsv.gz").read_bytes()).decode()
    assert genes.splitlines() == derive.gene_lines(NOMENCLATURE / "hgnc_entries.tsv")
    approved = gzip.decompress(data.joinpath("hgnc_approved.txt.gz").read_bytes()).decode()
    assert approved.splitlines() == derive.approved_symbols(genes.splitlines())
    mirnas = data.joinpath("mirbase_human.txt").read_text("utf-8").splitlines()
    assert mirnas == derive.mirna_lines(NOMENCLATURE / "hsa_matures_miRBase_v22.fa")


def test_typo_of_is_one_key_slip_from_exactly_one_symbol():
    from citecheck.claims.nomenclature import typo_of

    assert typo_of("SUV38H1") == "SUV39H1"  # a digit for a digit
    assert typo_of("SUV93H1") == "SUV39H1"  # two neighbours swapped
    # Domains, compounds, cell lines, model names, formats: no single slip of one symbol.
    for token in ("SH2", "CK666", "CHM13", "AE86", "HDF5", "HEK293", "K562", "UK10K", "B16F10"):
        assert typo_of(token) is None, token
    # A family member that does not exist is one slip from several: no single meaning.
    assert typo_of("STAT7") is None and typo_of("LGALS15") is None
    assert typo_of("TP53") is None  # valid symbols are no typos


def test_the_bundled_hgnc_table_is_sorted_for_the_binary_search():
    from citecheck.claims.nomenclature import _hgnc_text

    symbols = [line.split("\t", 1)[0] for line in _hgnc_text().splitlines()]
    assert symbols == sorted(symbols) and len(symbols) == len(set(symbols)) > 100_000
