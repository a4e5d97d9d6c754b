"""LaTeX reader: cite commands, keys, author mentions, comments, positions, and the .bib it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.model import Location
from citecheck.readers.errors import ReaderError
from citecheck.readers.latex import read_latex_file, strip_comments

TEX = r"""\documentclass{article}
\usepackage[numbers]{natbib}
% \cite{commented} in the preamble
\begin{document}
\section{Introduction}
Disc degeneration is common \citep[see][p.~3]{cheng2018, liao2019}.
Smith et al.~\cite{smith2020} found more exosomes in nucleus pulposus cells.

\citet{cheng2018} disagreed. Costs rose by 5\% \parencite{missing}. % \cite{alsocommented}
Reviews exist \autocite*{liao2019} \textcite[12]{cheng2018} and \cite{}.
\nocite{unused2001}
\bibliography{refs}
\end{document}
"""

BIB = """@article{cheng2018,
  author = {Cheng, Xin and Zhang, Guo and Wang, Li},
  title = {Mesenchymal stem cells deliver exogenous miR-21 via exosomes},
  journal = {J Cell Mol Med},
  year = {2018},
}

@article{liao2019, author = {Liao, Zhiwei}, title = {Exosomes from MSCs}, year = {2019}}

@article{smith2020, author = {Jones, Anna}, title = {Nucleus pulposus}, year = {2020}}

@article{unused2001, author = {Nobody, N}, title = {Unused}, year = {2001}}
"""


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    tex = tmp_path / "paper.tex"
    tex.write_text(TEX, encoding="utf-8")
    return tex


def test_every_cite_command_with_its_keys_and_position(paper: Path) -> None:
    manuscript = read_latex_file(paper)
    found = [(c.location.line, c.location.column, c.keys) for c in manuscript.callouts]
    assert found == [
        (6, 29, ("cheng2018", "liao2019")),
        (7, 14, ("smith2020",)),
        (9, 1, ("cheng2018",)),
        (9, 48, ("missing",)),
        (10, 15, ("liao2019",)),
        (10, 36, ("cheng2018",)),
        (10, 65, ()),
    ]
    # Unnumbered .bib entries are numbered in file order so number-keyed checks see them;
    # an undefined key ("missing") gets no number.
    assert [c.numbers for c in manuscript.callouts] == [(1, 2), (3,), (1,), (), (2,), (1,), ()]
    assert [r.number for r in manuscript.references] == [1, 2, 3, 4]
    assert manuscript.callouts[0].text == r"\citep[see][p.~3]{cheng2018, liao2019}"
    assert manuscript.callouts[-1].problem == "citation without a key"


def test_references_are_the_bib_entries_so_unused_and_undefined_keys_show(paper: Path) -> None:
    manuscript = read_latex_file(paper)
    assert not manuscript.numbered
    keys = {ref.key for ref in manuscript.references}
    assert keys == {"cheng2018", "liao2019", "smith2020", "unused2001"}
    cited = {key for c in manuscript.callouts for key in c.keys}
    assert cited - keys == {"missing"}
    assert keys - cited == {"unused2001"}  # \nocite is not a citation in the text
    assert manuscript.reference_list_location == Location(str(paper), 12, 1)
    assert manuscript.references[0].location == Location(str(paper.parent / "refs.bib"), 1)


def test_author_mentions_written_or_printed_by_the_command(paper: Path) -> None:
    callouts = read_latex_file(paper).callouts
    assert callouts[0].author_mention == ""
    assert callouts[1].author_mention == "Smith"  # "Smith et al.~\cite{smith2020}": a mismatch
    assert callouts[2].author_mention == "Cheng"  # \citet prints the first author
    assert callouts[5].author_mention == "Cheng"  # \textcite too


def test_sentences_skip_the_preamble_and_comments(paper: Path) -> None:
    callouts = read_latex_file(paper).callouts
    assert (
        callouts[0].sentence
        == r"Disc degeneration is common \citep[see][p. 3]{cheng2018, liao2019}."
    )
    assert "commented" not in " ".join(c.sentence for c in callouts)


def test_comments_are_blanked_but_escaped_percent_kept() -> None:
    text = "5\\% rise % note\nnext"
    assert strip_comments(text) == "5\\% rise       \nnext"


def test_explicit_bib_overrides_the_bibliography_command(paper: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.bib"
    other.write_text("@book{only, title = {Only}, year = {1999}}\n", encoding="utf-8")
    manuscript = read_latex_file(paper, bib=other)
    assert [ref.key for ref in manuscript.references] == ["only"]


def test_missing_bib_is_a_reader_error_at_the_bibliography_line(tmp_path: Path) -> None:
    tex = tmp_path / "paper.tex"
    tex.write_text(TEX, encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        read_latex_file(tex)
    assert (caught.value.path, caught.value.line) == (str(tex), 12)
    assert "refs.bib" in caught.value.message and "no such file" in caught.value.message


def test_no_bibliography_command_and_no_bib_is_a_reader_error(tmp_path: Path) -> None:
    tex = tmp_path / "paper.tex"
    tex.write_text("Text \\cite{a}.\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="--refs"):
        read_latex_file(tex)


def test_missing_tex_file_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        read_latex_file(tmp_path / "absent.tex")


def test_broken_bib_entries_become_unparsed_data(paper: Path) -> None:
    (paper.parent / "refs.bib").write_text(BIB + "\n@article{broken, title = {No end\n", "utf-8")
    manuscript = read_latex_file(paper)
    assert len(manuscript.references) == 4
    assert len(manuscript.unparsed) == 1
