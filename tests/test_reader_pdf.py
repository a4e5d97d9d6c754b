"""PDF reader: reading order, running heads, superscript citations, reference entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfmaker import Run, lines, write_pdf

from citecheck.readers import read_manuscript
from citecheck.readers.errors import ReaderError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdf-dev"

PROSE = "Deep neural networks now read radiographs in several clinics"


def sup(text: str, after: str = ".") -> tuple[tuple[str, float, float], ...]:
    """A superscript run (6 pt, raised 4 pt) followed by normal 10 pt text."""
    return ((text, 6.0, 4.0), (after, 10.0, 0.0))


def superscript_article(tmp_path: Path) -> Path:
    page1 = [
        Run(72, 780, "A study of generalizability", 16),
        Run(
            72,
            750,
            "Ann Smith",
            10,
            more=(("1", 6.0, 4.0), (", Bo Lee", 10.0, 0.0), ("2", 6.0, 4.0)),
        ),
        Run(72, 736, "1Department of Oral Diagnostics, Berlin, Germany.", 8),
        Run(72, 700, f"{PROSE} and hospitals across the world", more=sup("1,2")),
        Run(
            72,
            688,
            "Models trained on one site transfer poorly to another site as shown",
            more=sup("3"),
        ),
        Run(72, 676, "The effect size was R", more=sup("2", " = 0.8 with 10")),
        Run(
            72,
            664,
            "and the counts reached 10",
            more=sup("6", " cells per millilitre in the samples."),
        ),
        Run(
            72,
            652,
            "Earlier reviews summarised the evidence for these models in medicine",
            more=sup("1–3"),
        ),
        Run(72, 30, "Journal of Testing (2021) 11:6102", 8),
        Run(520, 30, "1", 8),
    ]
    page2 = [
        Run(72, 800, "Journal of Testing (2021) 11:6102", 8),
        Run(72, 700, "References", 12),
        *lines(
            72,
            680,
            [
                "1. LeCun Y, Bengio Y, Hinton G. Deep learning. Nature. 2015;521:436-",
                "444.",
                "2. Topol EJ. High-performance medicine: the convergence of human and",
                "artificial intelligence. Nat Med. 2019;25:44-56.",
                "3. Krois J, Garcia Cantu A, Chaurasia A. Generalizability of deep learning",
                "models for dental image analysis. Sci Rep. 2021;11:6102.",
            ],
            size=8,
            leading=10,
        ),
        Run(72, 30, "Journal of Testing (2021) 11:6102", 8),
        Run(520, 30, "2", 8),
    ]
    return write_pdf(tmp_path / "article.pdf", [page1, page2])


def test_superscript_citations_are_callouts_and_exponents_are_not(tmp_path):
    manuscript = read_manuscript(str(superscript_article(tmp_path)))
    cited = [c.numbers for c in manuscript.callouts]
    assert cited == [(1, 2), (3,), (1, 2, 3)]  # R², 10⁶ and the affiliation marks are not
    assert [r.number for r in manuscript.references] == [1, 2, 3]


def test_entries_are_joined_across_lines_and_page_is_the_location(tmp_path):
    manuscript = read_manuscript(str(superscript_article(tmp_path)))
    first = manuscript.references[0]
    assert first.pages.startswith("436")  # "436-" + "444." rejoined without a space
    assert first.location.line == 2  # page 2
    assert manuscript.callouts[0].location.line == 1
    assert "Journal of Testing" not in " ".join(r.raw for r in manuscript.references)


def test_two_columns_are_read_left_then_right(tmp_path):
    left = [f"Left column sentence number {i} about exosomes in the disc [1]." for i in range(12)]
    right = [
        f"Right column sentence number {i} about vesicles in cartilage [2]." for i in range(12)
    ]
    page = [
        Run(60, 800, "Two columns", 14),
        *lines(60, 760, [t[:38] for t in left], size=8),
        *lines(320, 760, [t[:38] for t in right], size=8),
    ]
    refs = [
        Run(60, 500, "References", 10),
        *lines(
            60,
            480,
            [
                "1. Wen T, Wang H. Exosomes in the disc. Bone Res. 2021;9:1-9.",
                "2. Cheng X, Li Y. Vesicles in cartilage. Stem Cells. 2018;36:1-8.",
            ],
            size=8,
        ),
    ]
    path = write_pdf(tmp_path / "two.pdf", [page, refs])
    from citecheck.readers.pdf import extract_lines

    texts = [ln.text for ln in extract_lines(str(path))]
    first_right = next(i for i, t in enumerate(texts) if t.startswith("Right"))
    last_left = max(i for i, t in enumerate(texts) if t.startswith("Left"))
    assert last_left < first_right


def test_a_pdf_without_text_is_one_clear_error(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(ReaderError, match="no text layer"):
        read_manuscript(str(path))


@pytest.mark.parametrize("content", [b"", b"hello", b"%PDF-1.4\n garbage \x00\xff"])
def test_broken_pdfs_are_reader_errors(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(ReaderError):
        read_manuscript(str(path))


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/pdf-dev not present")
def test_real_superscript_article_links_every_citation():
    """Sci Rep 11:6102: 17 entries, superscript citations; the XML counts 24 xrefs."""
    manuscript = read_manuscript(str(SHARED / "scirep-11-6102.pdf"))
    assert len(manuscript.references) == 17
    links = sum(len(c.numbers) for c in manuscript.callouts)
    assert 22 <= links <= 26
    assert manuscript.references[0].authors[0].family == "LeCun"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/pdf-dev not present")
def test_real_two_column_list_splits_every_entry():
    """T&F Renal Failure: a two-column numbered list of 42 entries spread over two pages."""
    manuscript = read_manuscript(str(SHARED / "tandf-renal-failure-43-159.pdf"))
    assert len(manuscript.references) >= 38
    assert [r.number for r in manuscript.references[:5]] == [1, 2, 3, 4, 5]


def test_citation_order_is_not_judged_when_the_reading_order_is_unknown(tmp_path):
    """A PDF's floats and side columns sit anywhere: [3] read before [1] proves nothing."""
    from dataclasses import replace

    from citecheck.model import Project
    from citecheck.rules import run

    manuscript = read_manuscript(str(superscript_article(tmp_path)))
    assert manuscript.reading_order_known is False
    first, second = manuscript.callouts[:2]  # [1,2] then [3]
    shuffled = replace(manuscript, callouts=(second, first))
    assert [f for f in run(Project(shuffled)) if f.rule == "citation-order"] == []
    known = replace(shuffled, reading_order_known=True)
    assert [f for f in run(Project(known)) if f.rule == "citation-order"]


def test_refs_replace_the_printed_list(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{lecun2015, author={LeCun, Y. and Bengio, Y.}, title={Deep learning},"
        " journal={Nature}, year={2015}, volume={521}, pages={436--444}, refnumber={1}}\n",
        encoding="utf-8",
    )
    manuscript = read_manuscript(str(superscript_article(tmp_path)), str(bib))
    assert [r.key for r in manuscript.references] == ["lecun2015"]
    assert manuscript.references[0].location.path == str(bib)


def test_superscripts_after_units_and_symbols_are_exponents_after_han_a_citation():
    """One test for PDF and Word superscripts (docx_typed.UNIT_BEFORE): R², cm², mol² are no
    citations; "Cheng 等²⁶" is one."""
    from citecheck.readers.pdf import Line, _mark_citations

    def marked(before: str, run: str = "2") -> str:
        text = f"{before}{run}. More text follows here"
        line = Line(1, 0, 100, 0, 10, 10, text, [(len(before), len(before) + len(run))])
        return _mark_citations(line, in_front=False)

    assert marked("The fit was good with R") == "The fit was good with R2. More text follows here"
    assert marked("an area of 3 cm").startswith("an area of 3 cm2.")
    assert marked("Cheng 等", "26") == "Cheng 等^[26]. More text follows here"
    assert marked("as shown in earlier studies", "3,4") == (
        "as shown in earlier studies^[3,4]. More text follows here"
    )
