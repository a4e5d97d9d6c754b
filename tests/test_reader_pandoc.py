"""Pandoc-family reader: citations, what is not prose, reader choice, bibliography discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.model import Location
from citecheck.readers import read_manuscript, reader_for
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


# --- R Markdown / Quarto: what is not prose, cross-references, reader choice ---------------

RMD = """---
title: "Campus outbreak"
output: pdf_document
bibliography: refs.bib
---

```{r setup, include=FALSE}
x <- c("@notakey", 1)
```

We assume `r 1/sigma` days (@zhang2020, @li2020), so $b_{A} =$ `r bA` @li2020.
Masks help [@offeddu2017; see @bowen2010, p. 3] as in @fig-masks and Figure \\@ref(fig:curve).
<!-- Old text [@removed2019]. -->
\\pagebreak
Results are in @tbl:summary and {@fig:overview}; write to lab@uni.edu.
~~~
[@inafence]
~~~
Heterogeneity was low (I^2^ = 12%), see ^[A note citing @bowen2010.].
"""

BIB = """@article{zhang2020, author = {Zhang, Juanjuan}, title = {Changes in contact patterns},
  journal = {Science}, year = {2020}, volume = {368}, pages = {1481--1486}}
@article{li2020, author = {Li, Ruiyun}, title = {Substantial undocumented infection},
  journal = {Science}, year = {2020}, volume = {368}, pages = {489--493}}
@article{offeddu2017, author = {Offeddu, Vittoria}, title = {Effectiveness of masks},
  journal = {Clin Infect Dis}, year = {2017}, volume = {65}, pages = {1934--1942}}
@article{bowen2010, author = {Bowen, Lawrence}, title = {Hand hygiene},
  journal = {Am J Infect Control}, year = {2010}, volume = {38}, pages = {S1--S3}}
@article{unused2001, author = {Unused, U}, title = {Never cited}, journal = {J}, year = {2001},
  volume = {1}, pages = {1--2}}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_rmd_code_math_comments_and_cross_references_are_not_citations(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    rmd = _write(tmp_path, "paper.Rmd", RMD)
    manuscript = read_manuscript(str(rmd))
    found = [(c.location.line, c.keys) for c in manuscript.callouts]
    assert found == [
        (11, ("zhang2020",)),
        (11, ("li2020",)),
        (11, ("li2020",)),
        (12, ("offeddu2017", "bowen2010")),
        (19, ("bowen2010",)),  # in-text inside an inline footnote
    ]
    assert manuscript.callouts[0].text == "@zhang2020"
    assert manuscript.bibliography_is_database
    assert not manuscript.numbered


def test_reader_is_chosen_by_extension_and_content(tmp_path: Path) -> None:
    def module(name: str, text: str, refs: str | None = None) -> str:
        return reader_for(str(_write(tmp_path, name, text)), refs).__module__

    assert module("a.qmd", "Plain text.\n") == "citecheck.readers.pandoc"
    assert module("a.Rmd", "Plain text.\n") == "citecheck.readers.pandoc"
    assert module("b.md", "Shown before [@smith2020].\n") == "citecheck.readers.pandoc"
    assert module("c.markdown", "---\nbibliography: x.bib\n---\nText.\n") == (
        "citecheck.readers.pandoc"
    )
    numbered = "Text [1].\n\n## References\n\n1. Smith J. A title. Nature. 2020;1:2-3.\n"
    assert module("d.md", numbered) == "citecheck.readers.text"
    assert module("e.txt", "Mail me@example.org about [1].\n") == "citecheck.readers.text"
    # narrative @key only, against a bibliography given on the command line
    assert module("f.md", "As @smith2020 showed.\n", "refs.bib") == "citecheck.readers.pandoc"


def test_section_file_without_citations_or_bibliography_is_empty(tmp_path: Path) -> None:
    section = _write(
        tmp_path, "02.methods.md", "---\ntitle: Methods\n---\n\n## Methods\n\nWe did it.\n"
    )
    manuscript = read_manuscript(str(section))
    assert (manuscript.references, manuscript.callouts) == ((), ())


def test_citations_without_any_bibliography_say_exactly_that(tmp_path: Path) -> None:
    md = _write(tmp_path, "draft.qmd", "---\ntitle: Draft\n---\n\nIntro.\n\nShown [@kao2020].\n")
    with pytest.raises(ReaderError) as caught:
        read_manuscript(str(md))
    assert caught.value.line == 7
    assert "names no bibliography" in caught.value.message
    assert "References" not in caught.value.message


def test_placeholders_in_escaped_brackets_are_not_citations(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    md = _write(
        tmp_path,
        "plan.qmd",
        "---\nbibliography: refs.bib\n---\n\nShown before \\[cite Kao, many others\\] "
        "and in [@li2020].\n",
    )
    assert [c.keys for c in read_manuscript(str(md)).callouts] == [("li2020",)]


def test_quarto_project_names_the_bibliography(tmp_path: Path) -> None:
    _write(tmp_path, "_quarto.yml", "project:\n  type: manuscript\nbibliography: refs/main.bib\n")
    _write(tmp_path, "refs/main.bib", BIB)
    qmd = _write(tmp_path, "chapters/intro.qmd", "Shown [@li2020].\n")
    manuscript = read_manuscript(str(qmd))
    assert manuscript.callouts[0].numbers == (2,)
    assert manuscript.references[0].location.path == str(tmp_path / "refs/main.bib")


def test_inline_references_in_the_front_matter(tmp_path: Path) -> None:
    md = _write(
        tmp_path,
        "note.md",
        "---\nreferences:\n- id: doe99\n  type: book\n  title: A book\n"
        "  author:\n  - family: Doe\n    given: Jane\n  issued:\n    date-parts: [[1999]]\n"
        "---\n\nAs @doe99 says.\n",
    )
    manuscript = read_manuscript(str(md))
    assert [(r.key, r.kind, r.year) for r in manuscript.references] == [("doe99", "book", 1999)]
    assert manuscript.callouts[0].author_mention == "Doe"


@pytest.mark.parametrize(
    "front, line, words",
    [
        ("base: &b [1, 2]\nbomb: [*b, *b]\n", 3, "aliases"),
        ("title: [unclosed\nbibliography: refs.bib\n", 3, "YAML"),
    ],
)
def test_bad_front_matter_is_a_one_line_error_with_its_line(
    tmp_path: Path, front: str, line: int, words: str
) -> None:
    md = _write(tmp_path, "bad.qmd", f"---\n{front}---\n\nText [@a].\n")
    with pytest.raises(ReaderError) as caught:
        read_manuscript(str(md))
    assert words in caught.value.message
    assert caught.value.line == line
    assert "\n" not in str(caught.value)


def test_pandoc_superscripts_are_callouts_in_a_numbered_markdown_document(tmp_path: Path) -> None:
    md = _write(
        tmp_path,
        "converted.md",
        "Exosomes help repair.^1,2^ Heterogeneity was low (I^2^ = 12%) at 10^6^ cells/cm^2^;\n"
        "cells grew^4-6^ and died.^3^\n\n## References\n\n"
        + "".join(f"{n}. Author{n} A. Title {n}. J Biol. 2020;{n}:1-2.\n" for n in range(1, 7)),
    )
    manuscript = read_manuscript(str(md))
    assert [(c.text, c.numbers) for c in manuscript.callouts] == [
        ("^1,2^", (1, 2)),
        ("^4-6^", (4, 5, 6)),
        ("^3^", (3,)),
    ]


def test_chapter_file_uses_the_bibliography_of_its_book(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    _write(tmp_path, "index.Rmd", "---\ntitle: Book\nbibliography: [refs.bib]\n---\n\n# Preface\n")
    chapter = _write(tmp_path, "02-methods.Rmd", "# Methods\n\nAs before [@bowen2010].\n")
    assert read_manuscript(str(chapter)).callouts[0].numbers == (4,)
    meta = tmp_path / "quarto"
    _write(meta, "_metadata.yml", "bibliography: ../refs.bib\n")
    section = _write(meta, "results.qmd", "Shown [@li2020].\n")
    assert read_manuscript(str(section)).callouts[0].numbers == (2,)


def test_handles_and_styles_in_prose_are_not_citations(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    md = _write(
        tmp_path,
        "post.qmd",
        "---\nbibliography: refs.bib\n---\n\n"
        "<style>\n@media print { a { color: red } }\n</style>\n\n"
        "Follow @biopython for news, as @li2020 did; @nokey2020 is missing. Kept @4 °C.\n",
    )
    callouts = read_manuscript(str(md)).callouts
    assert [c.keys for c in callouts] == [("li2020",), ("nokey2020",)]


def test_included_files_are_read_in_place(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    _write(
        tmp_path, "sections/_methods.qmd", "Methods [@bowen2010].\n\n{{< include ../paper.qmd >}}\n"
    )
    _write(tmp_path, "results.Rmd", "Results as @li2020 found.\n")
    main = _write(
        tmp_path,
        "paper.qmd",
        "---\nbibliography: refs.bib\n---\n\nIntro [@zhang2020].\n\n"
        "{{< include sections/_methods.qmd >}}\n\n<!-- {{< include gone.qmd >}} -->\n\n"
        "```{r, child='results.Rmd'}\n```\n\nEnd [@offeddu2017].\n",
    )
    callouts = read_manuscript(str(main)).callouts
    assert [(Path(c.location.path).name, c.location.line, c.keys) for c in callouts] == [
        ("paper.qmd", 5, ("zhang2020",)),
        ("_methods.qmd", 1, ("bowen2010",)),
        ("results.Rmd", 1, ("li2020",)),
        ("paper.qmd", 14, ("offeddu2017",)),
    ]


def test_comments_in_code_and_code_in_comments(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    md = _write(
        tmp_path,
        "paper.md",
        "---\nbibliography: refs.bib\n---\n\nFirst [@li2020].\n\n```html\n<!-- unclosed\n```\n\n"
        "<!--\n```\n[@zhang2020]\n```\n-->\nThen [@bowen2010].[^1]\n\n"
        "[^1]: As in [@offeddu2017].\n",
    )
    assert [c.keys for c in read_manuscript(str(md)).callouts] == [
        ("li2020",),
        ("bowen2010",),
        ("offeddu2017",),
    ]


def test_a_missing_generated_bibliography_makes_undefined_keys_unknown(tmp_path: Path) -> None:
    _write(tmp_path, "book.bib", BIB)
    rmd = _write(
        tmp_path,
        "index.Rmd",
        "---\nbibliography: [book.bib, packages.bib]\n---\n\nWe used knitr [@R-knitr; @li2020].\n",
    )
    manuscript = read_manuscript(str(rmd))
    assert [c.keys for c in manuscript.callouts] == [("li2020",)]
    (tmp_path / "book.bib").unlink()
    with pytest.raises(ReaderError, match="no such file"):
        read_manuscript(str(rmd))


def test_links_to_handles_are_not_citations(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    md = _write(
        tmp_path,
        "paper.md",
        "---\nbibliography: refs.bib\n---\n\nThanks to [@jdoe2020](https://github.com/jdoe2020) "
        "and [the lab](https://x.org/@lab), as in [@li2020].\n",
    )
    assert [c.keys for c in read_manuscript(str(md)).callouts] == [("li2020",)]
    numbered = (
        "Thanks [@jdoe](https://x.org/jdoe) [1].\n\n## References\n\n1. A B. T. J. 2020;1:2.\n"
    )
    assert reader_for(str(_write(tmp_path, "n.md", numbered))).__module__ == (
        "citecheck.readers.text"
    )


def test_bibliography_named_without_extension(tmp_path: Path) -> None:
    _write(tmp_path, "mybib.bib", BIB)
    rmd = _write(tmp_path, "article.Rmd", "---\nbibliography: mybib\n---\n\nText [@li2020].\n")
    assert read_manuscript(str(rmd)).callouts[0].numbers == (2,)


def test_captions_written_as_chunk_options_are_prose(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    qmd = _write(
        tmp_path,
        "figs.qmd",
        "---\nbibliography: refs.bib\n---\n\n"
        '```{r fig1, fig.cap="Adapted from [@zhang2020].", echo=FALSE}\n'
        "plot(x)  # [@notacitation2020]\n```\n\n"
        "```{r}\n#| label: fig-cases\n#| fig-cap: 'Cases as in [@li2020]'\nplot('@x1')\n```\n",
    )
    assert [(c.location.line, c.keys) for c in read_manuscript(str(qmd)).callouts] == [
        (5, ("zhang2020",)),
        (11, ("li2020",)),
    ]


def test_ids_the_document_defines_are_cross_references(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    qmd = _write(
        tmp_path,
        "appendix.qmd",
        "---\nbibliography: refs.bib\n---\n\n"
        "See @suppfig-tasks and Supplementary Table [-@supp-t1]; as @li2020 found.\n\n"
        '::: {#suppfig-tasks fig-pos="H"}\n![A figure](a.png)\n:::\n\n'
        ": Tasks {#supp-t1}\n\n"
        "```{r timeline, fig.cap='Timeline'}\nplot(1)\n```\n\nShown in @timeline.\n",
    )
    assert [c.keys for c in read_manuscript(str(qmd)).callouts] == [("li2020",)]


def test_a_group_whose_suffix_holds_a_footnote_mark_is_one_citation(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    md = _write(
        tmp_path,
        "paper.Rmd",
        "---\nbibliography: refs.bib\n---\n\n"
        "Known as reproducibility [@li2020; or relatedly, *repeatability*[^rep], @bowen2010].\n\n"
        "[^rep]: A footnote.\n",
    )
    assert [c.keys for c in read_manuscript(str(md)).callouts] == [("li2020", "bowen2010")]


def test_bibliography_computed_by_r_code_names_its_file(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    rmd = _write(
        tmp_path,
        "paper.Rmd",
        "---\nbibliography: \"`r here::here('refs.bib')`\"\n---\n\nText [@li2020].\n",
    )
    assert read_manuscript(str(rmd)).callouts[0].numbers == (2,)


def test_named_bibliography_missing_but_one_bib_beside(tmp_path: Path) -> None:
    _write(tmp_path, "bibliography.bib", BIB)
    qmd = _write(
        tmp_path,
        "manuscript.qmd",
        "---\nbibliography: references.bib\n---\n\nA [@li2020; @gone2019].\n",
    )
    # The renamed file defines li2020; gone2019 may have been in the missing one: not reported.
    assert [c.keys for c in read_manuscript(str(qmd)).callouts] == [("li2020",)]


def test_bibliography_given_as_a_pandoc_argument_of_an_output_format(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB)
    rmd = _write(
        tmp_path,
        "paper.Rmd",
        "---\noutput:\n  pdf_document:\n    pandoc_args: ['--citeproc', '--bibliography=refs.bib']\n"
        "---\n\nText [@li2020].\n",
    )
    assert read_manuscript(str(rmd)).callouts[0].numbers == (2,)


def test_a_key_whose_bibtex_entry_is_unreadable_is_not_missing(tmp_path: Path) -> None:
    _write(tmp_path, "refs.bib", BIB + "@article{broken2021, title={Unbalanced, year={2021}\n")
    md = _write(tmp_path, "p.md", "---\nbibliography: refs.bib\n---\n\nA [@broken2021; @li2020].\n")
    manuscript = read_manuscript(str(md))
    assert [c.keys for c in manuscript.callouts] == [("li2020",)]
    assert len(manuscript.unparsed) == 1  # reported as unparsed-reference instead


def test_a_typed_numbered_markdown_mentioning_a_handle_stays_text(tmp_path: Path) -> None:
    numbered = (
        "Follow [@SchlossLab] for news. Shown [1], [2] and [3].\n\n## References\n\n"
        + "".join(f"{n}. Author{n} A. Title {n}. J Biol. 2020;{n}:1-2.\n" for n in range(1, 4))
    )
    assert reader_for(str(_write(tmp_path, "typed.md", numbered))).__module__ == (
        "citecheck.readers.text"
    )
