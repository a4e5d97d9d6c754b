"""invalid-symbol (CC303): only likely misspellings, only where the text is about genes."""

from __future__ import annotations

from citecheck.claims.entities import extract_entities
from citecheck.model import Claim, Location, Manuscript, Project, Reference
from citecheck.rules.claims import invalid_symbol


def ref(number: int, title: str) -> Reference:
    return Reference(f"r{number}", title, Location("m.txt", 100 + number), number, title=title)


def found(*titles: str, claims: tuple[str, ...] = ()) -> dict[str, str]:
    refs = tuple(ref(n, t) for n, t in enumerate(titles, start=1))
    made = tuple(
        Claim(
            f"c{i}",
            Location("m.txt", i),
            (1,),
            paraphrase=sentence,
            entities=extract_entities(sentence),
        )
        for i, sentence in enumerate(claims, start=1)
    )
    problems = invalid_symbol.check(Project(Manuscript("m.txt", refs), made))
    return {p.found: p.expected for p in problems}


def test_a_one_key_slip_in_a_title_about_genes_is_named_with_the_valid_symbol():
    title = "Exosomal miR-125-5p regulates autophagy by targeting SUV38H1"
    assert found(title) == {"SUV38H1": "SUV39H1"}


def test_the_same_word_is_named_only_where_the_text_is_about_genes():
    assert found("SUV38H1 and the price of coffee") == {}
    assert found("Knockdown of SUV38H1 slows growth") == {"SUV38H1": "SUV39H1"}


def test_cell_lines_domains_compounds_and_models_are_never_named():
    titles = (
        "The CHM13 reference genome and gene expression",
        "SH2 domain proteins bind phosphotyrosine",
        "The Arp2/3 inhibitor CK666 blocks protein function in cells",
        "Gene expression in HEK293 and K562 cells",
        "Tuning the AE86 model of gene regulation",
        "HDF5 files for genome data",
    )
    assert found(*titles) == {}


def test_other_species_and_spelled_out_names_are_meant():
    assert found("Ovine SUV38H1 expression in the uterus") == {}
    assert found("TLR11 signalling in mice") == {}  # a mouse gene, one digit from TLR10
    assert found("Galectin 15 (LGALS15) functions in trophectoderm migration") == {}


def test_claims_use_their_words_as_context():
    assert found("A title", claims=("SUV38H1 knockdown reduced apoptosis",)) == {
        "SUV38H1": "SUV39H1"
    }


def test_mirnas_need_no_gene_word_but_other_species_are_skipped():
    assert "miR-9999" in found("A title", claims=("携带 miR-9999 的外泌体",))
    assert found("A title", claims=("mmu-miR-9999 in mice",)) == {}
