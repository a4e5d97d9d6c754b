"""Entity recognition in English and Chinese citing sentences and titles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.claims.entities import (
    entities_in_title,
    entity_keys,
    extract_entities,
    gene_symbol,
    normalize_entity,
)
from citecheck.model import Entity

CHENG = (
    "Cheng 等^[26]发现，携带 miRNA-21 的骨髓间充质干细胞(bone marrow mesenchymal stem cells, "
    "BMSCs)来源外泌体可被肿瘤坏死因子- α (tumor necrosis factor α , TNF- α)诱导凋亡的髓核细胞"
    "特异性摄取，并通过激活 PI3K-Akt 信号通路显著抑制细胞凋亡"
)


def found(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.normalized) for e in extract_entities(text)}


def test_seed_sentence_pairs_chinese_and_english_terms():
    assert found(CHENG) == {
        ("mirna", "miR-21"),
        ("cell-source", "BMSC"),
        ("cytokine", "TNF-α"),
        ("process", "apoptosis"),
        ("pathway", "PI3K/AKT"),
    }
    # The first written form is kept, one entity per normalized form.
    assert [e.text for e in extract_entities(CHENG) if e.type == "cytokine"] == ["肿瘤坏死因子- α"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("miR-142-3p 通过靶向", ("mirna", "miR-142-3p")),
        ("hsa-miR-21-5p levels", ("mirna", "miR-21-5p")),
        ("let-7a suppresses", ("mirna", "let-7a")),
        ("microRNA-199a", ("mirna", "miR-199a")),
        ("通过 PI3K/AKT/mTOR 信号通路", ("pathway", "PI3K/AKT/mTOR")),
        ("抑制p38 MAPK信号通路", ("pathway", "p38 MAPK")),
        ("the Keap1/Nrf2 axis", ("pathway", "KEAP1/NRF2")),
        ("NF-κB activation", ("pathway", "NF-κB")),
        ("TGF-β signalling", ("pathway", "TGF-β")),
        ("下调转化生长因子- β 通路", ("pathway", "TGF-β")),
        ("激活 AKT 信号通路和 ERK 信号通路", ("pathway", "ERK")),
        ("IL-1 β 诱导", ("cytokine", "IL-1β")),
        ("白细胞介素-6(interleukin - 6, IL-6)", ("cytokine", "IL-6")),
        ("SUV39H1、BAX、BCL2 等", ("gene", "BCL2")),
        ("上调 HO-1 蛋白", ("gene", "HMOX1")),
        ("the miR-155-5p/Trim32 axis", ("gene", "TRIM32")),
        ("激活转录因子 6", ("gene", "ATF6")),
        ("BMSCs来源外泌体", ("cell-source", "BMSC")),
        ("hUC-MSCs", ("cell-source", "hUC-MSC")),
        ("人脐带间充质干细胞来源外泌体", ("cell-source", "hUC-MSC")),
        ("诱导多能干细胞衍生的间充质干细胞", ("cell-source", "iPSC-MSC")),
        ("人尿液来源干细胞", ("cell-source", "USC")),
        ("软骨终板干细胞", ("cell-source", "CESC")),
        ("脂肪间充质干细胞", ("cell-source", "ADSC")),
        ("人胚胎干细胞", ("cell-source", "ESC")),
        ("人胎盘间充质干细胞", ("cell-source", "PMSC")),
        ("human urine-derived stem cells", ("cell-source", "USC")),
        ("减轻细胞焦亡", ("process", "pyroptosis")),
        ("内质网应激", ("process", "ER stress")),
        ("oxidative stress-mediated", ("process", "oxidative stress")),
        ("rejuvenate senescent cells", ("process", "senescence")),
    ],
)
def test_recognises(text, expected):
    assert expected in found(text)


def test_specific_cell_source_is_not_also_generic():
    assert found("诱导多能干细胞衍生的间充质干细胞") == {("cell-source", "iPSC-MSC")}


def test_common_abbreviations_are_not_genes():
    text = "DNA 片段化, PCR, ECM, BMSCs, MSC, II 型胶原, ROS, ER stress, IVD, COVID-19, HEK293"
    assert not any(e.type == "gene" for e in extract_entities(text))


def test_miRNA_generic_word_is_not_an_entity():
    assert found("miRNA 凭借其调控基因表达, microRNAs shuttled by exosomes") == set()


def test_symbol_shaped_unknown_token_is_kept_for_validation():
    assert ("gene", "SUV38H1") in found("by targeting SUV38H1")
    assert gene_symbol("SUV38H1") == "SUV38H1"
    assert gene_symbol("R681") is None  # one letter then digits: a classification code
    assert gene_symbol("NCT04519671") is None  # accession-like digit run


def test_hyphenated_word_tails_are_not_tokens():
    assert not any(e.type == "gene" for e in extract_entities("CircRNA-CIDN and SH-SY5Y"))


@pytest.mark.parametrize(
    ("variants", "type_"),
    [
        (["microRNA-199a", "miR-199a", "miRNA-199a", "hsa-miR-199a", "mir-199a"], "mirna"),
        (["TNF-α", "TNF-alpha", "TNFα", "TNF- α", "tumor necrosis factor α"], "cytokine"),
        (["IL-1β", "IL-1 β", "IL1beta", "interleukin-1β", "IL-1ß"], "cytokine"),
        (["PI3K-Akt", "PI3K/AKT", "PI3K / Akt"], "pathway"),
        (["NF-κB", "NF-kB", "NF-kappaB"], "pathway"),
        (["Trim32", "TRIM32"], "gene"),
    ],
)
def test_normalisation_equivalences(variants, type_):
    forms = {normalize_entity(v, type_) for v in variants}
    assert len(forms) == 1, forms


def test_titles_lose_markup():
    title = "Exosomal <i>miR-532-5p</i> reduces degeneration by targeting <i>RASSF5</i>"
    assert {("mirna", "miR-532-5p"), ("gene", "RASSF5")} <= {
        (e.type, e.normalized) for e in entities_in_title(title)
    }


def test_pathway_keys_reach_genes():
    keap = Entity("Keap1/Nrf2", "pathway", "KEAP1/NRF2")
    assert any("NFE2L2" in keys for keys in entity_keys(keap))
    assert entity_keys(Entity("IL-1β", "cytokine", "IL-1β"))[0] >= {"IL1B"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_never_raises(text):
    for entity in extract_entities(text):
        assert entity.text and entity.type and entity.normalized


def test_unknown_symbol_shaped_tokens_are_genes_only_when_one_slip_from_a_symbol():
    assert gene_symbol("SUV38H1") == "SUV38H1"  # SUV39H1 mistyped
    for token in ("HDF5", "UK10K", "CHM13", "DLBCL90", "EFS24", "HAPGEN2", "NS2", "CK666"):
        assert gene_symbol(token) is None, token
    names = {e.text for e in extract_entities("Data in HDF5 from UK10K; TP53 and SUV38H1 in CHM13")}
    assert names == {"TP53", "SUV38H1"}


def test_short_aliases_are_labels_not_genes():
    assert gene_symbol("S6") is None and gene_symbol("T3") is None  # Table S6, step T3
    assert gene_symbol("S11") is None and gene_symbol("ST2") is None  # Table S11, a subtype
    assert gene_symbol("C3") == "C3"  # an approved symbol stays a gene
    assert gene_symbol("P53") == "TP53"  # named by molecular weight
    assert gene_symbol("SDS") is None  # SDS-PAGE
