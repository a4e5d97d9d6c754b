"""Claim rules CC301-CC304 and per-claim verdicts, on small projects and on the seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.callouts import scan_callouts
from citecheck.claims.claimsfile import extract_claims
from citecheck.claims.entities import extract_entities
from citecheck.model import (
    Claim,
    Entity,
    Location,
    Manuscript,
    Problem,
    Project,
    Reference,
    Resolution,
    Severity,
    Verdict,
    Work,
)
from citecheck.rules.claims import RULES, claim_verdicts

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "manuscript.txt"
TITLE_35 = (
    "Exosomes-derived miR-125-5p from cartilage endplate stem cells regulates autophagy and "
    "ECM metabolism in nucleus pulposus by targeting SUV38H1"
)
TITLE_29 = (
    "Mesenchymal stem cell extracellular vesicles-derived microRNA-194-5p delays the development"
    " of intervertebral disc degeneration by targeting TRAF6"
)
TITLE_34 = (
    "Cartilage endplate stem cells inhibit intervertebral disc degeneration by releasing "
    "exosomes to nucleus pulposus cells to activate Akt/autophagy"
)


def ref(number: int, title: str) -> Reference:
    return Reference(
        key=f"r{number}",
        raw=title,
        location=Location("m.txt", 100 + number),
        number=number,
        title=title,
    )


def claim(sentence: str, *numbers: int, cid: str = "c001") -> Claim:
    return Claim(cid, Location("m.txt", 7, 3), numbers, entities=extract_entities(sentence))


def project(claims, refs, **extra) -> Project:
    return Project(Manuscript("m.txt", tuple(refs)), tuple(claims), **extra)


def problems(p: Project) -> list[tuple[str, Problem]]:
    return [(r.code, problem) for r in RULES for problem in r.check(p)]


def codes(p: Project) -> list[str]:
    return [code for code, _ in problems(p)]


def test_suv39h1_against_the_misspelt_title_of_35():
    p = project([claim("调控 SUV39H1 表达抑制凋亡", 35)], [ref(35, TITLE_35)])
    found = problems(p)
    mismatch = [pr for code, pr in found if code == "CC301"]
    assert len(mismatch) == 1
    assert mismatch[0].reference == 35 and mismatch[0].found == "SUV39H1"
    assert mismatch[0].expected == "SUV38H1"
    assert "SUV39H1 is the approved HGNC symbol" in mismatch[0].message
    assert "not an HGNC symbol" in mismatch[0].message
    # The title itself is reported too, with the approved spelling suggested.
    invalid = [pr for code, pr in found if code == "CC303"]
    assert [(pr.reference, pr.found, pr.expected) for pr in invalid] == [(35, "SUV38H1", "SUV39H1")]


def test_claim_matching_its_title_has_no_findings():
    sentence = "Sun 等发现携带 miR-194-5p 的 BMSCs 来源外泌体通过限制 TRAF6 保护髓核细胞"
    assert codes(project([claim(sentence, 29)], [ref(29, TITLE_29)])) == []


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("携带 miR-149-5p 的外泌体通过限制 TRAF6", "CC301"),  # miRNA digits swapped
        ("携带 miR-194-3p 的外泌体通过限制 TRAF6", "CC301"),  # other arm
        ("携带 miR-194-5p 的外泌体通过限制 TRAF2", "CC301"),  # gene one edit away
        ("携带 miR-21 的外泌体通过限制 TRAF6", "CC302"),  # another miRNA
        ("携带 miR-194-5p 的外泌体通过限制 GREM1", "CC302"),  # another gene
        ("miR-194-5p 通过 NF-κB 信号通路限制 TRAF6", "CC302"),  # a pathway not in the title
    ],
)
def test_changed_entity_is_reported(sentence, code):
    assert codes(project([claim(sentence, 29)], [ref(29, TITLE_29)])) == [code]


@pytest.mark.parametrize(
    ("sentence", "title", "expected"),
    [
        # eLife rendering: a work on the miR-135 family speaks for its member miR-135b
        ("miR-135b targets LATS2 in tumours [1].", "miR-135 targets LATS2 in tumours", []),
        ("let-7a-2 is lost in lung cancer [1].", "let-7a is lost in lung cancer", []),
        ("let-7a is lost in lung cancer [1].", "The let-7 family is lost in lung cancer", []),
        # two members of one family stay a near miss, and so does a digit more or less
        ("miR-135a targets LATS2 [1].", "miR-135b targets LATS2", ["CC301"]),
        ("miR-13 targets LATS2 [1].", "miR-135 targets LATS2", ["CC301", "CC303"]),
    ],
)
def test_a_mirna_family_and_its_member(sentence, title, expected):
    assert codes(project([claim(sentence, 1)], [ref(1, title)])) == expected


def test_title_only_absence_is_info_and_says_so():
    p = project([claim("通过激活 PI3K-Akt 信号通路", 29)], [ref(29, TITLE_29)])
    [(code, problem)] = problems(p)
    assert code == "CC302" and problem.severity == Severity.INFO
    assert "only titles" in problem.message and "PI3K-Akt" in problem.found


def test_absence_from_an_abstract_is_a_warning():
    abstract = "Exosomal miR-194-5p targets TRAF6 and reduces nucleus pulposus cell apoptosis."
    p = project(
        [claim("通过激活 PI3K-Akt 信号通路", 29)],
        [ref(29, TITLE_29)],
        evidence={29: (("reference-title", TITLE_29), ("abstract:europepmc", abstract))},
    )
    [(code, problem)] = problems(p)
    assert code == "CC302" and problem.severity is None  # the rule's default: warning


def test_abstract_can_support_what_the_title_lacks():
    abstract = "It activated the PI3K/AKT pathway."
    p = project(
        [claim("通过激活 PI3K-Akt 信号通路", 29)],
        [ref(29, TITLE_29)],
        evidence={29: (("reference-title", TITLE_29), ("abstract:europepmc", abstract))},
    )
    assert codes(p) == []
    [verdict] = claim_verdicts(p)
    assert (verdict.verdict, verdict.evidence_source) == ("supported", "abstract:europepmc")


def test_any_cited_work_supports_a_multi_citation_sentence():
    sentence = "通过激活 AKT 通路和自噬途径, 以及调控 SUV39H1 表达"
    p = project([claim(sentence, 34, 35)], [ref(34, TITLE_34), ref(35, TITLE_35)])
    assert sorted(codes(p)) == ["CC301", "CC303"]  # AKT is in [34]; SUV39H1 near-misses [35]
    verdicts = {v.entity.normalized: v for v in claim_verdicts(p)}
    assert verdicts["AKT"].verdict == "supported" and verdicts["AKT"].reference == 34
    assert verdicts["SUV39H1"].verdict == "mismatch" and verdicts["SUV39H1"].detail == "SUV38H1"


def test_exact_cell_source_beats_the_broader_kind():
    generic = ref(23, "Mesenchymal stem cells-derived exosomes ameliorate apoptosis")
    specific = ref(27, "Exosomes derived from mouse bone marrow mesenchymal stem cells")
    p = project([claim("BMSCs 来源外泌体", 23, 27)], [generic, specific])
    [verdict] = claim_verdicts(p)
    assert (verdict.verdict, verdict.reference, verdict.detail) == ("supported", 27, "")
    [verdict] = claim_verdicts(project([claim("BMSCs 来源外泌体", 23)], [generic]))
    assert verdict.verdict == "supported" and "broader" in verdict.detail


def test_missing_reference_gives_only_claim_citation_missing():
    p = project([claim("Xia 等发现 NLRP3 通过 miR-302c 激活", 40)], [ref(29, TITLE_29)])
    found = problems(p)
    assert [code for code, _ in found] == ["CC304"]
    assert found[0][1].reference == 40
    assert claim_verdicts(p) == ()


def test_partly_missing_citations_do_not_claim_absence():
    p = project([claim("通过 GREM1 抑制", 29, 43)], [ref(29, TITLE_29)])
    assert codes(p) == ["CC304"]
    [verdict] = claim_verdicts(p)
    assert verdict.verdict == "unsupported" and "[43]" in verdict.detail


def test_matched_record_title_is_evidence_when_the_list_has_no_title():
    work = Work(doi="10.1/x", title=TITLE_29)
    resolution = Resolution(Verdict.MATCHED, work, source="crossref-api")
    p = project([claim("miR-194-5p 限制 TRAF6", 29)], [ref(29, "")], resolutions={29: resolution})
    assert codes(p) == []
    assert {v.evidence_source for v in claim_verdicts(p)} == {"crossref-title"}


def test_no_evidence_verdict_when_a_listed_reference_has_no_text():
    p = project([claim("miR-194-5p 限制 TRAF6", 29)], [ref(29, "")])
    assert codes(p) == []
    assert {v.verdict for v in claim_verdicts(p)} == {"no-evidence"}


def test_invalid_mirna_in_a_claim_gets_a_suggestion():
    p = project([claim("携带 miR-9999 的外泌体", 29)], [ref(29, TITLE_29)])
    invalid = [pr for code, pr in problems(p) if code == "CC303"]
    assert [pr.found for pr in invalid] == ["miR-9999"] and invalid[0].suggestion
    assert invalid[0].claim_id == "c001"


def test_other_species_mirna_is_not_invalid():
    p = project([claim("通过 miR-145a-5p 减少", 29)], [ref(29, "miR-145a-5p in disc cells")])
    assert "CC303" not in codes(p)


def test_hand_edited_normalized_forms_are_recomputed():
    edited = Claim(
        "c009",
        Location("m.txt", 1),
        (29,),
        entities=(Entity("microRNA-194-5p", "mirna", "mir-194"),),
    )
    assert codes(project([edited], [ref(29, TITLE_29)])) == []


def test_key_citations_are_checked_too():
    keyed = Claim("c002", Location("m.tex", 3), (), keys=("smith2020",))
    p = project([keyed], [ref(1, "A title")])
    [(code, problem)] = problems(p)
    assert code == "CC304" and "smith2020" in problem.found


# --- the seed: every finding must be one a reader of the cited titles agrees with -----


def seed_project() -> Project:
    if not SEED.is_file():
        pytest.skip("../shared not present")
    text = SEED.read_text(encoding="utf-8")
    body, _, listing = text.partition("\n参考文献\n")
    entries: list[list] = []
    for line in listing.splitlines():
        numbered = re.match(r"- (\d+) (.*)", line.strip())
        if numbered:
            entries.append([int(numbered[1]), numbered[2]])
        elif line.startswith("- ") and entries:  # an entry broken by a page break
            entries[-1][1] += " " + line[2:].strip()
    refs = []
    for number, raw in entries:
        title = re.match(r".*?\. (.*?) \[", raw)  # authors. title [J]
        refs.append(ref(number, title[1] if title else ""))
    records = extract_claims(scan_callouts(body, str(SEED)), extract_entities)
    return project([r.claim for r in records], refs)


def test_seed_findings_are_the_expected_ones():
    p = seed_project()
    found = problems(p)
    by_code: dict[str, list[Problem]] = {}
    for code, problem in found:
        by_code.setdefault(code, []).append(problem)
    assert [(pr.reference, pr.found, pr.expected) for pr in by_code["CC301"]] == [
        (35, "SUV39H1", "SUV38H1")
    ]
    assert [(pr.reference, pr.found) for pr in by_code["CC303"]] == [(35, "SUV38H1")]
    unsupported = {pr.reference: pr.found for pr in by_code["CC302"]}
    assert unsupported == {
        13: "CD9, CD63, CD81, Hsp90, TSG101",  # sentence citing [13-15] and [16]
        23: "混合谱系激酶 3, MAPK",
        26: "PI3K-Akt",
        28: "AKT, ERK",
        31: "miR-155, HO-1",
        32: "GREM1, 转化生长因子- β",
        33: "SIRT6",
        34: "BAX, BCL2",
        36: "AKT, ERK",
        38: "PI3K/AKT/mTOR",
    }
    assert all(pr.severity == Severity.INFO for pr in by_code["CC302"])
    missing = {n for pr in by_code["CC304"] for n in map(int, re.findall(r"\d+", pr.found))}
    assert missing == set(range(40, 56))  # the seed's list stops at 39; the text cites 40-55
    assert all(pr.reference >= 40 for pr in by_code["CC304"])


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=30),
    st.sampled_from(["mirna", "gene", "pathway", "cytokine", "cell-source", "process", "other"]),
    st.text(max_size=120),
)
def test_hand_written_entities_and_titles_never_crash(text, type_, title):
    edited = Claim("c001", Location("m.txt", 1), (1, 2), entities=(Entity(text, type_, ""),))
    p = project([edited], [ref(1, title)])
    assert len(claim_verdicts(p)) <= 1
    assert {code for code, _ in problems(p)} <= {"CC301", "CC302", "CC303", "CC304"}


def test_invalid_symbol_is_a_warning_only_for_likely_typos():
    from citecheck.model import Severity

    p = project(
        [claim("Knockdown of SUV38H1 slowed the strains IN61 and SYP026", 1)],
        [ref(1, "SUV38H1 expression in IN61")],
    )
    found = {pr.found: pr.severity for code, pr in problems(p) if code == "CC303"}
    assert found["SUV38H1"] is None  # the rule's default, warning: one edit from SUV39H1
    assert "IN61" not in found  # short: one edit from many symbols by chance, so never named
    assert "SYP026" not in found  # zero-padded identifiers are strains or samples
