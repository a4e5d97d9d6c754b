"""Text/Markdown numbered manuscripts: citation forms seen in real files, non-citations, list edges."""

from __future__ import annotations

import time

from citecheck.citations.callouts import scan_callouts, sentence_span
from citecheck.readers.text import read_text

LIST = "\n".join(
    f"{n}. Author{chr(64 + n)} A, Other B. Title number {n}. J Biol. 20{n:02d};{n}:1-9."
    for n in range(1, 9)
)


def numbers(text: str) -> list[tuple[int, ...]]:
    return [c.numbers for c in read_text(text, "m.md").callouts]


def test_endnote_markdown_anchor_links_are_citations() -> None:
    body = (
        "Taxa were unknown ([1](#_ENREF_1)) and designs grew ([7](#_ENREF_7), [8](#_ENREF_8)).\n"
        "Platforms ([e.g. 6](#_ENREF_6)) and aligners ([3-5](#_ENREF_3)) differ. See [2](#fig2).\n"
    )
    listed = "\n".join(
        f'<span id="_ENREF_{n}" class="anchor"></span>{n}. **Smith{chr(64 + n)}, J., and K.\n'
        f"Jones.** 2010. Title {n} of a study. Journal of Bacteriology\n**180:**366-76.\n"
        for n in range(1, 9)
    )
    manuscript = read_text(body + "\n### References\n\n" + listed + "\n\n**Table 3. Summary**\n"
                           "| a | b |\n", "k.md")  # fmt: skip
    assert [c.numbers for c in manuscript.callouts] == [(1,), (7, 8), (6,), (3, 4, 5)]
    # One entry per number: bold markers and anchors are gone, the table after is not a ref.
    assert [r.number for r in manuscript.references] == list(range(1, 9))
    assert manuscript.references[0].volume == "180"
    assert "Table" not in manuscript.references[-1].raw


def test_science_style_parentheses_when_the_document_cites_that_way() -> None:
    body = (
        "Sequencing changed ecology (1). Pyrosequencing dominated (2, 3), then Illumina (4-6).\n"
        "We measured (1) depth and (2) error, see Eq. (3) and Figure (2), with n (7) in 2010\n"
        "(2010). Errors fell (7).\n"
    )
    assert numbers(body + "\nReferences\n" + LIST) == [(1,), (2, 3), (4, 5, 6), (7,)]


def test_parentheses_are_not_citations_in_a_bracket_manuscript() -> None:
    body = "Cells grew [1], as expected (2). Others agree [3-4] and [5].\n"
    assert numbers(body + "\nReferences\n" + LIST) == [(1,), (3, 4), (5,)]


def test_intervals_vectors_indexes_links_and_exponents_are_not_citations() -> None:
    body = (
        "Scores lie in [0, 1] and v = [0;0;1] while x[0] is first. Document [2024](https://x.org)\n"
        "and doc [2024] are not cited. Areas of 5 µm² and 10⁶ cells, x² + y²; grew 10^6^ fold.\n"
        "Repair is known.^1,2^ As shown before [3].\n"
        "```\nmatrix[4] = [1, 2]\n```\nInline `a[5]` code and $x[6]$ math.\n"
    )
    assert numbers(body + "\nReferences\n" + LIST) == [(1, 2), (3,)]


def test_numbered_list_of_twelve_thousand_entries_and_five_digit_callouts() -> None:
    n = 12_000
    entries = "\n".join(f"[{i}] Smith J. Title {i}. Nature. 2001;{i}:1-2." for i in range(1, n + 1))
    manuscript = read_text(
        f"Known [9999] and [10000] and [12000].\n\nReferences\n{entries}\n", "b.txt"
    )
    assert len(manuscript.references) == n
    assert manuscript.references[-1].number == n
    assert [c.numbers for c in manuscript.callouts] == [(9999,), (10000,), (12000,)]


def test_chinese_list_without_a_heading_is_found() -> None:
    text = (
        "椎间盘退变是常见病[1]。外泌体可以延缓退变[2-3]。\n\n"
        "[1] 周荣耀, 王明. 椎间盘退变的机制[J]. 中华骨科杂志, 2020, 40(3): 12-18.\n"
        "[2] Cheng X, Zhang G. Exosomes in disc degeneration[J]. J Cell Mol Med, 2018, 22: 261.\n"
        "[3] 李华. 干细胞外泌体研究进展[J]. 生物工程学报, 2019, 35(2): 100-110.\n"
    )
    manuscript = read_text(text, "thesis.txt")
    assert [r.number for r in manuscript.references] == [1, 2, 3]
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3)]


def test_unnumbered_apa_list_one_entry_per_line_is_never_merged() -> None:
    entries = "\n".join(
        f"Smith{chr(65 + i % 26)}, J., & Jones, K. ({2000 + i}). Study number {i} of cells. "
        f"Journal of Biology, {i + 1}(2), 10-20." for i in range(121)
    )  # fmt: skip
    manuscript = read_text("Cells grow (SmithA & Jones, 2000).\n\nReferences\n" + entries, "a.txt")
    assert len(manuscript.references) == 121
    assert not manuscript.numbered  # citation order is never judged on author-year


def test_sentence_spans_are_linear_in_callouts_per_paragraph() -> None:
    def run(count: int) -> float:
        text = " ".join(f"word [{i % 50 + 1}]" for i in range(count)) + "."
        started = time.perf_counter()
        callouts = scan_callouts(text, "p.txt")
        assert len(callouts) == count
        return time.perf_counter() - started

    small, large = run(800), run(8_000)
    assert large < 20 * small + 0.5  # linear (10x input) with slack; quadratic would be ~100x
    text = "One. Two [1] here. Three."
    assert text[slice(*sentence_span(text, 9, 12))].strip() == "Two [1] here."


def test_author_year_twins_absent_works_and_no_citation_order() -> None:
    from citecheck.model import Project
    from citecheck.rules import run

    text = (
        "Aligners differ (Schloss, 2010b). Filtering helps (Schloss, 2010a; Quince et al., 2011).\n"
        "Chimeras abound (Haas et al., 2011) and (Edgar et al., 2011).\n\n"
        "References\n\n"
        "Quince C, Lanzen A, Davenport RJ. 2011. Removing noise. BMC Bioinformatics 12:38.\n\n"
        "Schloss PD. 2010a. The effects of alignment quality. PLoS Comput Biol 6:e1000844.\n\n"
        "Schloss PD. 2010b. A high-throughput aligner. PLoS ONE 5:e8230.\n\n"
        "Haas BJ, Gevers D, Earl AM. 2011. Chimeric sequence formation. Genome Res 21:494-504.\n"
    )
    manuscript = read_text(text, "ay.md")
    assert not manuscript.numbered
    linked = [(c.text, c.numbers) for c in manuscript.callouts]
    assert linked == [
        ("Schloss, 2010b", (3,)),
        ("Schloss, 2010a", (2,)),
        ("Quince et al., 2011", (1,)),
        ("Haas et al., 2011", (4,)),
        ("Edgar et al., 2011", ()),
    ]
    found = {(f.rule, f.bib_key or f.reference) for f in run(Project(manuscript))}
    assert ("missing-reference", "Edgar et al., 2011") in found  # cited, absent from the list
    assert not any(rule == "citation-order" for rule, _ in found)


def test_markdown_lists_numbered_one_one_one_and_other_headings() -> None:
    entries = "\n".join(
        f"1. Author{chr(65 + n)} J. Title {n}. Nature. 2001;{n}:1." for n in range(4)
    )
    manuscript = read_text(f"Known [4] and [2].\n\n## References and Notes\n\n{entries}\n", "m.md")
    assert [r.number for r in manuscript.references] == [1, 2, 3, 4]
    assert [c.numbers for c in manuscript.callouts] == [(4,), (2,)]
    german = read_text(f"Bekannt [1].\n\nLiteratur\n{entries}\n", "m.md")
    assert len(german.references) == 4


def test_parenthesised_numbers_past_the_list_are_not_citations() -> None:
    body = "Cells grew (1). Mice lived (2, 3) and aged (4). Samples were pooled (120).\n"
    assert numbers(body + "\nReferences\n" + LIST) == [(1,), (2, 3), (4,)]


def test_apa_lines_starting_with_organisations_are_entries_too() -> None:
    text = (
        "Guidance exists (World Health Organization, 2020; Smith & Jones, 2019).\n\n"
        "References\n"
        "Smith, J., & Jones, K. (2019). Cell growth in culture. Journal of Cells, 4(2),\n"
        "10-20. https://doi.org/10.1/abc\n"
        "World Health Organization. (2020). Guidance on cell culture. WHO Press.\n"
    )
    manuscript = read_text(text, "apa.txt")
    assert len(manuscript.references) == 2
    assert all(c.numbers for c in manuscript.callouts)


def test_back_matter_after_the_list_is_not_part_of_the_last_entry() -> None:
    text = (
        "Known [1] and [2].\n\nReferences\n"
        "1. Smith J. Title one. Nature. 2001;1:1-2.\n"
        "2. Jones K. Title two. Cell. 2002;2:3-4.\n\n"
        "Acknowledgements\n\nWe thank the Funding Agency for grants 123 and 456.\n"
    )
    manuscript = read_text(text, "m.txt")
    assert "thank" not in manuscript.references[-1].raw
