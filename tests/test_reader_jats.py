"""JATS reader: xref callouts (ranges, lists, author-year), ref-list fields, bad XML, real PMC files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from citecheck.model import Location
from citecheck.readers.errors import ReaderError
from citecheck.readers.jats import read_jats, read_jats_file, render_jats_text
from citecheck.readers.text import read_text

JATS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "jats"

NUMBERED = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.0 20120330//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink">
<front><article-meta><title-group><article-title>Exosomes</article-title></title-group></article-meta></front>
<body>
<sec><title>Introduction</title>
<p>Disc degeneration is common [<xref ref-type="bibr" rid="b1">1</xref>-<xref ref-type="bibr" rid="b3">3</xref>].
Cheng et al. [<xref ref-type="bibr" rid="b4">4</xref>,<xref ref-type="bibr" rid="b2">2</xref>] used
<italic>in vitro</italic> models.</p>
<p>Later work <xref ref-type="bibr" rid="b1">[1]</xref>&#x2013;<xref ref-type="bibr" rid="b3">[3]</xref> agreed.</p>
</sec>
</body>
<back><ref-list><title>References</title>
<ref id="b1"><element-citation publication-type="journal"><person-group person-group-type="author">
<name><surname>Cheng</surname><given-names>X</given-names></name><name><surname>Zhang</surname><given-names>G</given-names></name><etal/></person-group>
<article-title>Mesenchymal stem cells deliver exogenous miR-21 via exosomes</article-title>
<source>J Cell Mol Med</source><year>2018</year><volume>22</volume><issue>1</issue><fpage>261</fpage><lpage>276</lpage>
<pub-id pub-id-type="doi">10.1111/jcmm.13316</pub-id><pub-id pub-id-type="pmid">28805297</pub-id></element-citation></ref>
<ref id="b2"><mixed-citation publication-type="journal"><name><surname>Liao</surname><given-names>Z</given-names></name>, <name><surname>Luo</surname><given-names>R</given-names></name> (<year>2019</year>) <article-title>Exosomes from mesenchymal stem cells</article-title>. <source>Theranostics</source> <volume>9</volume>: <fpage>4084</fpage>&#x2013;<lpage>4100</lpage>.</mixed-citation></ref>
<ref id="b3"><mixed-citation publication-type="book">World Health Organization (2020) Low back pain. Geneva: WHO.</mixed-citation></ref>
<ref id="b4"><citation citation-type="book"><person-group person-group-type="author"><collab>Disc Study Group</collab></person-group><source>Spine biology</source><year>2015</year><publisher-name>Springer</publisher-name></citation></ref>
</ref-list></back>
</article>
"""

AUTHOR_YEAR = """<article><body>
<p>Risk falls with hormone use (<xref ref-type="bibr" rid="r1">Potter and McMichael, 1983</xref>;
<xref ref-type="bibr" rid="r2">Schecter <italic>et al</italic>, 2003</xref>, <xref ref-type="bibr" rid="r3">2005</xref>).</p>
</body><back><ref-list>
<ref id="r1"><element-citation><person-group><name><surname>Potter</surname><given-names>JD</given-names></name><name><surname>McMichael</surname><given-names>AJ</given-names></name></person-group><year>1983</year><article-title>Large bowel cancer in women</article-title><source>J Natl Cancer Inst</source></element-citation></ref>
<ref id="r2"><element-citation><person-group><name><surname>Schecter</surname><given-names>A</given-names></name><name><surname>Papke</surname><given-names>O</given-names></name><name><surname>Tung</surname><given-names>KC</given-names></name></person-group><year>2003</year><article-title>PBDEs in food</article-title><source>Environ Health Perspect</source></element-citation></ref>
<ref id="r3"><element-citation><person-group><name><surname>Schecter</surname><given-names>A</given-names></name><name><surname>Papke</surname><given-names>O</given-names></name><name><surname>Harris</surname><given-names>TR</given-names></name></person-group><year>2005</year><article-title>PBDE levels in US foods</article-title><source>Environ Sci Technol</source></element-citation></ref>
</ref-list></back></article>
"""


def test_numbered_callouts_expand_dash_ranges_and_keep_comma_lists() -> None:
    manuscript = read_jats(NUMBERED, "paper.nxml")
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1, 2, 3), (4, 2), (1, 2, 3)]
    first, second, third = manuscript.callouts
    assert first.text == "[1-3]"
    assert third.text == "[1]–[3]"
    assert first.sentence == "Disc degeneration is common [1-3]."
    assert second.author_mention == "Cheng"
    assert second.location == Location("paper.nxml", 8, second.location.column)
    assert all(c.in_running_text and not c.problem for c in manuscript.callouts)


def test_callout_location_is_the_first_xref_in_the_xml_file() -> None:
    manuscript = read_jats(NUMBERED, "paper.nxml")
    line = NUMBERED.split("\n")[manuscript.callouts[0].location.line - 1]
    column = manuscript.callouts[0].location.column
    assert line[column - 1 :].startswith('<xref ref-type="bibr" rid="b1">1</xref>-')


def test_element_citation_fields() -> None:
    ref = read_jats(NUMBERED, "paper.nxml").references[0]
    assert (ref.key, ref.number, ref.kind) == ("b1", 1, "article")
    assert [a.family for a in ref.authors] == ["Cheng", "Zhang"] and ref.et_al
    assert ref.authors[0].given == "X"
    assert ref.title == "Mesenchymal stem cells deliver exogenous miR-21 via exosomes"
    assert (ref.container, ref.year, ref.volume, ref.issue) == ("J Cell Mol Med", 2018, "22", "1")
    assert (ref.pages, ref.doi, ref.pmid) == ("261-276", "10.1111/jcmm.13316", "28805297")
    # Element citations carry no punctuation; raw is composed from the fields.
    assert ref.raw.startswith("Cheng X, Zhang G, et al. Mesenchymal stem cells")


def test_mixed_citation_keeps_printed_text_and_tagged_fields() -> None:
    ref = read_jats(NUMBERED, "paper.nxml").references[1]
    assert ref.raw == (
        "Liao Z, Luo R (2019) Exosomes from mesenchymal stem cells. Theranostics 9: 4084–4100."
    )
    assert [a.family for a in ref.authors] == ["Liao", "Luo"]
    assert (ref.year, ref.pages, ref.container) == (2019, "4084-4100", "Theranostics")


def test_untagged_mixed_citation_is_parsed_from_its_text() -> None:
    ref = read_jats(NUMBERED, "paper.nxml").references[2]
    assert ref.key == "b3" and ref.number == 3
    assert ref.raw == "World Health Organization (2020) Low back pain. Geneva: WHO."
    assert ref.year == 2020


def test_nlm_citation_with_collab_author_and_book_title() -> None:
    ref = read_jats(NUMBERED, "paper.nxml").references[3]
    assert ref.authors[0].family == "Disc Study Group"
    assert (ref.kind, ref.title, ref.container, ref.publisher) == (
        "book",
        "Spine biology",
        "",
        "Springer",
    )


def test_author_year_article_links_by_rid_and_names_the_authors() -> None:
    manuscript = read_jats(AUTHOR_YEAR, "ay.nxml")
    assert not manuscript.numbered
    assert all(ref.number is None for ref in manuscript.references)
    assert [c.keys for c in manuscript.callouts] == [("r1",), ("r2",), ("r3",)]
    assert [c.numbers for c in manuscript.callouts] == [(), (), ()]
    assert [c.author_mention for c in manuscript.callouts] == [
        "Potter and McMichael",
        "Schecter et al",
        "Schecter et al",
    ]


def test_xref_to_a_missing_ref_is_a_missing_reference_key() -> None:
    broken = NUMBERED.replace('rid="b4"', 'rid="b9"')
    callout = read_jats(broken, "paper.nxml").callouts[1]
    assert callout.numbers == (2,)
    assert callout.keys == ("b9",) and callout.problem == ""


@pytest.mark.parametrize(
    ("document", "line", "words"),
    [
        ("<article><body><p>Unclosed</body></article>", 1, "malformed XML"),
        ("<article>\n<body>\n<p>x</p>\n</bod>", 4, "malformed XML"),
        ("", 1, "malformed XML"),
        ("<html><body/></html>", 1, "expected a JATS <article>"),
    ],
)
def test_bad_xml_is_a_reader_error_with_a_line(document: str, line: int, words: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_jats(document, "bad.nxml")
    assert caught.value.path == "bad.nxml"
    assert caught.value.line == line
    assert words in caught.value.message


def test_entity_expansion_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><article><body><p>&b;</p></body></article>'
    )
    with pytest.raises(ReaderError, match="unsafe"):
        read_jats(bomb, "bomb.nxml")


def test_rendered_text_reads_back_through_the_text_reader() -> None:
    text, gold = render_jats_text(NUMBERED, "paper.nxml")
    assert "Disc degeneration is common [1-3]." in text
    assert "\nReferences\n\n1. Cheng X, Zhang G, et al." in text
    manuscript = read_text(text, "paper.txt")
    assert [c.numbers for c in manuscript.callouts][:2] == [(1, 2, 3), (4, 2)]
    assert len(manuscript.references) == 4
    assert Counter(link.rid for link in gold.links) == Counter({"b1": 2, "b2": 3, "b3": 2, "b4": 1})
    assert sorted(gold.entries.values()) == ["b1", "b2", "b3", "b4"]


# --- real PMC articles (third-party data in ../shared) -------------------------------------


def jats_files() -> list[Path]:
    if not JATS_DIR.is_dir():
        pytest.skip("../shared/data/jats not present (a user's clone has no ../shared)")
    return sorted(JATS_DIR.glob("*.nxml"))


def test_every_gold_xref_becomes_a_callout_link() -> None:
    for path in jats_files():
        data = path.read_bytes()
        manuscript = read_jats(data, str(path))
        xrefs = data.count(b'ref-type="bibr"')
        _, gold = render_jats_text(data, str(path))
        linked = sum(len(c.numbers) or len(c.keys) for c in manuscript.callouts)
        assert linked == len(gold.links) >= xrefs, path.name
        assert not any(c.problem for c in manuscript.callouts), path.name


def test_real_articles_styles_and_reference_fields() -> None:
    styles = {}
    for path in jats_files():
        manuscript = read_jats(path.read_bytes(), str(path))
        styles[path.stem] = manuscript.numbered
        assert not manuscript.unparsed, path.name
        with_year = sum(1 for ref in manuscript.references if ref.year)
        # Web pages and reports in these lists often have no year.
        assert with_year >= 0.8 * len(manuscript.references), path.name
        assert all(ref.raw and ref.key for ref in manuscript.references), path.name
        if path.stem == "mds526":
            assert manuscript.references[8].url == "http://www.ukacr.org/content/data-quality"
    assert sorted(name for name, numbered in styles.items() if not numbered) == [
        "6605965a",
        "ehp-116-1694",
    ]


def test_real_range_across_bracketed_xrefs() -> None:
    path = jats_files()[0].parent / "pone.0000217.nxml"
    manuscript = read_jats(path.read_bytes(), str(path))
    first = manuscript.callouts[0]
    assert first.text == "[1]–[5]" and first.numbers == (1, 2, 3, 4, 5)


def test_file_entry_point_reads_bytes_and_reports_a_missing_file(tmp_path: Path) -> None:
    paper = tmp_path / "paper.nxml"
    paper.write_text(NUMBERED, encoding="utf-8")
    assert len(read_jats_file(paper).references) == 4
    with pytest.raises(ReaderError, match="cannot read"):
        read_jats_file(tmp_path / "absent.nxml")


def test_an_unknown_declared_encoding_is_one_reader_error() -> None:
    import pytest

    from citecheck.readers.errors import ReaderError
    from citecheck.readers.jats import read_jats

    with pytest.raises(ReaderError, match="unknown encoding"):
        read_jats(b'<?xml version="1.0" encoding="TF-8"?><article/>', "a.xml")
