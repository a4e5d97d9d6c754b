"""Word reader: superscript citation runs, bracketed callouts, tables, and typed or auto-numbered lists.

Test documents are built here with python-docx; no binary file is committed.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from citecheck.model import Location
from citecheck.readers.docx import read_docx
from citecheck.readers.errors import ReaderError

ENTRIES = [
    (
        "Cheng X, Zhang G, Zhang L, et al. Mesenchymal stem cells deliver exogenous miR-21 via "
        "exosomes to inhibit nucleus pulposus cell apoptosis. J Cell Mol Med, 2018, 22(1): 261-276."
    ),
    (
        "Liao Z, Luo R, Li G, et al. Exosomes from mesenchymal stem cells modulate endoplasmic "
        "reticulum stress to protect against nucleus pulposus cell death. Theranostics, 2019, "
        "9(14): 4084-4100."
    ),
    "周荣耀, 王晓. 间充质干细胞外泌体与椎间盘退变[J]. 中国组织工程研究, 2021, 25(7): 1111-1116.",
]


def add_cited(document: docx.document.Document, before: str, number: str, after: str) -> None:
    """A paragraph whose citation is a superscript run, as Word users type it."""
    paragraph = document.add_paragraph(before)
    paragraph.add_run(number).font.superscript = True
    paragraph.add_run(after)


def build(path: Path, *, auto_numbered: bool) -> Path:
    document = docx.Document()
    document.add_heading("Exosomes in disc degeneration", level=1)
    add_cited(document, "Disc degeneration is a common cause of low back pain", "1-3", ".")
    add_cited(document, "Cheng et al.", "1", " showed that exosomes deliver miR-21.")
    document.add_paragraph(
        "Liao and colleagues confirmed this [2]. 椎间盘退变常见。周荣耀等[3]发现外泌体有效。"
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "BMSC exosomes"
    table.cell(0, 1).text = "[1][2]"
    document.add_paragraph("Raised to the power 2 is not a citation: x")
    document.add_heading("References", level=1)
    for number, entry in enumerate(ENTRIES, start=1):
        if auto_numbered:
            document.add_paragraph(entry, style="List Number")
        else:
            document.add_paragraph(f"[{number}] {entry}")
    document.save(path)
    return path


@pytest.fixture(params=[False, True], ids=["typed-numbers", "word-numbering"])
def manuscript(request: pytest.FixtureRequest, tmp_path: Path):
    return read_docx(build(tmp_path / "paper.docx", auto_numbered=request.param))


def test_superscript_runs_and_brackets_are_callouts(manuscript) -> None:
    callouts = manuscript.callouts
    assert [c.numbers for c in callouts] == [(1, 2, 3), (1,), (2,), (3,), (1, 2)]
    assert callouts[0].text == "[1-3]"
    assert callouts[1].author_mention == "Cheng"
    assert callouts[3].author_mention == "周荣耀"


def test_locations_are_paragraph_numbers(manuscript) -> None:
    path = manuscript.path
    # 1 heading, 2-4 body paragraphs, 5-6 table cells, 7 "power" paragraph, 8 References.
    assert [c.location.line for c in manuscript.callouts] == [2, 3, 4, 4, 6]
    assert manuscript.reference_list_location == Location(path, 8)
    assert [ref.location.line for ref in manuscript.references] == [9, 10, 11]


def test_table_cells_are_not_running_text(manuscript) -> None:
    assert [c.in_running_text for c in manuscript.callouts] == [True, True, True, True, False]


def test_reference_list_is_split_numbered_and_parsed(manuscript) -> None:
    refs = manuscript.references
    assert manuscript.numbered
    assert [ref.number for ref in refs] == [1, 2, 3]
    assert refs[0].authors[0].family == "Cheng"
    assert refs[0].year == 2018
    assert refs[2].language == "zh"
    assert not manuscript.unparsed


def test_superscript_that_is_not_a_number_is_ignored(tmp_path: Path) -> None:
    document = docx.Document()
    add_cited(document, "Area in m", "2", " was measured.")
    add_cited(document, "Trademark", "TM", " text.")
    document.add_heading("References", level=1)
    document.add_paragraph("1. Smith A. A title. J Test. 2001;1:1-2.")
    document.save(tmp_path / "units.docx")
    manuscript = read_docx(tmp_path / "units.docx")
    # "m²" typed as a superscript 2 is a unit: a one- or two-letter symbol before it.
    assert [c.numbers for c in manuscript.callouts] == []


def test_not_a_docx_is_a_reader_error(tmp_path: Path) -> None:
    fake = tmp_path / "paper.docx"
    fake.write_text("plain text, not a zip", encoding="utf-8")
    with pytest.raises(ReaderError, match="not a readable .docx"):
        read_docx(fake)
    with pytest.raises(ReaderError):
        read_docx(tmp_path / "absent.docx")


def test_references_from_a_bib_file_replace_the_document_list(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@article{cheng2018, author = {Cheng, Xin}, title = {T}, year = {2018}, refnumber = {1}}\n",
        encoding="utf-8",
    )
    manuscript = read_docx(build(tmp_path / "paper.docx", auto_numbered=False), bib)
    assert [(ref.key, ref.number) for ref in manuscript.references] == [("cheng2018", 1)]
    assert manuscript.callouts[0].numbers == (1, 2, 3)
