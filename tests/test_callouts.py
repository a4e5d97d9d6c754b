"""The citation scanner: forms, expansion, sentences, author mentions, tables, and fuzzing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.callouts import expand, scan_callouts


def scan(text: str):
    return scan_callouts(text, "m.txt")


def test_forms_and_expansion():
    text = "Pain is common [1-2]. Repair [3,5] and more^[7–9]. Tables[23][26][27]. Sup¹⁻³ here."
    found = [(c.text, c.numbers) for c in scan(text)]
    assert found == [
        ("[1-2]", (1, 2)),
        ("[3,5]", (3, 5)),
        ("^[7–9]", (7, 8, 9)),
        ("[23][26][27]", (23, 26, 27)),
        ("¹⁻³", (1, 2, 3)),
    ]


def test_location_is_one_based_line_and_column():
    callouts = scan("first line\nsecond [4] here")
    assert callouts[0].location.line == 2
    assert callouts[0].location.column == 8


def test_malformed_callouts_carry_a_problem():
    backwards, zero = scan("Wrong [9-3]. Also [0].")
    assert "backwards" in backwards.problem and backwards.numbers == ()
    assert zero.problem and zero.numbers == ()


def test_affiliation_marks_are_not_citations():
    text = "侯佩宏^{1,2}, 崔钰惠^{1,3}\n\n¹解放军医学院, 北京; ²解放军总医院"
    assert scan(text) == []


def test_author_mentions_english_and_chinese():
    text = (
        "Cheng 等^[26]发现，外泌体有效。Lu等^[49]的研究证实。周荣耀等^[50]发现尿液。CUI等^[54]发现。"
        "\n\nZhu and Chen [23] showed repair. Smith et al. [4] found more. Exosomes [13] are small."
    )
    mentions = [c.author_mention for c in scan(text)]
    assert mentions == ["Cheng", "Lu", "周荣耀", "CUI", "Zhu and Chen", "Smith", ""]


def test_lists_with_deng_are_not_author_mentions():
    # "血液、乳汁等" means "blood, milk, etc.", not an author called 乳汁.
    (callout,) = scan("外泌体存在于血液、乳汁等^[13]。")
    assert callout.author_mention == ""


def test_sentence_is_the_citing_sentence_only():
    text = "First claim here^[1]。Second claim with Tao 等^[32]发现 miR-199a 有效。Third."
    first, second = scan(text)
    assert first.sentence == "First claim here^[1]。"
    assert second.sentence.startswith("Second claim") and "Third" not in second.sentence


def test_english_sentence_split_respects_et_al():
    text = "Smith et al. [4] showed repair. Then Jones et al. [5] found more."
    a, b = scan(text)
    assert a.sentence == "Smith et al. [4] showed repair."
    assert b.sentence == "Then Jones et al. [5] found more."


def test_table_rows_are_not_running_text():
    text = "Body text [1].\n\n表 1 Mechanisms\n抑制细胞凋亡\t骨髓间充质干细胞\t[23][26]\n"
    body, row = scan(text)
    assert body.in_running_text and not row.in_running_text
    assert row.sentence.startswith("抑制细胞凋亡")


def test_seed_callouts(seed_text):
    body = seed_text[: seed_text.rindex("参考文献")]
    callouts = scan(body)
    cited = {n for c in callouts for n in c.numbers}
    assert cited == set(range(1, 56))
    tao = next(c for c in callouts if c.author_mention == "Tao")
    assert tao.numbers == (32,)
    table = [c for c in callouts if not c.in_running_text]
    assert len(table) == 11 and table[0].numbers[:3] == (23, 26, 27)
    assert not any(c.problem for c in callouts)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_scanner_never_raises(text):
    for c in scan(text):
        assert c.location.line >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["[", "]", "^", "1", "-", ",", "9", " ", "等", "et al.", "\n", "。", "¹", "⁻", "\t"]
        ),
        max_size=60,
    )
)
def test_scanner_never_raises_on_citation_soup(parts):
    scan("".join(parts))


def test_expand_rejects_huge_ranges():
    numbers, problem = expand("1-9999")
    assert numbers == () and "implausibly" in problem


def test_sentence_cut_by_a_table_is_read_on_after_it():
    text = "Chen 等^[27]的研究证实外泌体\n\n表 1 机制\n凋亡\t骨髓\t[23]\n\n通过 miR-155-5p 抑制凋亡。Next one^[28]。"
    first = scan(text)[0]
    assert first.sentence == "Chen 等^[27]的研究证实外泌体通过 miR-155-5p 抑制凋亡。"


def test_no_continuation_into_a_heading():
    (callout,) = scan("Something cited^[1]\n\n3.1 Next section\n\nBody.")
    assert callout.sentence == "Something cited^[1]"


def test_ranges_and_lists_across_bracket_groups():
    found = [(c.text, c.numbers) for c in scan("Seen before [4]–[7] and [9], [11].")]
    assert found == [("[4]–[7]", (4, 5, 6, 7)), ("[9], [11]", (9, 11))]


def test_statistics_in_brackets_are_not_citations():
    assert scan("The effect was large (F[1,12] = 8.42, p < 0.05).") == []


def test_semicolons_inside_parentheses_do_not_end_the_sentence():
    (callout,) = scan("Levels rose (see Hites; Law et al.) as shown [3]. Next sentence.")
    assert callout.sentence == "Levels rose (see Hites; Law et al.) as shown [3]."


def test_incomplete_ranges_are_problems():
    numbers, problem = expand("1-, 3")
    assert numbers == (3,) and "incomplete range" in problem
    assert expand("-")[1] and expand("1-2-3")[1]


def test_two_capitalised_words_are_authors_only_where_authors_stand():
    mentions = [
        c.author_mention
        for c in scan(
            "Outbreaks occurred in Mauritania and Senegal [31]. Zhu and Chen [23] showed repair. "
            "Smith and Jones [4] is a review. The lipases LipW and LipY [52] are secreted."
        )
    ]
    assert mentions == ["", "Zhu and Chen", "Smith and Jones", ""]


def test_a_bracket_after_a_one_letter_symbol_is_an_index_not_a_citation():
    """PCA components "t[1]", "p[1]" (MDPI), array elements "x[2]"; "data[3]" still cites."""
    assert scan("components (t[1] and t[2], as defined) and p[1] loadings, x[2].") == []
    assert [c.numbers for c in scan("as the data[3] show and Lu 等^[4] found")] == [(3,), (4,)]
