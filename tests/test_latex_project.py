"""LaTeX projects: included files, printed lists (thebibliography, .bbl), code that is not prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.model import Location
from citecheck.readers import read_manuscript
from citecheck.readers.errors import ReaderError
from citecheck.readers.latex import read_latex_file

BIB = """@article{smith2004, author = {Smith, John and Jones, Amy}, title = {Streaming k-mers},
  journal = {Genome Biol}, year = {2004}, volume = {5}, pages = {1--10}}
@article{horsch2018, author = {H{\\"o}rsch, Jonas}, title = {PyPSA-Eur}, journal = {Energy},
  year = {2018}, volume = {22}, pages = {207--215}}
@book{knuth1984, author = {Knuth, Donald}, title = {The TeXbook}, year = {1984},
  publisher = {Addison-Wesley}}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "paper.tex": "\\documentclass{article}\n\\input{setup}\n\\begin{document}\n"
            "\\input{sections/intro}\n\\include{chapters/results}\n"
            "\\subfile{parts/extra}\n\\import{appendix/}{notes}\n"
            "\\input{generated/table}\n\\bibliography{refs}\n\\end{document}\n",
            "setup.tex": "\\usepackage{natbib}\n% \\cite{preamble}\n",
            "refs.bib": BIB,
            "sections/intro.tex": "\\section{Introduction}\n"
            "Streaming works \\citep{smith2004}.\n\\input{sections/intro}\n",
            "chapters/results.tex": 'Results follow.\n\nAs H\\"orsch et al.~\\cite{horsch2018}'
            " showed, grids matter.\n",
            "parts/extra.tex": "\\documentclass[../paper.tex]{subfiles}\n\\begin{document}\n"
            "See \\cite{knuth1984}.\n\\end{document}\n",
            "appendix/notes.tex": "Notes.\n\\input{more}\n",
            "appendix/more.tex": "More \\parencite{smith2004}.\n",
        },
    )
    return tmp_path / "paper.tex"


def test_included_files_are_one_manuscript_with_true_locations(project: Path) -> None:
    manuscript = read_latex_file(project)
    found = [(Path(c.location.path).name, c.location.line, c.keys) for c in manuscript.callouts]
    assert found == [
        ("intro.tex", 2, ("smith2004",)),
        ("results.tex", 3, ("horsch2018",)),
        ("extra.tex", 3, ("knuth1984",)),
        ("more.tex", 1, ("smith2004",)),  # \import: relative to the folder it names
    ]
    # intro.tex includes itself (a loop LaTeX would never finish): read once; a missing,
    # generated table is skipped; the preamble's commented \cite is no citation.
    assert manuscript.bibliography_is_database
    assert manuscript.callouts[1].author_mention == "Hörsch"  # .bib accents decoded too
    assert manuscript.references[1].authors[0].family == "Hörsch"


def test_a_project_folder_finds_its_main_file(project: Path) -> None:
    manuscript = read_manuscript(str(project.parent))
    assert manuscript.path == str(project)
    assert len(manuscript.callouts) == 4


def test_a_folder_with_two_main_files_asks_which(tmp_path: Path) -> None:
    for name in ("a.tex", "b.tex"):
        (tmp_path / name).write_text("\\documentclass{article}\n\\begin{document}\n", "utf-8")
    with pytest.raises(ReaderError, match="several main"):
        read_latex_file(tmp_path)


THEBIBLIOGRAPHY = r"""\documentclass{article}
\begin{document}
Biopython \cite{cock2009} parses BLAST \cite[Altschul et al., 1990]{altschul1990}.
\begin{verbatim}
>>> records[0] \cite{notacite} @x [1]
\end{verbatim}
Use \verb|\cite{alsonot}| or \mintinline{python}{x = a[1]} and \lstinline!\cite{no}!.
\begin{minted}{python}
print(r"\cite{code}")
\end{minted}
Shown as \texttt{\string\cite\string{ctex\string}}.
\begin{thebibliography}{99}
\bibitem{altschul1990}
Stephen F. Altschul, Warren Gish, Webb Miller: ``Basic Local Alignment Search Tool''.
\textit{Journal of Molecular Biology} {\bf 215} (3): 403--410 (1990).
\bibitem[Cock et~al.(2009)]{cock2009}
Peter J. A. Cock, Tiago Antao: ``Biopython: freely available Python tools''.
\textit{Bioinformatics} {\bf 25} (11), 1422--1423 (2009).
\bibitem{unused1999} Jane Doe: ``Never cited''. \textit{Nature} {\bf 1}: 1--2 (1999).
\end{thebibliography}
\end{document}
"""


def test_inline_thebibliography_is_the_printed_list(tmp_path: Path) -> None:
    tex = tmp_path / "Tutorial.tex"
    tex.write_text(THEBIBLIOGRAPHY, encoding="utf-8")
    manuscript = read_latex_file(tex)
    assert not manuscript.bibliography_is_database  # printed: uncited entries are visible
    assert [r.key for r in manuscript.references] == ["altschul1990", "cock2009", "unused1999"]
    first = manuscript.references[0]
    assert (first.year, first.volume, first.pages) == (1990, "215", "403-410")
    assert first.authors[0].family == "Altschul"
    assert first.location == Location(str(tex), 13, 1)
    # Code, \verb, minted, \lstinline and \string\cite are not citations.
    assert [c.keys for c in manuscript.callouts] == [("cock2009",), ("altschul1990",)]
    assert manuscript.reference_list_location == Location(str(tex), 12, 1)


def test_bbl_is_read_when_there_is_no_bib(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nAs shown \\cite{smith2004}.\n"
        "\\bibliography{gone}\n\\end{document}\n",
        encoding="utf-8",
    )
    (tmp_path / "paper.bbl").write_text(
        "\\begin{thebibliography}{1}\n\n\\bibitem{smith2004}\nJ.~Smith and A.~Jones.\n"
        "\\newblock Streaming k-mers.\n\\newblock {\\em Genome Biol}, 5:1--10, 2004.\n\n"
        "\\end{thebibliography}\n",
        encoding="utf-8",
    )
    manuscript = read_latex_file(tmp_path / "paper.tex")
    assert [r.key for r in manuscript.references] == ["smith2004"]
    assert manuscript.references[0].year == 2004
    assert manuscript.callouts[0].numbers == (1,)


BIBLATEX_BBL = r"""\refsection{0}
  \datalist[entry]{nyt/global//global/global}
    \entry{wang2020}{article}{}
      \name{author}{2}{}{%
        {{hash=1}{%
           family={Wang},
           familyi={W\bibinitperiod},
           given={Li},
           giveni={L\bibinitperiod}}}%
        {{hash=2}{%
           family={M{\"u}ller},
           given={Karl}}}%
      }
      \strng{namehash}{1}
      \field{title}{Deep {PCR} analysis}
      \field{journaltitle}{Nature}
      \field{year}{2020}
      \field{volume}{580}
      \field{pages}{1\bibrangedash 5}
      \verb{doi}
      \verb 10.1038/x123
      \endverb
    \endentry
  \enddatalist
\endrefsection
"""


def test_biblatex_bbl_fields(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n王等\\supercite{wang2020}。\n"
        "\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    (tmp_path / "thesis.bbl").write_text(BIBLATEX_BBL, encoding="utf-8")
    ref = read_latex_file(tmp_path / "thesis.tex").references[0]
    assert (ref.key, ref.title, ref.container, ref.year) == ("wang2020", "Deep PCR analysis",
                                                             "Nature", 2020)  # fmt: skip
    assert (ref.volume, ref.pages, ref.doi) == ("580", "1-5", "10.1038/x123")
    assert [a.family for a in ref.authors] == ["Wang", "Müller"]


CITES = r"""\documentclass{article}
\newcommand*{\cupercite}[1]{\supercite{#1}\mbox{}}
\begin{document}
A \supercite{a} b \parencite*[p.~3]{b} c \textcite{a} d \citealp[see][]{b,c}
e \cupercite{c} f \upcite{a} g \parencites[1]{a}[2]{b,c} h \Citet*{a}.
\nocite{d}
\end{document}
"""


def test_citation_command_variants_and_nocite(tmp_path: Path) -> None:
    bib = "\n".join(f"@misc{{{k}, title = {{T {k}}}, year = {{2001}}}}" for k in "abcde")
    write(tmp_path, {"p.tex": CITES, "r.bib": bib})
    manuscript = read_latex_file(tmp_path / "p.tex", bib=tmp_path / "r.bib")
    assert [c.keys for c in manuscript.callouts] == [
        ("a",),
        ("b",),
        ("a",),
        ("b", "c"),
        ("c",),
        ("a",),
        ("a", "b", "c"),
        ("a",),
    ]
    assert manuscript.nocite == ("d",)  # in the printed list, not a citation in the text


def test_nocite_star_means_every_entry(tmp_path: Path) -> None:
    bib = "@misc{a, title = {A}, year = {2001}}\n@misc{b, title = {B}, year = {2002}}\n"
    tex = "\\documentclass{article}\n\\begin{document}\nX \\cite{a}.\n\\nocite{*}\n"
    write(tmp_path, {"p.tex": tex + "\\bibliography{r}\n\\end{document}\n", "r.bib": bib})
    assert read_latex_file(tmp_path / "p.tex").nocite == ("a", "b")


def test_latin1_bib_is_read_and_binary_refused(tmp_path: Path) -> None:
    tex = "\\documentclass{article}\n\\begin{document}\nX \\cite{a}.\n\\bibliography{r}\n"
    (tmp_path / "p.tex").write_text(tex, encoding="utf-8")
    (tmp_path / "r.bib").write_bytes(
        "@article{a, author = {Garc\xeda, Jos\xe9}, title = {Ensamblaje}, year = {2016}}\n".encode(
            "latin-1"
        )
    )
    ref = read_latex_file(tmp_path / "p.tex").references[0]
    assert ref.authors[0].family == "García"
    (tmp_path / "r.bib").write_bytes(b"\x00\x01binary\xff" * 50)
    with pytest.raises(ReaderError, match="binary") as caught:
        read_latex_file(tmp_path / "p.tex")
    assert caught.value.line == 4  # the \bibliography line that names it


def test_plain_tex_input_without_braces(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tex": "\\documentclass{article}\n\\begin{document}\n\\input body\n"
            "\\end{document}\n",
            "body.tex": "Text \\cite{a}.\n",
            "r.bib": "@misc{a, title = {A}, year = {2001}}\n",
        },
    )
    manuscript = read_latex_file(tmp_path / "main.tex", bib=tmp_path / "r.bib")
    assert [(Path(c.location.path).name, c.keys) for c in manuscript.callouts] == [
        ("body.tex", ("a",))
    ]


def test_a_bib_written_by_filecontents_is_read(tmp_path: Path) -> None:
    tex = tmp_path / "paper.tex"
    tex.write_text(
        "\\begin{filecontents*}{refs.bib}\n"
        "@article{smith2004, author = {Smith, J}, title = {Streaming}, journal = {Nature},"
        " year = 2004}\n\\end{filecontents*}\n"
        "\\documentclass{article}\n\\begin{document}\nSee \\cite{smith2004}.\n"
        "\\bibliography{refs}\n\\end{document}\n",
        encoding="utf-8",
    )
    manuscript = read_latex_file(tex)
    assert [r.key for r in manuscript.references] == ["smith2004"]
    assert manuscript.references[0].location == Location(str(tex), 2)
    assert manuscript.callouts[0].numbers == (1,)


REVTEX_BBL = r"""\begin{thebibliography}{1}%
\bibitem [{\citenamefont {Smith}\ and\ \citenamefont {Jones}(2004)}]{smith2004}%
  \BibitemOpen
  \bibfield  {author} {\bibinfo {author} {\bibfnamefont {J.}~\bibnamefont {Smith}}\ and\
  \bibinfo {author} {\bibfnamefont {K.}~\bibnamefont {Jones}},\ }\href
  {https://doi.org/10.1103/PhysRevLett.92.123} {\bibfield  {journal} {\bibinfo  {journal}
  {Phys. Rev. Lett.}\ }\textbf {\bibinfo {volume} {92}},\ \bibinfo {pages} {123}
  (\bibinfo {year} {2004})}\BibitemShut {NoStop}%
\end{thebibliography}%
"""


def test_revtex_bbl_fields_come_from_their_bibinfo_marks(tmp_path: Path) -> None:
    (tmp_path / "prl.tex").write_text(
        "\\documentclass{revtex4-2}\n\\begin{document}\nAs found~\\cite{smith2004}.\n"
        "\\bibliography{missing}\n\\end{document}\n",
        encoding="utf-8",
    )
    (tmp_path / "prl.bbl").write_text(REVTEX_BBL, encoding="utf-8")
    ref = read_latex_file(tmp_path / "prl.tex").references[0]
    assert [(a.family, a.given) for a in ref.authors] == [("Smith", "J."), ("Jones", "K.")]
    assert (ref.container, ref.volume, ref.pages, ref.year) == ("Phys. Rev. Lett.", "92", "123",
                                                                 2004)  # fmt: skip
    assert ref.doi == "10.1103/PhysRevLett.92.123"
    assert "NoStop" not in ref.raw and "%" not in ref.raw


def test_plainnat_bbl_entries_parse_into_fields(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\citet{smith2004} count.\n\\end{document}\n",
        encoding="utf-8",
    )
    (tmp_path / "paper.bbl").write_text(
        "\\begin{thebibliography}{1}\n"
        "\\bibitem[Smith et~al.(2004{\\natexlab{a}})Smith, Jones, and Brown]{smith2004}\n"
        "John Smith, Kim Jones, and A.~Brown.\n\\newblock Streaming k-mer counting at scale.\n"
        "\\newblock \\emph{Genome Biology}, 5\\penalty0 (3):\\penalty0 1--10, 2004{\\natexlab{a}}.\n"
        "\\newblock \\doi{10.1186/gb-2004-5-3-r1}.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    manuscript = read_latex_file(tmp_path / "paper.tex")
    ref = manuscript.references[0]
    assert (ref.title, ref.container, ref.volume, ref.issue, ref.pages, ref.year) == (
        "Streaming k-mer counting at scale",
        "Genome Biology",
        "5",
        "3",
        "1-10",
        2004,
    )
    assert ref.doi == "10.1186/gb-2004-5-3-r1"
    assert manuscript.callouts[0].author_mention == "Smith"


def test_includeonly_limits_the_included_chapters(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tex": "\\documentclass{book}\n\\includeonly{ch/one}\n\\begin{document}\n"
            "\\include{ch/one}\n\\include{ch/two}\n\\input{ch/three}\n\\end{document}\n",
            "ch/one.tex": "One \\cite{a}.\n",
            "ch/two.tex": "Two \\cite{b}.\n",
            "ch/three.tex": "Three \\cite{c}.\n",
            "r.bib": "@misc{a, title = {A}, year = {2001}}\n",
        },
    )
    manuscript = read_latex_file(tmp_path / "main.tex", bib=tmp_path / "r.bib")
    assert [c.keys for c in manuscript.callouts] == [("a",), ("c",)]  # \input is always read
