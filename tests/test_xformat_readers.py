"""Reader fixes found by comparing Pandoc renderings of one manuscript (tests/test_xformat.py):
JATS without xrefs, a bibliography Pandoc printed into Markdown, citeproc's unfound keys,
"X et al." naming a later author, year-only xrefs, and one work lettered 2010a/2010b."""

from __future__ import annotations

from pathlib import Path

from citecheck.config import Config
from citecheck.readers import read_manuscript
from citecheck.readers.jats import read_jats
from citecheck.readers.text import read_text
from citecheck.workflow import run_check

ENTRY_1 = "Holloszy JO. Biochemical adaptations in muscle. J Biol Chem. 1967;242(9):2278-82."
ENTRY_2 = (
    "Egan B, Zierath JR. Exercise metabolism and the molecular regulation of skeletal muscle "
    "adaptation. Cell Metab. 2013;17(2):162-84. doi:10.1016/j.cmet.2012.12.012"
)
ENTRY_3 = (
    "Buxton OM, Cain SW, O'Connor SP. Adverse metabolic consequences in humans of prolonged "
    "sleep restriction. Sci Transl Med. 2012;4(129):129ra43."
)


def _jats(body: str, refs: list[str]) -> str:
    listed = "".join(
        f'<ref id="ref-{i}"><mixed-citation>{text}</mixed-citation></ref>'
        for i, text in enumerate(refs, start=1)
    )
    return f"<article><body><sec><p>{body}</p></sec></body><back><ref-list>{listed}</ref-list></back></article>"


def test_jats_without_xrefs_reads_the_printed_numbers() -> None:
    """Pandoc's JATS (no link-citations) prints "(1)" as text: before, every entry was uncited."""
    xml = _jats(
        "Mitochondria adapt to training (1). The pathways are known (1,2), and sleep "
        "restriction opposes them (3).",
        [f"1. {ENTRY_1}", f"2. {ENTRY_2}", f"3. {ENTRY_3}"],
    )
    manuscript = read_jats(xml, "a.xml")
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1,), (1, 2), (3,)]
    assert all(c.location.line == 1 for c in manuscript.callouts)  # the paragraph's line


def test_jats_without_xrefs_reads_author_year_text() -> None:
    xml = _jats(
        "Glucose rose after restriction (Buxton et al., 2012) and fell after rest.",
        [ENTRY_3.replace("2012;", "2012. ").replace("Buxton OM,", "Buxton, O. M., (2012).")],
    )
    manuscript = read_jats(xml, "a.xml")
    assert not manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1,)]


def test_jats_year_only_xref_takes_the_names_before_it() -> None:
    xml = (
        '<article><body><p>Cain et al. (<xref ref-type="bibr" rid="r1">2012</xref>) '
        'restricted sleep.</p></body><back><ref-list><ref id="r1"><mixed-citation>'
        "Buxton, O. M., Cain, S. W., &amp; O'Connor, S. P. (2012). Adverse metabolic "
        "consequences. Science Translational Medicine, 4, 129ra43.</mixed-citation></ref>"
        "</ref-list></back></article>"
    )
    (callout,) = read_jats(xml, "a.xml").callouts
    assert callout.author_mention == "Cain et al."


FENCED = f"""Training raises mitochondrial content (1), through known pathways (2), unless
sleep is short (3).

# References {{#references .unnumbered}}

::: {{#refs .references .csl-bib-body}}
::: {{#ref-holloszy1967 .csl-entry}}
[1. ]{{.csl-left-margin}}[{ENTRY_1}]{{.csl-right-inline}}
:::

::: {{#ref-egan2013 .csl-entry}}
[2. ]{{.csl-left-margin}}[{ENTRY_2.replace("doi:10.1016/j.cmet.2012.12.012", "doi:[10.1016/j.cmet.2012.12.012](https://doi.org/10.1016/j.cmet.2012.12.012)")}]{{.csl-right-inline}}
:::

::: {{#ref-buxton2012 .csl-entry}}
[3. ]{{.csl-left-margin}}[{ENTRY_3.replace("restriction", "[restriction]{{.nocase}}")}]{{.csl-right-inline}}
:::
:::
"""


def test_markdown_with_a_printed_csl_bibliography_is_a_printed_list(tmp_path: Path) -> None:
    """Quarto/R Markdown `md` output: the refs div is filled, so it is not a Pandoc source."""
    path = tmp_path / "paper.md"
    path.write_text(FENCED, encoding="utf-8")
    manuscript = read_manuscript(str(path))
    assert [r.number for r in manuscript.references] == [1, 2, 3]
    assert manuscript.references[0].authors[0].family == "Holloszy"
    assert manuscript.references[1].doi == "10.1016/j.cmet.2012.12.012"
    assert "restriction" in manuscript.references[2].title
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2,), (3,)]


def test_markdown_strict_csl_spans_and_divs_are_typography() -> None:
    text = (
        "Training raises mitochondrial content (1), through known pathways (2).\n\n# References\n\n"
        '<div id="refs" class="references csl-bib-body">\n\n<div id="ref-a" class="csl-entry">\n\n'
        f'<span class="csl-left-margin">1. </span><span class="csl-right-inline">{ENTRY_1}</span>\n\n'
        '</div>\n\n<div id="ref-b" class="csl-entry">\n\n'
        f'<span class="csl-left-margin">2. </span><span class="csl-right-inline">{ENTRY_2}</span>\n\n'
        "</div>\n\n</div>\n"
    )
    manuscript = read_text(text, "p.md")
    assert manuscript.numbered
    assert [r.container for r in manuscript.references] == ["J Biol Chem", "Cell Metab"]


def test_citeprocs_unfound_key_is_a_missing_reference_and_spares_its_neighbours() -> None:
    text = (
        "Training adapts muscle (1). Volume predicts the gain (2,chen2020volume?). Is it "
        "dose? (why?) Or seasonal (H1N1?), (COVID-19?)? Sleep matters (3).\n\n"
        f"References\n\n1. {ENTRY_1}\n\n2. {ENTRY_2}\n\n3. {ENTRY_3}\n"
    )
    manuscript = read_text(text, "p.txt")
    assert [(c.numbers, c.keys) for c in manuscript.callouts] == [
        ((1,), ()),
        ((2,), ()),
        ((), ("chen2020volume",)),
        ((3,), ()),
    ]


def test_unfound_key_in_author_year_text(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text(
        "Shift workers fare worse (morikawa2013?), and so on (Buxton et al., 2012).\n\n"
        "References\n\nBuxton, O. M., Cain, S. W., & O'Connor, S. P. (2012). Adverse metabolic "
        "consequences in humans. Science Translational Medicine, 4(129), 129ra43.\n",
        encoding="utf-8",
    )
    result = run_check(Config(), manuscript=str(path), lock_path=str(tmp_path / "no.lock"))
    missing = [f for f in result.findings if f.rule == "missing-reference"]
    assert [f.bib_key or f.found for f in missing] == ["morikawa2013"]


AUTHOR_YEAR = """Restriction raised glucose, as Cain et al. (2012) found; {extra}

References

Buxton, O. M., Cain, S. W., & O'Connor, S. P. (2012). Adverse metabolic consequences in humans of prolonged sleep restriction. Science Translational Medicine, 4(129), 129ra43.

{second}
"""
TWIN = (
    "Porter, J. H., Cain, S. W., & Duffy, J. F. (2012). Circadian misalignment and appetite. "
    "Sleep, 35(4), 100-110."
)


def test_et_al_naming_a_later_author_links_the_one_entry_that_has_them(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text(AUTHOR_YEAR.format(extra="", second=""), encoding="utf-8")
    result = run_check(Config(), manuscript=str(path), lock_path=str(tmp_path / "no.lock"))
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["author-mention-mismatch"]  # info: Cain is the second author


def test_et_al_naming_a_later_author_of_two_entries_links_neither(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    text = AUTHOR_YEAR.format(extra="both were cited (Porter et al., 2012).", second=TWIN)
    path.write_text(text, encoding="utf-8")
    manuscript = read_manuscript(str(path))
    cain = next(c for c in manuscript.callouts if c.author_mention.startswith("Cain"))
    assert cain.numbers == ()


def test_one_doi_lettered_2010a_and_2010b_is_a_duplicate(tmp_path: Path) -> None:
    entry = (
        "Cappuccio, F. P., & Miller, M. A. (2010{}). Sleep duration and all-cause mortality. "
        "Sleep, 33(5), 585-592. https://doi.org/10.1093/sleep/33.5.585"
    )
    path = tmp_path / "p.txt"
    path.write_text(
        "Short sleep kills (Cappuccio & Miller, 2010a), so does long sleep "
        f"(Cappuccio & Miller, 2010b).\n\nReferences\n\n{entry.format('a')}\n\n{entry.format('b')}\n",
        encoding="utf-8",
    )
    result = run_check(Config(), manuscript=str(path), lock_path=str(tmp_path / "no.lock"))
    assert [f.rule for f in result.findings if f.severity.label != "info"] == [
        "duplicate-reference"
    ]


GBT_ENTRIES = (
    "[1] 张伟, 李明, 王芳. 骨髓间充质干细胞来源外泌体对椎间盘退变的保护作用[J]. 中华骨科杂志, "
    "2019, 39(12): 745-752.\n\n"
    "[2] XIANG H, SU W, WU X, 等. Exosomes derived from human urine-derived stem cells "
    "inhibit intervertebral disc degeneration[J/OL]. Oxidative Medicine and Cellular "
    "Longevity, 2020, 2020: 6697577. DOI:10.1155/2020/6697577.\n\n"
    "[3] LIAO Z, LUO R, LI G, 等. Exosomes from mesenchymal stem cells modulate endoplasmic "
    "reticulum stress[J]. Theranostics, 2019, 9(14): 4084-4100.\n"
)


def test_pandoc_written_superscripts_read_as_typed_ones() -> None:
    """Pandoc Markdown escapes "^\\[5\\]^", its plain text writes "^([5])": both are "^[5]",
    author mention included, and columns stay where they were."""
    escaped = GBT_ENTRIES.replace("[", "\\[").replace("]", "\\]")  # Pandoc Markdown
    for cite, entries in (("^\\[{}\\]^", escaped), ("^([{}])", GBT_ENTRIES)):
        text = (
            f"外泌体可减轻退变{cite.format(1)}。尿源干细胞外泌体同样有效{cite.format(2)}。"
            f"Luo 等{cite.format(3)}证实外泌体可调节内质网应激，尚待验证{cite.format('zhao2022?')}。"
            f"\n\n参考文献\n\n{entries}"
        )
        manuscript = read_text(text, "p.md")
        assert [(c.numbers, c.keys) for c in manuscript.callouts] == [
            ((1,), ()),
            ((2,), ()),
            ((3,), ()),
            ((), ("zhao2022",)),
        ], cite
        assert manuscript.callouts[2].author_mention == "Luo"
        assert manuscript.callouts[2].location.column == text.index(cite.format(3)) + 1


def test_gbt_volume_named_after_its_year_is_no_journal_name() -> None:
    manuscript = read_text(f"正文^[1-3]^。\n\n参考文献\n\n{GBT_ENTRIES}", "p.txt")
    xiang = manuscript.references[1]
    assert (xiang.container, xiang.year, xiang.volume, xiang.article_number) == (
        "Oxidative Medicine and Cellular Longevity",
        2020,
        "2020",
        "6697577",
    )


def test_word_author_year_naming_a_later_author_links_the_entry() -> None:
    """The Word rendering of the author-year manuscript: 'Cain et al. (2012)' cites the 2012
    entry whose second author is Cain (before: a missing reference plus an uncited entry)."""
    from xformat_support import RENDERED

    manuscript = read_manuscript(str(RENDERED / "sleep.docx"))
    cain = next(c for c in manuscript.callouts if c.text.startswith("Cain"))
    (entry,) = [r for r in manuscript.references if r.number in cain.numbers]
    assert entry.authors[0].family == "Buxton" and cain.author_mention == "Cain"


def test_word_reads_citeprocs_unfound_key() -> None:
    """The Word rendering of the numbered manuscript: '(13,chen2020volume?)' cites 13 and the
    key the .bib lacks (before: 13 looked uncited and the missing key was lost)."""
    from xformat_support import RENDERED

    for name in ("muscle.docx", "muscle.linked.docx"):
        manuscript = read_manuscript(str(RENDERED / name))
        assert any(c.keys == ("chen2020volume",) for c in manuscript.callouts), name
        assert any(13 in c.numbers for c in manuscript.callouts), name


def test_word_link_inside_brackets_keeps_the_author_mention() -> None:
    """'Puigserver et al. (<link>5</link>)', 'Cain et al. (<link>2012</link>)': Pandoc links
    only the number or year; the mention before the bracket is still read."""
    from xformat_support import RENDERED

    for name, text, mention in (
        ("muscle.linked.docx", "(5)", "Puigserver"),
        ("sleep.linked.docx", "(2012)", "Cain"),
    ):
        manuscript = read_manuscript(str(RENDERED / name))
        assert any(c.text == text and c.author_mention == mention for c in manuscript.callouts), (
            name
        )
