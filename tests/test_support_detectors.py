"""Deterministic claim-support detectors: each fires on a clear pattern and only then."""

from __future__ import annotations

import pytest

from citecheck.claims.support.detectors import (
    direction_conflicts,
    relations,
    study_conflicts,
    study_kinds,
)


def reasons(claim, sentences):
    return [c.reason for c in direction_conflicts(claim, sentences)]


def test_mirna_targeting_a_gene_represses_it():
    claim = "Exosomal miR-21 up-regulates PTEN in nucleus pulposus cells."
    evidence = ["We show that miR-21 directly targets PTEN and suppresses its expression."]
    [conflict] = direction_conflicts(claim, evidence)
    assert conflict.reason == "direction" and conflict.evidence_index == 0
    assert "increases PTEN" in conflict.explanation and "decreases" in conflict.explanation


def test_chinese_relation_words():
    assert reasons("骨髓间充质干细胞外泌体miR-21上调PTEN的表达", ["miR-21 targets PTEN."]) == [
        "direction"
    ]


@pytest.mark.parametrize(
    "evidence",
    ["Antagomir-21 reduced apoptosis of NP cells.", "An miR-21 inhibitor attenuated apoptosis."],
)
def test_an_inhibitor_in_the_evidence_turned_into_the_molecule(evidence):
    assert reasons("miR-21 reduced apoptosis of NP cells.", [evidence]) == ["direction"]


def test_reversed_target_relation():
    assert reasons("TRIM32 targets miR-155.", ["miR-155 targets TRIM32 in NP cells."]) == [
        "reversed"
    ]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        # same direction, passive voice
        ("PTEN was inhibited by miR-21.", ["miR-21 inhibits PTEN."]),
        # an inhibitor in the evidence agreeing with the molecule in the claim
        ("miR-21 reduced apoptosis.", ["miR-21 inhibitor increased apoptosis."]),
        # a stimulus, not a relation
        ("USC exosomes inhibit apoptosis.", ["the effect of USCs on pressure-induced apoptosis"]),
        # negated evidence says nothing about direction
        ("miR-21 reduced apoptosis.", ["miR-21 did not increase apoptosis."]),
        # the work says it both ways somewhere: no contradiction
        ("miR-21 inhibits PTEN.", ["miR-21 increased PTEN at 2 h.", "miR-21 inhibits PTEN."]),
    ],
)
def test_no_conflict(claim, evidence):
    assert direction_conflicts(claim, evidence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # 激活 inside the gene name 激活转录因子 6 (ATF6) is no predicate
        "外泌体可通过 miR-31-5p 靶向激活转录因子 6, 抑制内质网应激",
        # "by inhibiting KEAP1 promotes NRF2": KEAP1 is the object of 抑制, not a subject
        "外泌体通过抑制 Kelch 样 ECH 关联蛋白 1 促进核因子(红细胞衍生)相关因子 2 表达",
        "Exosomes act by inhibiting KEAP1 promotes NRF2 expression.",
        # a stimulus, not the object
        "外泌体通过 miR-155-5p 能够抑制 TNF- α 诱导的髓核细胞凋亡",
        "miR-21 inhibits TNF-α-induced apoptosis.",
        # 诱导的 is a modifier: H2O2-induced NP cells
        "BMSCs 来源外泌体与过氧化氢诱导的髓核细胞共培养后, 可显著抑制炎症小体的生成",
    ],
)
def test_no_relation_misread(sentence):
    assert [r for r in relations(sentence) if r.direction != "target"] == []


def test_relations_read_subject_predicate_object():
    [r] = relations("Exosomal miR-142-3p targets MLK3 in NP cells.")
    assert (r.subject.text, r.direction, r.object.text) == ("miR-142-3p", "target", "MLK3")


ABSTRACT = [
    "Bone marrow MSCs were transplanted into the discs of rats.",
    "MSC transplantation reduced inflammation in the rat model.",
    "Matrix loss was slowed.",
]


def test_exosome_claim_against_a_work_without_vesicles():
    [c] = [c for c in study_conflicts("MSC exosomes reduce inflammation.", ABSTRACT, True)]
    assert c.reason == "exosome"


def test_patients_against_animals_only():
    kinds = [
        c.reason for c in study_conflicts("MSCs reduce inflammation in patients.", ABSTRACT, True)
    ]
    assert kinds == ["species"]


def test_process_conflict():
    kinds = [c.reason for c in study_conflicts("MSCs inhibit apoptosis.", ABSTRACT, True)]
    assert kinds == ["process"]


def test_no_study_conflict_from_little_or_partial_evidence():
    assert study_conflicts("MSC exosomes inhibit apoptosis in patients.", ABSTRACT, False) == []


def test_study_kinds():
    assert study_kinds("In rats, BMSC exosomes co-cultured with NP cells") == [
        "exosome",
        "co-culture",
        "cells",
        "animal",
    ]


def test_knockdown_abbreviation_flips_the_direction():
    # "TRIM5 KD suppressed inflammatory genes" means TRIM5 raises them: agrees with the claim
    claim = "TRIM5 induces inflammation."
    assert direction_conflicts(claim, ["TRIM5 KD suppressed inflammation in THP-1 cells."]) == []


def test_mentioning_patients_is_not_placing_the_study_in_them():
    claim = "Inflammation drives disease in animal models and in patients."
    assert study_conflicts(claim, ABSTRACT, True) == []


def test_exosomes_mentioned_aside_are_not_credited():
    claim = "Unlike cell therapy, which is limited, MSCs reduce inflammation; exosomes are next."
    assert [c.reason for c in study_conflicts(claim, ABSTRACT, True)] == []


def test_a_process_that_is_only_the_setting_is_no_conflict():
    claim = "In the setting of apoptosis, MSCs were studied."
    assert study_conflicts(claim, ABSTRACT, True) == []
