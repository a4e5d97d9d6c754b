"""Pandoc Markdown reader: bracketed and in-text citations, code and links ignored, .bib and CSL-JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.model import Location
from citecheck.readers.errors import ReaderError
from citecheck.readers.pandoc import read_csl_json, read_pandoc_file

MARKDOWN = """---
title: "Exosomes in disc degeneration"
bibliography: refs.json
---

Disc degeneration is common [see @cheng2018, p. 3; -@liao2019].
Smith et al. [@smith2020] found more. Later, @cheng2018 [p. 7] disagreed.
Write to someone@example.com, see `@notacite`, [a link](http://x.org/@foo) and <https://x.org/@bar>.

```python
print("@alsonot")
```

Braced keys [@{odd key}] and an unknown one [@missing].
"""

CSL = [
    {
        "id": "cheng2018",
        "type": "article-journal",
        "author": [{"family": "Cheng", "given": "Xin"}, {"family": "Zhang", "given": "Guo"}],
        "title": "Mesenchymal stem cells deliver exogenous miR-21 via exosomes",
        "container-title": "Journal of Cellular and Molecular Medicine",
        "issued": {"date-parts": [[2018, 1]]},
        "volume": "22",
        "issue": "1",
        "page": "261–276",
        "DOI": "10.1111/jcmm.13316",
    },
    {
        "id": "liao2019",
        "type": "article-journal",
        "author": [{"family": "Liao", "given": "Z"}],
        "title": "Exosomes from MSCs",
        "issued": {"raw": "2019"},
    },
    {
        "id": "smith2020",
        "type": "book",
        "author": [{"literal": "Disc Study Group"}],
        "title": "Spine biology",
        "issued": {"date-parts": [["2020"]]},
        "publisher": "Springer",
    },
    {"id": "odd key", "type": "report", "title": "Odd report"},
    {"title": "an item without an id"},
]


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    (tmp_path / "refs.json").write_text(json.dumps(CSL, indent=1, ensure_ascii=False), "utf-8")
    md = tmp_path / "paper.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    return md


def test_bracketed_and_in_text_citations_with_positions(paper: Path) -> None:
    callouts = read_pandoc_file(paper).callouts
    found = [(c.location.line, c.location.column, c.keys) for c in callouts]
    assert found == [
        (6, 29, ("cheng2018", "liao2019")),
        (7, 14, ("smith2020",)),
        (7, 46, ("cheng2018",)),
        (14, 13, ("odd key",)),
        (14, 45, ("missing",)),
    ]
    assert callouts[0].text == "[see @cheng2018, p. 3; -@liao2019]"
    assert callouts[2].text == "@cheng2018 [p. 7]"
    assert not any(c.problem for c in callouts)
    # Entries are numbered in bibliography order; the undefined key "missing" has no number.
    assert [c.numbers for c in callouts] == [(1, 2), (3,), (1,), (4,), ()]


def test_author_mentions_written_and_printed(paper: Path) -> None:
    callouts = read_pandoc_file(paper).callouts
    assert callouts[0].author_mention == ""
    assert callouts[1].author_mention == "Smith"  # written before [@smith2020]
    assert callouts[2].author_mention == "Cheng"  # in-text @cheng2018 prints the first author
    assert callouts[0].sentence == "Disc degeneration is common [see @cheng2018, p. 3; -@liao2019]."


def test_references_from_csl_json(paper: Path) -> None:
    manuscript = read_pandoc_file(paper)
    assert not manuscript.numbered
    first = manuscript.references[0]
    assert (first.key, first.year, first.volume, first.issue, first.pages) == (
        "cheng2018",
        2018,
        "22",
        "1",
        "261-276",
    )
    assert [a.family for a in first.authors] == ["Cheng", "Zhang"]
    assert first.container == "Journal of Cellular and Molecular Medicine"
    assert first.doi == "10.1111/jcmm.13316"
    assert first.location == Location(str(paper.parent / "refs.json"), 3)
    assert first.raw.startswith("Cheng Xin, Zhang Guo. Mesenchymal stem cells")
    assert manuscript.references[1].year == 2019
    group = manuscript.references[2]
    assert (group.authors[0].family, group.kind, group.year) == ("Disc Study Group", "book", 2020)
    assert [u.reason for u in manuscript.unparsed] == ["item without an id"]
    cited = {k for c in manuscript.callouts for k in c.keys}
    assert cited - {r.key for r in manuscript.references} == {"missing"}


def test_bib_file_given_explicitly(paper: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{cheng2018, author = {Cheng, Xin}, title = {T}, year = {2018}}\n", "utf-8"
    )
    manuscript = read_pandoc_file(paper, refs=bib)
    assert [r.key for r in manuscript.references] == ["cheng2018"]
    assert manuscript.callouts[2].author_mention == "Cheng"


def test_missing_bibliography_file_is_a_reader_error(paper: Path) -> None:
    (paper.parent / "refs.json").unlink()
    with pytest.raises(ReaderError, match="no such file"):
        read_pandoc_file(paper)


def test_no_bibliography_anywhere_is_a_reader_error(tmp_path: Path) -> None:
    md = tmp_path / "plain.md"
    md.write_text("Text [@a].\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="--refs"):
        read_pandoc_file(md)


def test_unsupported_bibliography_kind_is_a_reader_error(paper: Path, tmp_path: Path) -> None:
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="expected a .bib, CSL JSON"):
        read_pandoc_file(paper, refs=ris)


def test_malformed_csl_json_is_a_reader_error_with_its_line() -> None:
    with pytest.raises(ReaderError) as caught:
        read_csl_json('[\n {"id": "a",\n  "title": }\n]', "refs.json")
    assert caught.value.line == 3
    with pytest.raises(ReaderError, match="list of items"):
        read_csl_json('{"id": "a"}', "refs.json")
