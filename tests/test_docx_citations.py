"""Word citations however Word holds them: Pandoc links, Zotero/Mendeley/EndNote fields,
footnotes, Science-style (1-4), superscripts that are not citations, unnumbered lists.

Field-code documents are written here as raw WordprocessingML (what Word saves); the two
Pandoc documents in tests/fixtures/docx were rendered from pandoc-cited.md + pandoc-cited.bib
with `pandoc --citeproc -M link-citations=true` (numbered: `--csl` NLM citation-sequence).
"""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from citecheck.config import Config
from citecheck.readers.docx import read_docx
from citecheck.readers.errors import ReaderError
from citecheck.workflow import run_check

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def make_docx(path: Path, body: str, footnotes: str = "") -> Path:
    """A minimal .docx: document.xml with `body`, optionally footnotes.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        if footnotes:
            z.writestr("word/footnotes.xml", f"<w:footnotes {NS}>{footnotes}</w:footnotes>")
    return path


def p(*runs: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def t(text: str, superscript: bool = False) -> str:
    rpr = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>' if superscript else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def field(instruction: str, shown: str, data: str = "") -> str:
    """A complex field; the instruction split over two runs, as Word often does."""
    half = len(instruction) // 2
    begin = f"<w:fldData>{data}</w:fldData>" if data else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin">{begin}</w:fldChar></w:r>'
        f"<w:r><w:instrText>{escape(instruction[:half])}</w:instrText></w:r>"
        f"<w:r><w:instrText>{escape(instruction[half:])}</w:instrText></w:r>"
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{t(shown)}'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def csl_field(items: list[dict], shown: str, zotero: bool = True) -> str:
    code = {"citationItems": [{"id": i, "itemData": item} for i, item in enumerate(items)]}
    prefix = "ADDIN ZOTERO_ITEM CSL_CITATION " if zotero else "ADDIN CSL_CITATION "
    return field(prefix + json.dumps(code), shown)


SMITH = {
    "type": "article-journal",
    "title": "Gut bacteria in colon cancer",
    "author": [{"family": "Smith", "given": "Anna"}, {"family": "Jones", "given": "Bo"}],
    "container-title": "Gut",
    "issued": {"date-parts": [["2019"]]},
    "volume": "68",
    "page": "100-110",
    "DOI": "10.1136/gut-2019-1",
}
LEE = {
    "type": "article-journal",
    "title": "Antibiotics and the murine microbiota",
    "author": [{"family": "Lee", "given": "Chen"}],
    "container-title": "mBio",
    "issued": {"date-parts": [[2020]]},
    "volume": "11",
    "page": "e01234-20",
}


def test_pandoc_numbered_links_name_their_entries() -> None:
    manuscript = read_docx(FIXTURES / "pandoc-numbered.docx")
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1, 2), (3,), (3, 4)]
    assert manuscript.callouts[0].keys[0] == manuscript.references[0].key
    # The hyperlinked DOI inside each entry is read with the entry.
    assert all(ref.doi for ref in manuscript.references)


def test_pandoc_author_year_links_and_no_false_alarms(tmp_path: Path) -> None:
    manuscript = read_docx(FIXTURES / "pandoc-author-year.docx")
    assert not manuscript.numbered
    titles = [
        [ref.title for ref in manuscript.references if ref.key in c.keys]
        for c in manuscript.callouts
    ]
    assert titles[1] == ["The Gut Microbiome Modulates Colon Tumorigenesis"]
    assert len(titles[0]) == 2 and len(titles[2]) == 2
    result = run_check(
        Config(),
        manuscript=str(FIXTURES / "pandoc-author-year.docx"),
        lock_path=str(tmp_path / "absent.lock.json"),
    )
    citing = {"missing-reference", "uncited-reference", "author-mention-mismatch"}
    assert not [f for f in result.findings if f.rule in citing]


def test_zotero_fields_and_bibliography_field_use_the_embedded_items(tmp_path: Path) -> None:
    body = p(
        t("Bacteria matter "),
        csl_field([SMITH], "(Smith and Jones 2019)"),
        t(". More so "),
        csl_field([SMITH, LEE], "(Smith and Jones 2019; Lee 2020)"),
        t("."),
    ) + p(
        field(
            'ADDIN ZOTERO_BIBL {"uncited":[]} CSL_BIBLIOGRAPHY',
            "Lee C. 2020. Antibiotics and the murine microbiota. mBio 11:e01234-20.",
        )
    )
    manuscript = read_docx(make_docx(tmp_path / "z.docx", body))
    assert not manuscript.numbered
    assert [r.title for r in manuscript.references] == [SMITH["title"], LEE["title"]]
    first, second = manuscript.callouts
    assert first.keys == (manuscript.references[0].key,)
    assert second.keys == tuple(r.key for r in manuscript.references)
    assert manuscript.references[0].doi == "10.1136/gut-2019-1"


def test_mendeley_item_ids_repeat_so_items_are_told_apart_by_content(tmp_path: Path) -> None:
    body = p(
        t("One "),
        csl_field([SMITH], "(Smith, 2019)", zotero=False),
        t(" two "),
        csl_field([LEE], "(Lee, 2020)", zotero=False),
    )
    manuscript = read_docx(make_docx(tmp_path / "m.docx", body))
    # Both fields call their item "ITEM-0"/"0": still two works.
    assert len(manuscript.references) == 2
    assert manuscript.callouts[0].keys != manuscript.callouts[1].keys


def test_malformed_field_code_never_crashes(tmp_path: Path) -> None:
    body = p(
        t("Broken "),
        field('ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": [ {', "(Smith 2019)"),
        t(" and "),
        field("ADDIN EN.CITE <EndNote><Cite><RecNum>", "(3)"),
        t(" and "),
        field("ADDIN EN.CITE ", "(4)", data="!!!not base64!!!"),
    )
    body += p(t("References")) + p(t("1. Smith A. Gut bacteria. Gut. 2019;68:100-10."))
    manuscript = read_docx(make_docx(tmp_path / "bad.docx", body))
    assert [r.number for r in manuscript.references] == [1]  # the printed list, no items


def endnote_xml(recnum: int, author: str, title: str, year: int, display: str) -> str:
    return (
        f"<EndNote><Cite><Author>{author}</Author><Year>{year}</Year><RecNum>{recnum}</RecNum>"
        f"<DisplayText>{display}</DisplayText><record><rec-number>{recnum}</rec-number>"
        '<ref-type name="Journal Article">17</ref-type><contributors><authors>'
        f"<author>{author}, A. B.</author></authors></contributors><titles><title>{title}</title>"
        "<secondary-title>J Bact</secondary-title></titles><pages>1-9</pages><volume>5</volume>"
        f"<dates><year>{year}</year></dates><electronic-resource-num>10.1000/{recnum}"
        "</electronic-resource-num></record></Cite></EndNote>"
    )


def test_endnote_fields_plain_and_base64_link_to_the_numbered_reflist(tmp_path: Path) -> None:
    first = endnote_xml(7, "Vollaard", "Colonization resistance", 1994, "(1)")
    second = endnote_xml(9, "Chang", "Decreased diversity of the fecal microbiome", 2008, "(2)")
    data = base64.b64encode(second.encode() + b"\x00").decode()
    nested = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> ADDIN EN.CITE </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="begin"><w:fldData>{data}</w:fldData></w:fldChar></w:r>'
        '<w:r><w:instrText> ADDIN EN.CITE.DATA </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{t("(2)")}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    body = (
        p(t("Introduction"))
        + p(
            t("Resistance "), field("ADDIN EN.CITE " + first, "(1)"), t(" is lost "), nested, t(".")
        )
        + p(t("References"))
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> ADDIN EN.REFLIST </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + t("1. Vollaard, E. 1994. Colonization resistance. J Bact 5:1-9.")
        + "</w:p>"
        + p(t("2. Chang, J. Y. 2008. Decreased diversity of the fecal microbiome. J Bact 5:1-9."))
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    manuscript = read_docx(make_docx(tmp_path / "en.docx", body))
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2,)]
    assert [(r.number, r.doi) for r in manuscript.references] == [
        (1, "10.1000/7"),
        (2, "10.1000/9"),
    ]
    assert manuscript.references[1].raw.startswith("Chang, J. Y. 2008")


def test_footnote_citations_without_a_list(tmp_path: Path) -> None:
    notes = (
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="2">{p(csl_field([LEE], "Chen Lee, mBio 11 (2020)."))}</w:footnote>'
    )
    body = p(t("A claim."), '<w:r><w:footnoteReference w:id="2"/></w:r>')
    manuscript = read_docx(make_docx(tmp_path / "fn.docx", body, notes))
    assert [r.title for r in manuscript.references] == [LEE["title"]]
    assert manuscript.callouts[0].keys == (manuscript.references[0].key,)
    assert manuscript.callouts[0].location.line == 2  # after the body's one paragraph
    assert manuscript.bibliography_is_database


REFERENCES = [
    "1. Smith A, Jones B. Gut bacteria in colon cancer. Gut. 2019;68:100-10.",
    "2. Lee C. Antibiotics and the murine microbiota. mBio. 2020;11:e01234-20.",
    "3. Wu D. Fungi in the gut. Cell. 2018;170:1-12.",
]


def test_science_style_parentheses_but_not_enumerations(tmp_path: Path) -> None:
    body = (
        p(t("Abstract"))
        + p(t("Bacteria cause tumours (1-3). Antibiotics reduce them (2). Fungi too (e.g., 3)."))
        + p(
            t(
                "We filtered in two steps: (1) rare taxa and (2) short reads (i.e., 20) were removed."
            )
        )
        + p(t("References"))
        + "".join(p(t(entry)) for entry in REFERENCES)
        + p(t("Figure legends"))
        + p(t("Figure 1. Tumours per mouse (n = 12)."))
    )
    manuscript = read_docx(make_docx(tmp_path / "science.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1, 2, 3), (2,), (3,)]
    assert len(manuscript.references) == 3  # the legend is not an entry


def test_title_page_and_statistical_superscripts_are_not_citations(tmp_path: Path) -> None:
    body = (
        p(t("Ann Smith"), t("1,2", True), t(", Bo Jones"), t("3", True))
        + p(t("1", True), t("Department of Medicine"))
        + p(t("Introduction"))
        + p(
            t("Heterogeneity was low (I"),
            t("2", True),
            t(" = 12%), R"),
            t("2", True),
            t(" = 0.9, with 10"),
            t("5", True),
            t(" cells per cm"),
            t("2", True),
            t(". Tumours grow"),
            t("1,2", True),
            t(" and shrink"),
            t("3", True),
            t("."),
        )
        + p(t("References"))
        + "".join(p(t(entry)) for entry in REFERENCES)
    )
    manuscript = read_docx(make_docx(tmp_path / "super.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1, 2), (3,)]
    assert manuscript.callouts[0].text == "[1,2]"
    assert "grow[1,2]" in manuscript.callouts[0].sentence


def test_unnumbered_list_is_one_entry_per_paragraph_and_linked_by_author_year(
    tmp_path: Path,
) -> None:
    entries = [
        "Lee C (2020) Antibiotics and the murine microbiota. mBio 11:e01234-20",
        "Smith A, Jones B (2019) Gut bacteria in colon cancer. Gut 68:100-110",
        "Wu D (2018) Fungi in the gut. Cell 170:1-12",
    ]
    body = (
        p(t("Bacteria matter (Smith and Jones, 2019; Lee, 2020). Wu (2018) disagreed."))
        + p(t("References"), style="Heading1")
        + "".join(p(t(e)) for e in entries)
        + p(t("Tables"), style="Heading1")
        + p(t("Table 1. Mice (Smith and Jones, 2019)."))
    )
    manuscript = read_docx(make_docx(tmp_path / "ay.docx", body))
    assert not manuscript.numbered
    assert [r.authors[0].family for r in manuscript.references] == ["Lee", "Smith", "Wu"]
    linked = [
        [
            manuscript.references[[r.key for r in manuscript.references].index(k)].authors[0].family
            for k in c.keys
        ]
        for c in manuscript.callouts
    ]
    assert linked == [["Smith"], ["Lee"], ["Wu"], ["Smith"]]
    assert manuscript.callouts[-1].in_running_text is False  # after the list: a table


def test_cross_reference_and_hyperlink_fields_to_entry_bookmarks(tmp_path: Path) -> None:
    """Word's REF cross-references and HYPERLINK \\l fields to a bookmarked entry link to it."""
    entries = "".join(
        f'<w:p><w:bookmarkStart w:id="{i}" w:name="_Ref{i}"/>{t(entry)}<w:bookmarkEnd w:id="{i}"/></w:p>'
        for i, entry in enumerate(REFERENCES, start=1)
    )
    body = (
        p(
            t("Tumours ["),
            field(r"REF _Ref2 \h", "2"),
            t("] and fungi ("),
            f'<w:fldSimple w:instr=" HYPERLINK \\l &quot;_Ref3&quot; ">{t("3")}</w:fldSimple>',
            t(")."),
        )
        + p(t("References"))
        + entries
    )
    manuscript = read_docx(make_docx(tmp_path / "xref.docx", body))
    assert [(c.numbers, c.keys) for c in manuscript.callouts] == [
        ((2,), (manuscript.references[1].key,)),
        ((3,), (manuscript.references[2].key,)),
    ]


def test_word_own_citations_name_their_sources(tmp_path: Path) -> None:
    """Word's References > Insert Citation: CITATION fields in content controls, sources in
    customXml, and a BIBLIOGRAPHY field as the list."""
    b = 'xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"'
    sources = (
        f"<b:Sources {b}><b:Source><b:Tag>Smi19</b:Tag><b:SourceType>JournalArticle</b:SourceType>"
        "<b:Author><b:Author><b:NameList><b:Person><b:Last>Smith</b:Last><b:First>Anna</b:First>"
        "</b:Person></b:NameList></b:Author></b:Author><b:Title>Gut bacteria in colon cancer</b:Title>"
        "<b:JournalName>Gut</b:JournalName><b:Year>2019</b:Year><b:Volume>68</b:Volume>"
        "<b:Pages>100-110</b:Pages></b:Source>"
        "<b:Source><b:Tag>WHO20</b:Tag><b:SourceType>Report</b:SourceType><b:Author><b:Author>"
        "<b:Corporate>World Health Organization</b:Corporate></b:Author></b:Author>"
        "<b:Title>Colorectal cancer fact sheet</b:Title><b:Year>2020</b:Year></b:Source></b:Sources>"
    )

    def citation(code: str, shown: str) -> str:
        return f"<w:sdt><w:sdtPr><w:citation/></w:sdtPr><w:sdtContent>{field(code, shown)}</w:sdtContent></w:sdt>"

    body = (
        p(
            t("Bacteria matter "),
            citation(r" CITATION Smi19 \l 1033 ", "[1]"),
            t(" and cost lives "),
            citation(r" CITATION Smi19 \l 1033  \m WHO20", "[1, 2]"),
            t("."),
        )
        + p(t("References"))
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> BIBLIOGRAPHY </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + t("[1] A. Smith, Gut bacteria in colon cancer, Gut, vol. 68, pp. 100-110, 2019.")
        + "</w:p>"
        + p(t("[2] World Health Organization, Colorectal cancer fact sheet, 2020."))
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    path = make_docx(tmp_path / "word.docx", body)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("customXml/item1.xml", sources)
    manuscript = read_docx(path)
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1,), (1, 2)]
    assert [(r.number, r.title) for r in manuscript.references] == [
        (1, "Gut bacteria in colon cancer"),
        (2, "Colorectal cancer fact sheet"),
    ]
    assert manuscript.references[1].authors[0].family == "World Health Organization"


def test_endnotes_holding_references_are_the_numbered_list(tmp_path: Path) -> None:
    notes = "".join(
        f'<w:endnote w:id="{i + 2}">{p(t(entry.split(". ", 1)[1]))}</w:endnote>'
        for i, entry in enumerate(REFERENCES)
    )
    body = p(
        t("Bacteria cause tumours"),
        '<w:r><w:endnoteReference w:id="2"/></w:r>',
        t(" and antibiotics help"),
        '<w:r><w:endnoteReference w:id="3"/></w:r>',
        t("."),
    ) + p(t("Fungi too"), '<w:r><w:endnoteReference w:id="4"/></w:r>', t("."))
    with zipfile.ZipFile(path := tmp_path / "endnotes.docx", "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr(
            "word/endnotes.xml",
            f'<w:endnotes {NS}><w:endnote w:type="separator" w:id="0">'
            f"{p(t(''))}</w:endnote>{notes}</w:endnotes>",
        )
    manuscript = read_docx(path)
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2,), (3,)]
    assert [(r.number, r.year) for r in manuscript.references] == [(1, 2019), (2, 2020), (3, 2018)]
    assert "tumours" in manuscript.callouts[0].sentence


def test_footnote_comments_are_not_a_reference_list(tmp_path: Path) -> None:
    notes = f'<w:footnote w:id="2">{p(t("Smith A. Measured twice. Methods. 2019."))}</w:footnote>'
    body = p(t("A value"), '<w:r><w:footnoteReference w:id="2"/></w:r>', t(" was found [1]."))
    with pytest.raises(ReaderError, match="no reference list"):
        read_docx(make_docx(tmp_path / "fn.docx", body, notes))


def test_same_manuscript_as_markdown_and_as_pandoc_docx_cites_the_same_works() -> None:
    """pandoc-cited.md + .bib, and the two .docx Pandoc rendered from them: same works cited."""
    from citecheck.readers.pandoc import read_pandoc_file

    def cited_dois(manuscript) -> list[list[str]]:
        by_key = {r.key: r for r in manuscript.references}
        by_number = {r.number: r for r in manuscript.references}
        out = []
        for c in manuscript.callouts:
            refs = [by_key[k] for k in c.keys if k in by_key] or [by_number[n] for n in c.numbers]
            out.append(sorted(r.doi.lower() for r in refs))  # DOIs: read from the entries' links
        return out

    markdown = read_pandoc_file(FIXTURES / "pandoc-cited.md", FIXTURES / "pandoc-cited.bib")
    expected = cited_dois(markdown)
    assert len(expected) == 3
    for name in ("pandoc-numbered.docx", "pandoc-author-year.docx"):
        assert cited_dois(read_docx(FIXTURES / name)) == expected, name


def test_science_list_heading_and_table_footnote_marks(tmp_path: Path) -> None:
    table = (
        "<w:tbl><w:tr><w:tc>"
        + p(t("Age"), t("4", True))
        + "</w:tc><w:tc>"
        + p(t("Tumours"), t("2", True))
        + "</w:tc></w:tr></w:tbl>"
    )
    body = (
        p(t("Bacteria cause tumours"), t("1", True), t("."))
        + table
        + p(t("References and Notes"))
        + "".join(p(t(entry)) for entry in REFERENCES)
    )
    manuscript = read_docx(make_docx(tmp_path / "science.docx", body))
    assert len(manuscript.references) == 3
    # "Age⁴" is a table footnote mark (the list stops at 3); "Tumours²" cites entry 2.
    assert [(c.numbers, c.in_running_text) for c in manuscript.callouts] == [
        ((1,), True),
        ((2,), False),
    ]


FIVE = REFERENCES + [
    "4. Kim E. Diet and tumours. Nature. 2017;540:1-5.",
    "5. Ono F. Mice and men. Science. 2016;350:2-9.",
]


def test_narrative_parentheses_glued_and_prefixed_citations(tmp_path: Path) -> None:
    body = (
        p(t("Introduction"))
        + p(
            t("Tumours grow (1). Similarly, (4) find that diet matters in real-world scenarios(5).")
        )
        + p(t("Mice differ (see also 2). We test (1) diet and (2) mice, as in (3)."))
        + p(t("References"))
        + "".join(p(t(entry)) for entry in FIVE)
    )
    manuscript = read_docx(make_docx(tmp_path / "narrative.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1,), (4,), (5,), (2,), (3,)]


def test_pandoc_range_links_code_and_a_list_without_heading(tmp_path: Path) -> None:
    """Pandoc links only the ends of "(2–5)"; code is not prose; the list is styled, with no
    heading (LaTeX sources rendered by Pandoc)."""

    def link(anchor: str, shown: str) -> str:
        return f'<w:hyperlink w:anchor="{anchor}">{t(shown)}</w:hyperlink>'

    code = '<w:r><w:rPr><w:rStyle w:val="VerbatimChar"/></w:rPr><w:t>x[1,2]</w:t></w:r>'
    styles = (
        f"<w:styles {NS}>"
        '<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/></w:style>'
        "</w:styles>"
    )
    entries = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="Bibliography"/></w:pPr><w:bookmarkStart w:id="{i}" '
        f'w:name="ref-k{i}"/>{t(entry)}<w:bookmarkEnd w:id="{i}"/></w:p>'
        for i, entry in enumerate(FIVE, start=1)
    )
    body = (
        p(
            t("Tumours ("),
            link("ref-k1", "1"),
            t(") grow ("),
            link("ref-k2", "2"),
            t("–"),
            link("ref-k5", "5"),
            t("); see "),
            code,
            t(" and equation (1)."),
        )
        + p(t("y <- z[3]"), style="SourceCode")
        + entries
    )
    path = make_docx(tmp_path / "pandoc.docx", body)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("word/styles.xml", styles)
    manuscript = read_docx(path)
    assert len(manuscript.references) == 5
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3, 4, 5)]


def test_author_year_cites_reach_entries_the_parser_could_not_split(tmp_path: Path) -> None:
    """Chicago lists: a same-author dash '———.' and a particle name 'd’Albenzio, Gabriella'."""
    entries = [
        (
            "Aghayan, Davit L., Gabriella d’Albenzio, and Bård Røsok. 2023. “Laparoscopic Liver "
            "Resection.” Surgery 12: 1–9."
        ),
        "Bismuth, Henri. 1982. “Surgical Anatomy of the Liver.” World Journal of Surgery 6: 3–9.",
        "———. 2013. “Revisiting Liver Anatomy.” Annals of Surgery 257: 383–86.",
        (
            "d’Albenzio, Gabriella, Ruoyan Meng, and Ole Elle. 2023. “Patient-Specific Vascular "
            "Territories.” Scientific Reports 13: 1–12."
        ),
    ]
    body = (
        p(t("Liver anatomy matters (Bismuth 2013; Albenzio et al. 2023; Aghayan et al. 2023)."))
        + p(t("References"), style="Heading1")
        + "".join(p(t(e)) for e in entries)
    )
    manuscript = read_docx(make_docx(tmp_path / "chicago.docx", body))
    raw = {r.key: r.raw[:12] for r in manuscript.references}
    assert [[raw[k] for k in c.keys] for c in manuscript.callouts] == [
        ["———. 2013. “"],
        ["d’Albenzio, "],
        ["Aghayan, Dav"],
    ]


def test_author_year_initials_disambiguate_and_ambiguous_cites_say_nothing(tmp_path: Path) -> None:
    entries = [
        "Hansford, K. J., and C. Preston. 2023. “Neural Signatures of Resizing.” Cortex 1: 1–9.",
        "Hansford, K., and D. Baker. 2023. “Multisensory Integration.” Pain 2: 3–9.",
        "Chitsaz, H., and P. Pevzner. 2011. “Efficient de Novo Assembly.” Nat Biotech 29: 9–15.",
        "“3d Slicer Extension Manager User Guide.” 2024. https://slicer.readthedocs.io.",
    ]
    body = (
        p(
            t(
                "Resizing works (K. J. Hansford et al. 2023; H. Chitsaz et al. 2011) and "
                "the guide helps (“3d Slicer Extension Manager User Guide” 2024), as others found "
                "(Hansford et al. 2023)."
            )
        )
        + p(t("References"), style="Heading1")
        + "".join(p(t(e)) for e in entries)
    )
    manuscript = read_docx(make_docx(tmp_path / "initials.docx", body))
    raw = {r.key: r.raw[:14] for r in manuscript.references}
    assert [[raw[k] for k in c.keys] for c in manuscript.callouts] == [
        ["Hansford, K. J"],
        ["Chitsaz, H., a"],
        ["“3d Slicer Ext"],
    ]  # the last cite fits both Hansford 2023 entries: not reported as missing
