"""Author mentions: where authors stand, what looks like a surname, and how CC108 judges them."""

from __future__ import annotations

import pytest

from citecheck.citations.callouts import scan_callouts
from citecheck.citations.mentions import author_mention
from citecheck.model import Author, Location, Manuscript, Project, Reference, Severity
from citecheck.rules import run
from citecheck.rules.citations import mention_problem, split_names


def mentions(text: str) -> list[str]:
    return [c.author_mention for c in scan_callouts(text, "m.txt")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This was described by Li and Ji [1] in detail.", "Li and Ji"),
        ("As shown by Zhu and Chen [2], exosomes help.", "Zhu and Chen"),
        ("Xu [4] found that the disc degenerates.", "Xu"),
        ("Krut & Gazit [2] reviewed the field.", "Krut and Gazit"),
        (
            "We used the deconvolution method from Lun, Bach, and Marioni [3].",
            "Lun and Bach and Marioni",
        ),
        ("The first approach was defined by Hudson [5], and works well.", "Hudson"),
        ("The algorithm is due to Wiuf and Hein [6].", "Wiuf and Hein"),
        ("According to Schmidt-Nielsen [7] the kidney concentrates.", "Schmidt-Nielsen"),
        ("As reported by D'Alonzo [8], the effect is large.", "D'Alonzo"),
        ("Cheng et al. [26] showed repair.", "Cheng"),
        ("Cheng 等^[26]发现外泌体有效。", "Cheng"),
        ("周荣耀等^[50]发现尿液来源干细胞。", "周荣耀"),
        ("This was published by Beigel JH et al. [9] last year.", "Beigel"),
        ("Likewise, Slade & Spencer [5] published a study.", "Slade and Spencer"),
        ("This technique, recommended by Slade [29], counts items.", "Slade"),
        ("Complexity was first formalized by R. A. Fisher [11].", "Fisher"),
        ("(although Wagner and Gabriel [15] had worked on it)", "Wagner and Gabriel"),
    ],
)
def test_authors_in_every_common_position(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Tools such as ActiVis and CNNvis [3] visualise networks.",
        "We call this ``sandwich DP'' [4] in what follows.",
        "Outbreaks occurred in Mauritania and Senegal [31].",
        "We were also able to rescue BUNV [31] in transfected cells.",
        "Exosomes [13] are small vesicles.",
        "Similarly, DendroPy [3] version 4.0.2 required more time.",
        "Libraries such as BioPerl [5] provide tools.",
        "Pools of biting midges in Denmark [18] were positive.",
        "Researchers [4] found the opposite.",
        "The lipases LipW and LipY [52] are secreted.",
        "Expression of TP53 and MDM2 [7] was high.",
        "This is discussed in Analysis [8] below.",
        "外泌体存在于血液、乳汁等^[13]。",
        "Data were processed with Cell Ranger [9].",
        "Most reports came from China [2] so far.",
        "It binds the ubiquitin-like domain of Parkin [2].",
        "It is counteracted by Vpx [2] in myeloid cells.",
        "Such as Alzheimer's and Parkinson's [2].",
        "Hudson's [9] algorithm is classic.",
    ],
)
def test_not_authors(text):
    assert mentions(text) == [""]


def test_author_mention_reads_only_the_text_before_the_callout():
    assert author_mention("described by Li and Ji", " in detail") == "Li and Ji"
    assert author_mention("the method of", "") == ""


def test_split_names_handles_apa_lists_and_group_suffixes():
    assert split_names("Smith, Jones, & Brown") == ["Smith", "Jones", "Brown"]
    assert split_names("Smith et al.") == ["Smith"]
    assert split_names("Li and Ji") == ["Li", "Ji"]


# --------------------------------------------------------------------------- the rule


def entry(number: int, *families: str, et_al: bool = False, given: str = "A") -> Reference:
    return Reference(
        key=f"r{number}",
        raw=f"{', '.join(families)}. Title.",
        location=Location("m.txt", 100 + number),
        number=number,
        authors=tuple(Author(f, given) for f in families),
        et_al=et_al,
        title="A study",
        container="J Things",
        year=2020,
        volume="1",
        pages="1-9",
    )


def findings(text: str, *refs: Reference):
    manuscript = Manuscript("m.txt", refs, tuple(scan_callouts(text, "m.txt")))
    return [f for f in run(Project(manuscript)) if f.rule == "author-mention-mismatch"]


def test_a_later_author_named_is_a_style_note_not_an_error():
    krut = entry(2, "Krut", "Ben-Ami", "Levi", "Gazit")
    (finding,) = findings("Krut and Gazit [2] reviewed the field.", krut)
    assert finding.severity == Severity.INFO and "4th of 4 authors" in finding.message
    (finding,) = findings("Gazit et al. [2] reviewed the field.", krut)
    assert finding.severity == Severity.INFO and "4th author" in finding.message


def test_given_name_as_surname_stays_an_error():
    wen = entry(32, "Wen", "Wang", given="Tao")
    (finding,) = findings("Tao et al. [32] found it.", wen)
    assert finding.severity == Severity.ERROR and "given name" in finding.message
    # A weak position too: "by Tao [32]" is the given name spelled out in full.
    (finding,) = findings("This was shown by Tao [32].", wen)
    assert finding.severity == Severity.ERROR


def test_weak_positions_speak_only_about_names_on_the_reference_list():
    smith = entry(3, "Smith", "Doe")
    jones = entry(4, "Jones", "Roe")
    # "Quake" names no author anywhere in the list: a tool, a place or an uncited person.
    assert findings("This was shown by Quake [3].", smith, jones) == []
    # "Jones" is the first author of [4]: citing [3] after the name is likely a wrong number.
    (finding,) = findings("This was shown by Jones [3].", smith, jones)
    assert finding.severity == Severity.ERROR and finding.reference == 3
    assert "first author of [4]" in finding.suggestion
    # With "et al." the words are a person for sure.
    assert len(findings("Quake et al. [3] found it.", smith, jones)) == 1


def test_a_truncated_list_cannot_rule_out_a_later_author():
    zhu = entry(23, "Zhu", "Shi", "Liu", et_al=True)
    assert findings("Zhu and Chen [23] showed it.", zhu) == []
    (finding,) = findings("Chen et al. [23] showed it.", zhu)
    assert finding.severity == Severity.INFO and "cannot be determined" in finding.message
    # Unless the name is another entry's first author: then the number is likely wrong.
    chen = entry(24, "Chen", "Wu")
    (finding,) = findings("Chen et al. [23] showed it.", zhu, chen)
    assert finding.severity == Severity.ERROR and "first author of [24]" in finding.suggestion


def test_a_second_name_that_is_no_author_is_a_warning():
    zhu = entry(23, "Zhu", "Shi")
    (finding,) = findings("Zhu and Chen [23] showed it.", zhu)
    assert finding.severity == Severity.WARNING and "Shi" in finding.message


def test_any_cited_work_may_carry_the_name():
    smith, jones = entry(3, "Smith", "Doe"), entry(4, "Jones", "Roe")
    assert findings("Jones et al. [3,4] found it.", smith, jones) == []


def test_apa_list_compares_the_first_surname():
    authors = (Author("Smith", "J"), Author("Jones", "K"), Author("Brown", "L"))
    assert mention_problem("Smith, Jones, & Brown", authors) is None
    assert mention_problem("Smith, Jones, & Brown et al.", authors) is None
    message, _, severity = mention_problem("Jones, Smith, & Brown", authors)
    assert severity == Severity.INFO and "second author" in message


def test_corporate_authors_and_bibtex_accents_are_one_name():
    ecdc = (Author("European Centre for Disease Prevention and Control"),)
    assert mention_problem("European Centre for Disease Prevention and Control", ecdc) is None
    assert mention_problem("Hörsch", (Author('H\\"orsch', "Jonas"),)) is None
    assert mention_problem("Pollán", (Author("Poll{\\'a}n", "M"),)) is None


def test_a_comma_without_and_is_no_author_list():
    assert mentions("It was first found near the town of Schmallenberg, Germany [3].") == [""]


def test_citation_order_is_not_judged_on_printed_years():
    from citecheck.model import Callout

    here = Location("m.txt", 1)
    refs = tuple(entry(n, f"Author{n}") for n in (1, 2, 3))
    years = (Callout(here, "2004", (3,)), Callout(here, "1999", (1,)), Callout(here, "2010", (2,)))
    manuscript = Manuscript("m.txt", refs, years)
    assert [f for f in run(Project(manuscript)) if f.rule == "citation-order"] == []
    numbers = (Callout(here, "[3]", (3,)), Callout(here, "[1]", (1,)), Callout(here, "[2]", (2,)))
    manuscript = Manuscript("m.txt", refs, numbers)
    (finding,) = [f for f in run(Project(manuscript)) if f.rule == "citation-order"]
    assert finding.reference == 3  # cited before [1] and [2]: the one out of place


def test_each_name_is_looked_for_in_its_own_place_first():
    same = (Author("Allendorf", "TD"), Author("Allendorf", "JJ"))
    assert mention_problem("Allendorf & Allendorf", same) is None
    compound = (Author("Naughton-Treves", "L"), Author("Treves", "A"))
    assert mention_problem("Naughton-Treves & Treves", compound) is None


def test_a_second_name_that_is_a_given_name_says_so():
    zhu = (Author("Zhu", "Li"), Author("Wang", "Chen"))
    message, suggestion, severity = mention_problem("Zhu and Chen", zhu)
    assert "given name of the second author, Wang Chen" in message
    assert severity == Severity.WARNING and suggestion == "write 'Zhu and Wang'"


def test_one_reference_cited_early_is_one_citation_order_finding():
    names = "Wu Adams Li Brown Zhou Khan Ito Smith Park Baker Lopez Chen".split()
    refs = tuple(entry(n, name) for n, name in enumerate(names, start=1))
    text = "A [1]. B [2]. C [12]. " + " ".join(f"D [{n}]." for n in range(3, 12))
    manuscript = Manuscript("m.txt", refs, tuple(scan_callouts(text, "m.txt")))
    (finding,) = [f for f in run(Project(manuscript)) if f.rule == "citation-order"]
    assert finding.reference == 12 and "first cited before [3]" in finding.message


def test_an_alphabetical_numbered_list_is_not_judged_by_citation_order():
    names = sorted(f"{a}son" for a in "ABCDEFGHIJKL")
    refs = tuple(entry(n, name) for n, name in enumerate(names, start=1))
    text = " ".join(f"X [{n}]." for n in (5, 2, 9, 1, 12, 3, 4, 6, 7, 8, 10, 11))
    manuscript = Manuscript("m.txt", refs, tuple(scan_callouts(text, "m.txt")))
    assert [f for f in run(Project(manuscript)) if f.rule == "citation-order"] == []
